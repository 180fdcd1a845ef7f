"""The doors that change tasks (quản lý công việc). Each one asks ``work.policy.require`` first,
checks the revision the page showed (optimistic lock), writes in one transaction and schedules the
notices with the change (``egov.tasks.enqueue``: an outbox row, sent after commit)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Role

from . import policy
from .models import (
    AssigneeRole,
    ExtensionRequest,
    ExtensionState,
    Priority,
    ProgressReport,
    Source,
    Task,
    TaskAssignee,
    TaskStatus,
)


class StaleTask(ValidationError):
    """The task changed since the page was shown."""


def _locked(task: Task, expected_revision: int | None) -> Task:
    fresh = Task.objects.select_for_update().get(pk=task.pk)
    if expected_revision is not None and fresh.revision != expected_revision:
        raise StaleTask(_("Someone else has just changed this task. Reload it and try again."))
    return fresh


def _save(task: Task, *fields: str) -> Task:
    task.revision += 1
    task.save(update_fields=[*fields, "revision"])
    return task


def tell(task: Task, *, title: str, body: str, key: str, people=(), units=(), skip=None) -> None:
    """In-app notice about ``task`` to ``people`` and to the heads of ``units`` (after commit)."""
    from egov.tasks import enqueue

    for person in people:
        if skip is None or person.pk != skip.pk:
            enqueue("notifications.notify_officials", dossier_id=None, agency_id=task.agency_id, unit_id=None,
                    role=None, assignee_id=person.pk, title=title, body=body, key=key,
                    skip_id=getattr(skip, "pk", None))
    for unit in units:
        enqueue("notifications.notify_officials", dossier_id=None, agency_id=task.agency_id, unit_id=unit.pk,
                role=str(Role.UNIT_HEAD), assignee_id=None, title=title, body=body, key=key,
                skip_id=getattr(skip, "pk", None))


def tell_assignees(task: Task, *, title: str, body: str, key: str, skip=None) -> None:
    rows = list(task.assignees.select_related("unit", "person"))
    tell(task, title=title, body=body, key=key, skip=skip,
         people=[row.person for row in rows if row.person], units=[row.unit for row in rows if row.unit])


def _check_assignees(acting_user, agency_id: int, *, units, people) -> None:
    allowed_units = set(policy.assignable_units(acting_user, agency_id).values_list("pk", flat=True))
    allowed_people = set(policy.assignable_people(acting_user, agency_id).values_list("pk", flat=True))
    if any(unit.pk not in allowed_units for unit in units) or any(p.pk not in allowed_people for p in people):
        raise PermissionDenied(_("You may give tasks only to the units and officials you direct."))


@transaction.atomic
def create_task(*, acting_user, agency, title: str, due_on: dt.date, description: str = "",
                source: str = Source.AD_HOC, document=None, meeting: str = "", priority: str = Priority.NORMAL,
                units_in_charge=(), people_in_charge=(), units_cooperating=(), people_cooperating=(),
                parent: Task | None = None) -> Task:
    """Giao việc: a task from a document, a meeting or ad hoc; with ``parent``, a sub-task of it."""
    if parent is not None:
        parent = _locked(parent, None)
        policy.require(acting_user, parent, "add_subtask")
        agency = parent.agency
    elif not policy.may_create_task(acting_user, agency.pk):
        raise PermissionDenied(_("Only leaders and unit heads give tasks."))
    in_charge = [*units_in_charge, *people_in_charge]
    if not in_charge:
        raise ValidationError(_("Name the unit or the official in charge."))
    _check_assignees(acting_user, agency.pk, units=[*units_in_charge, *units_cooperating],
                     people=[*people_in_charge, *people_cooperating])
    if due_on < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."))
    if parent is not None and due_on > parent.due_on:
        raise ValidationError(_("A sub-task cannot be due after its task."))
    if source == Source.DOCUMENT:
        from documents.selectors import can_read

        if document is None or document.agency_id != agency.pk or not can_read(acting_user, document):
            raise ValidationError(_("Choose the source document among the documents of the agency you may read."))
    else:
        document = None
    if source == Source.MEETING and not meeting.strip():
        raise ValidationError(_("Name the meeting the task comes from."))
    task = Task(agency=agency, title=title, description=description, source=source, document=document,
                meeting=meeting.strip() if source == Source.MEETING else "", assigned_by=acting_user,
                priority=priority, due_on=due_on, parent=parent)
    task.full_clean()
    task.save()
    rows = [TaskAssignee(task=task, unit=u, role=AssigneeRole.MAIN) for u in units_in_charge]
    rows += [TaskAssignee(task=task, person=p, role=AssigneeRole.MAIN) for p in people_in_charge]
    rows += [TaskAssignee(task=task, unit=u, role=AssigneeRole.COOPERATE) for u in units_cooperating]
    rows += [TaskAssignee(task=task, person=p, role=AssigneeRole.COOPERATE) for p in people_cooperating]
    for row in rows:
        row.save()  # one by one: every row is audited
    tell_assignees(task, key=f"work-new:{task.pk}", skip=acting_user, title=_("New task: %(t)s") % {"t": title[:150]},
                   body=_("Due on %(d)s.") % {"d": due_on.strftime("%d/%m/%Y")})
    return task


@transaction.atomic
def report_progress(*, task: Task, acting_user, percent: int, text: str, attachment=None,
                    expected_revision: int | None = None) -> ProgressReport:
    task = _locked(task, expected_revision)
    policy.require(acting_user, task, "report_progress")
    if not 0 <= percent <= 100:
        raise ValidationError(_("Progress is a percentage from 0 to 100."))
    report = ProgressReport(task=task, author=acting_user, percent=percent, text=text)
    if attachment is not None:
        report.attachment = attachment
    report.save()
    task.status = TaskStatus.IN_PROGRESS
    _save(task, "status")
    return report


@transaction.atomic
def request_extension(*, task: Task, acting_user, new_due_on: dt.date, reason: str,
                      expected_revision: int | None = None) -> ExtensionRequest:
    task = _locked(task, expected_revision)
    policy.require(acting_user, task, "request_extension")
    if new_due_on <= task.due_on:
        raise ValidationError(_("The new due date must be later than the current one."))
    request = ExtensionRequest.objects.create(task=task, requested_by=acting_user, new_due_on=new_due_on,
                                              reason=reason)
    _save(task)
    tell(task, people=[task.assigned_by], key=f"work-extension:{request.pk}",
         title=_("More time asked for: %(t)s") % {"t": task.title[:150]}, body=reason)
    return request


@transaction.atomic
def decide_extension(*, task: Task, acting_user, approve: bool, note: str = "",
                     expected_revision: int | None = None) -> ExtensionRequest:
    """Approved: the task's due date becomes the one asked for; refused: it stays."""
    task = _locked(task, expected_revision)
    policy.require(acting_user, task, "decide_extension")
    request = task.extensions.select_for_update().get(state=ExtensionState.PENDING)
    request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    request.decided_by, request.decided_at = acting_user, timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    if approve:
        task.due_on = request.new_due_on
    _save(task, "due_on")
    title = (_("Extension approved: %(t)s") if approve else _("Extension refused: %(t)s")) % {"t": task.title[:150]}
    tell(task, people=[request.requested_by], key=f"work-extension-decided:{request.pk}", title=title,
         body=note or _("Due on %(d)s.") % {"d": task.due_on.strftime("%d/%m/%Y")})
    return request


