"""Who may do what on a task now: the one place that decides (quản lý công việc).

Every door of ``work.services`` calls :func:`require`; the task page offers exactly
:func:`available_actions`. Reach comes from ``directory.scope``:

- the agency's leaders (``Action.ASSIGN`` at the agency) give tasks to any unit or official of it;
  a unit head (``Action.ASSIGN`` in the unit) gives tasks within the unit;
- whoever gave a task (``assigned_by``) decides extension requests, approves or returns the
  completion, reopens it; they, or a leader of the agency, cancel it;
- the assignees (the person named, or the officials acting in the unit named: ``Action.ACT`` there)
  report progress; the one in charge (chủ trì) asks for more time, submits the completion and,
  when they may assign, splits the task into sub-tasks.

The weekly schedule: every official of the agency reads the published entries; its leaders and
clerks (``Action.ISSUE``) write and publish them (:func:`may_edit_schedule`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from directory.models import Membership, OrgUnit
from directory.scope import Action, can, scope_of

from .models import AssigneeRole, ExtensionState, Task, TaskStatus
from .selectors import can_see

ACTIONS = ("report_progress", "request_extension", "decide_extension", "submit_completion",
           "approve_completion", "reopen", "cancel", "add_subtask")
WORKING = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


YES = Decision(True)


def _no(reason: str) -> Decision:
    return Decision(False, reason)


def leads(user, agency_id: int) -> bool:
    """A leader of the agency: gives and follows up every task of it."""
    return can(user, Action.ASSIGN, agency_id=agency_id)


def holds(user, task: Task, roles=(AssigneeRole.MAIN, AssigneeRole.COOPERATE)) -> bool:
    """Whether the task is in ``user``'s hands: given to them, or to a unit they act in."""
    for assignee in task.assignees.filter(role__in=roles):
        if assignee.person_id == user.pk:
            return True
        if assignee.unit_id and can(user, Action.ACT, agency_id=None, unit_id=assignee.unit_id):
            return True
    return False


def assignable_units(user, agency_id: int) -> QuerySet:
    """The units ``user`` may give tasks to: every unit of the agency for its leaders, their own
    unit for a unit head."""
    units = OrgUnit.objects.filter(agency_id=agency_id, active=True)
    if leads(user, agency_id):
        return units
    return units.filter(pk__in=scope_of(user, Action.ASSIGN).unit_ids)


def assignable_people(user, agency_id: int) -> QuerySet:
    members = Membership.objects.valid_on().filter(agency_id=agency_id)
    if not leads(user, agency_id):
        members = members.filter(unit_id__in=scope_of(user, Action.ASSIGN).unit_ids)
    ids = members.values_list("official_id", flat=True)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).exclude(pk=user.pk).order_by("full_name")


def may_create_task(user, agency_id: int) -> bool:
    return leads(user, agency_id) or assignable_units(user, agency_id).exists()


def assigning_agencies(user) -> list[int]:
    """The agencies where ``user`` gives tasks (as a leader or a unit head)."""
    if user is None or not user.is_authenticated:
        return []
    agencies = set(scope_of(user, Action.ASSIGN).agency_ids)
    agencies |= set(OrgUnit.objects.filter(pk__in=scope_of(user, Action.ASSIGN).unit_ids)
                    .values_list("agency_id", flat=True))
    return sorted(agencies)


def may_edit_schedule(user, agency_id: int) -> bool:
    return leads(user, agency_id) or can(user, Action.ISSUE, agency_id=agency_id)


# --- the rules ------------------------------------------------------------------------------------

def _report_progress(user, task: Task) -> Decision:
    if task.status not in WORKING:
        return _no(_("Progress is reported only while the task is being worked on."))
    return YES if holds(user, task) else _no(_("Only the assignees report progress."))


def _in_charge(user, task: Task) -> Decision:
    if task.status not in WORKING:
        return _no(_("The task is not being worked on."))
    if not holds(user, task, roles=[AssigneeRole.MAIN]):
        return _no(_("Only the assignee in charge of the task may do this."))
    return YES


def _request_extension(user, task: Task) -> Decision:
    decision = _in_charge(user, task)
    if decision and task.extensions.filter(state=ExtensionState.PENDING).exists():
        return _no(_("An extension request is already waiting for a decision."))
    return decision


def _assigner(user, task: Task) -> Decision:
    if task.assigned_by_id != user.pk:
        return _no(_("Only whoever gave the task decides this."))
    return YES


def _decide_extension(user, task: Task) -> Decision:
    if not task.extensions.filter(state=ExtensionState.PENDING).exists():
        return _no(_("No extension request is waiting."))
    return _assigner(user, task)


def _submit_completion(user, task: Task) -> Decision:
    decision = _in_charge(user, task)
    if decision and task.subtasks.filter(status__in=[*WORKING, TaskStatus.AWAITING_APPROVAL]).exists():
        return _no(_("Finish or cancel the sub-tasks first."))
    return decision


def _approve_completion(user, task: Task) -> Decision:
    if task.status != TaskStatus.AWAITING_APPROVAL:
        return _no(_("The completion has not been submitted."))
    return _assigner(user, task)


def _reopen(user, task: Task) -> Decision:
    if task.status not in (TaskStatus.AWAITING_APPROVAL, TaskStatus.DONE):
        return _no(_("Only a submitted or completed task can be reopened."))
    return _assigner(user, task)


def _cancel(user, task: Task) -> Decision:
    if task.status not in (*WORKING, TaskStatus.AWAITING_APPROVAL):
        return _no(_("The task is already closed."))
    if task.assigned_by_id == user.pk or leads(user, task.agency_id):
        return YES
    return _no(_("Only whoever gave the task or a leader of the agency cancels it."))


def _add_subtask(user, task: Task) -> Decision:
    decision = _in_charge(user, task)
    if decision and not assignable_units(user, task.agency_id).exists():
        return _no(_("Only a leader or a unit head splits a task into sub-tasks."))
    return decision


RULES = {
    "report_progress": _report_progress, "request_extension": _request_extension,
    "decide_extension": _decide_extension, "submit_completion": _submit_completion,
    "approve_completion": _approve_completion, "reopen": _reopen, "cancel": _cancel, "add_subtask": _add_subtask,
}


def decide(user, task: Task, action: str) -> Decision:
    if user is None or not user.is_authenticated or not user.is_active:
        return _no(_("Sign in first."))
    if not can_see(user, task):
        return _no(_("This task is not within your reach."))
    return RULES[action](user, task)


def require(user, task: Task, action: str) -> None:
    """The doors' check: raise ``PermissionDenied`` with the reason when ``user`` may not."""
    decision = decide(user, task, action)
    if not decision:
        raise PermissionDenied(decision.reason)


def available_actions(user, task: Task) -> frozenset[str]:
    return frozenset(name for name in ACTIONS if decide(user, task, name))
