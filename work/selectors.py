"""Which tasks an official sees (:func:`visible_tasks`), the one rule the board, the task page, the
policy and the follow-up board share: the tasks they gave, the tasks given to them or to a unit
they belong to, and, for the agency's leaders (``Action.ASSIGN`` at the agency), every task of it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from directory.models import Membership
from directory.scope import Action, scope_of

from .models import UNFINISHED, Task, TaskAssignee


def unit_ids_of(user) -> set[int]:
    """The units ``user`` belongs to now."""
    return {unit_id for unit_id in Membership.objects.valid_on().filter(official=user, unit__isnull=False)
            .values_list("unit_id", flat=True)}


def _given_to(user) -> Q:
    """Tasks given to ``user`` or to one of their units."""
    to_person = TaskAssignee.objects.filter(task=OuterRef("pk"), person=user)
    to_unit = TaskAssignee.objects.filter(task=OuterRef("pk"), unit_id__in=unit_ids_of(user))
    return Exists(to_person) | Exists(to_unit)


def visible_tasks(user, queryset: QuerySet | None = None) -> QuerySet:
    tasks = Task.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return tasks.none()
    leads = scope_of(user, Action.ASSIGN)
    if leads.everything:
        return tasks
    return tasks.filter(Q(assigned_by=user) | _given_to(user) | Q(agency_id__in=leads.agency_ids))


def can_see(user, task: Task) -> bool:
    return visible_tasks(user, Task.objects.filter(pk=task.pk)).exists()


def my_tasks(user) -> QuerySet:
    """Công việc của tôi: the tasks given to ``user`` or their units."""
    if user is None or not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(_given_to(user))


def given_by(user) -> QuerySet:
    return Task.objects.filter(assigned_by=user)


def due_state(task: Task, today: dt.date) -> str:
    """"overdue", "due_soon" (within one working day) or "" for a task still to finish."""
    from workdays.calendar import working_days_between

    if task.status not in UNFINISHED:
        return ""
    if task.due_on < today:
        return "overdue"
    return "due_soon" if working_days_between(today, task.due_on) <= 1 else ""
