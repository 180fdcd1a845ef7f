"""Reminders (nhắc việc): every unfinished task due within one working day (``workdays.calendar``),
or already overdue, is reminded to its assignees once a day: an in-app notice and an e-mail.

The day of the last reminder is set on the task by one conditional statement, so two sweeps
running at once, or a sweep run every few minutes, remind each task once per day; the notices
are scheduled in the same transaction (outbox) with the keys of the task and the day.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership, Role
from workdays.calendar import working_days_between

from .models import Task, TaskStatus
from .services import tell_assignees

REMIND_WITHIN_DAYS = 1  # working days before the due date
LOOK_AHEAD = dt.timedelta(days=20)  # bounds the query: no run of days off is longer (Tết)


def due_for_reminder(today: dt.date):
    """Tasks being worked on, overdue or due within one working day, not yet reminded today."""
    candidates = (Task.objects.filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS],
                                      due_on__lte=today + LOOK_AHEAD)
                  .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today)))
    return [task for task in candidates if working_days_between(today, task.due_on) <= REMIND_WITHIN_DAYS]


def recipients(task: Task) -> list:
    """The officials a reminder goes to: the people named, and the heads of the units named."""
    rows = list(task.assignees.all())
    people = {row.person_id for row in rows if row.person_id}
    units = {row.unit_id for row in rows if row.unit_id}
    if units:
        for official_id, roles in (Membership.objects.valid_on().filter(unit_id__in=units)
                                   .values_list("official_id", "roles")):
            if Role.UNIT_HEAD in (roles or []):
                people.add(official_id)
    return list(get_user_model().objects.filter(pk__in=people, is_active=True).order_by("pk"))


def remind(today: dt.date | None = None) -> int:
    from egov.tasks import enqueue

    today = today or timezone.localdate()
    reminded = 0
    for task in due_for_reminder(today):
        with transaction.atomic():
            claimed = (Task.objects.filter(pk=task.pk).filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
                       .update(reminded_on=today))
            if claimed != 1:
                continue  # another sweep got there first
            if task.due_on < today:
                title = _("Overdue task: %(t)s") % {"t": task.title[:150]}
            else:
                title = _("Task due soon: %(t)s") % {"t": task.title[:150]}
            body = _("Due on %(d)s.") % {"d": task.due_on.strftime("%d/%m/%Y")}
            tell_assignees(task, title=title, body=body, key=f"work-remind:{task.pk}:{today.isoformat()}")
            enqueue("work.email_reminder", task.pk, today.isoformat())
        reminded += 1
    return reminded


def email_reminder(task_id: int, day: str) -> int:
    """The e-mail of one day's reminder of a task (the officials with an address)."""
    from django.core.mail import EmailMessage

    task = Task.objects.filter(pk=task_id).first()
    if task is None:
        return 0
    addresses = [user.email for user in recipients(task) if user.email]
    if not addresses:
        return 0
    overdue = task.due_on < dt.date.fromisoformat(day)
    subject = (_("Overdue task: %(t)s") if overdue else _("Task due soon: %(t)s")) % {"t": task.title[:150]}
    body = _("The task “%(t)s” is due on %(d)s. Open it in the e-office to report its progress.") % {
        "t": task.title, "d": task.due_on.strftime("%d/%m/%Y")}
    EmailMessage(subject=subject, body=body, bcc=addresses).send()
    return len(addresses)