@transaction.atomic
def submit_completion(*, task: Task, acting_user, text: str = "", expected_revision: int | None = None) -> Task:
    """The one in charge reports the task done; it stays open until whoever gave it approves."""
    task = _locked(task, expected_revision)
    policy.require(acting_user, task, "submit_completion")
    if text:
        ProgressReport.objects.create(task=task, author=acting_user, percent=100, text=text)
    task.status, task.completed_at = TaskStatus.AWAITING_APPROVAL, timezone.now()
    _save(task, "status", "completed_at")
    tell(task, people=[task.assigned_by], key=f"work-submitted:{task.pk}:{task.revision}",
         title=_("Completion to approve: %(t)s") % {"t": task.title[:150]}, body=text)
    return task


@transaction.atomic
def approve_completion(*, task: Task, acting_user, expected_revision: int | None = None) -> Task:
    task = _locked(task, expected_revision)
    policy.require(acting_user, task, "approve_completion")
    task.status, task.approved_by = TaskStatus.DONE, acting_user
    _save(task, "status", "approved_by")
    tell_assignees(task, key=f"work-done:{task.pk}:{task.revision}", skip=acting_user,
                   title=_("Completion approved: %(t)s") % {"t": task.title[:150]}, body="")
    return task


@transaction.atomic
def reopen(*, task: Task, acting_user, reason: str, expected_revision: int | None = None) -> Task:
    """Whoever gave the task returns a submitted completion, or reopens a completed task."""
    task = _locked(task, expected_revision)
    policy.require(acting_user, task, "reopen")
    task.status, task.completed_at, task.approved_by = TaskStatus.IN_PROGRESS, None, None
    _save(task, "status", "completed_at", "approved_by")
    tell_assignees(task, key=f"work-reopened:{task.pk}:{task.revision}", skip=acting_user,
                   title=_("Task reopened: %(t)s") % {"t": task.title[:150]}, body=reason)
    return task


@transaction.atomic
def cancel(*, task: Task, acting_user, reason: str, expected_revision: int | None = None) -> Task:
    task = _locked(task, expected_revision)
    policy.require(acting_user, task, "cancel")
    task.status = TaskStatus.CANCELLED
    _save(task, "status")
    tell_assignees(task, key=f"work-cancelled:{task.pk}", skip=acting_user,
                   title=_("Task cancelled: %(t)s") % {"t": task.title[:150]}, body=reason)
    return task
