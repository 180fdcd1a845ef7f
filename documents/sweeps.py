"""Reminders before the deadline (issue 11): every hour, the holders of open handling assignments
due within one working day, or overdue, are told once per assignment (``reminded_at``)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import Role
from egov.tasks import enqueue
from workdays import calendar

from .models import Assignment, Status


def remind_due_assignments(today=None) -> int:
    """Tell the holders of the open assignments due by the next working day; return how many."""
    today = today or timezone.localdate()
    due = (Assignment.objects.filter(done_at__isnull=True, children__isnull=True, reminded_at__isnull=True,
                                     due_on__isnull=False, document__status=Status.IN_HANDLING)
           .select_related("document"))
    count = 0
    for assignment in due.iterator():
        if assignment.due_on is None or calendar.working_days_between(today, assignment.due_on) > 1:
            continue
        with transaction.atomic():
            # Claim it in one statement: a second sweep running at once does not tell twice.
            if not Assignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True).update(
                    reminded_at=timezone.now()):
                continue
            _remind(assignment, overdue=assignment.due_on < today)
        count += 1
    return count


def _remind(assignment: Assignment, *, overdue: bool) -> None:
    document = assignment.document
    with translation.override(settings.LANGUAGE_CODE):
        title = (_("Overdue incoming document: %(what)s") if overdue
                 else _("Incoming document due soon: %(what)s")) % {"what": str(document)[:120]}
        body = _("Deadline: %(due)s.") % {"due": f"{assignment.due_on:%d/%m/%Y}"}
    enqueue("notifications.notify_officials", dossier_id=None, agency_id=document.agency_id,
            unit_id=assignment.unit_id if assignment.person_id is None else None,
            role=Role.UNIT_HEAD if assignment.person_id is None else None,
            assignee_id=assignment.person_id, skip_id=None,
            key=f"document-reminder:{assignment.pk}", title=title, body=body)


@shared_task(name="documents.remind_due_assignments")
def remind_due_assignments_task() -> int:
    return remind_due_assignments()
