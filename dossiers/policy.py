"""Who may do what on a dossier now: the one place that decides (Decree 118/2025/NĐ-CP and Circular
03/2025/TT-VPCP; before 1 July 2025 Decree 61/2018/NĐ-CP; issuance: Decree 30/2020/NĐ-CP art. 15).

Every door (``dossiers.workflow``, ``dossiers.services``) asks :func:`require` before it changes
anything; the officials' dossier page offers exactly :func:`available_actions`; the dossier page
and the queues show :func:`next_actor`. Reach comes from ``directory.scope``: the one-stop desk
acts with ``Action.INTAKE`` at the receiving or returning desk (``dossiers.desks``), the official holding the current step with
``Action.ACT`` there, unit heads and leaders assign with ``Action.ASSIGN``, the competent person
signs with ``Action.SIGN`` and the clerk issues with ``Action.ISSUE`` at the issuing agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Membership, Role
from directory.scope import Action, can, holds_delegated_role, stands_in_for
from processes.models import StepAction
from workdays import calendar

from . import desks
from .errors import TransitionRefused
from .issuance_policy import may_issue, may_sign
from .models import Dossier
from .result_state import issuing_agency, result_stage
from .selectors import acts_for_applicant, form_set_of
from .states import FINAL, Status

# The officials' actions, in the order the dossier's page lists them.
OFFICE_ACTIONS = (
    "accept", "supplement", "refuse_intake", "forward", "prepare_result", "approve", "return", "assign", "pause",
    "resume", "propose_refusal", "refuse", "sign_result", "issue_result", "return_result", "apology",
    "approve_apology", "stop_processing",
)
# The applicant's own (submission has its own door: a draft is nobody else's).
APPLICANT_ACTIONS = ("answer_supplement", "withdraw", "rate")
ACTIONS = OFFICE_ACTIONS + APPLICANT_ACTIONS
PROCESSING = frozenset({Status.IN_PROGRESS, Status.PAUSED, Status.SUPPLEMENT_REQUESTED})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""  # why not, in words the official understands

    def __bool__(self) -> bool:
        return self.allowed


YES = Decision(True)


def _no(reason: str) -> Decision:
    return Decision(False, reason)


# --- who holds the dossier ------------------------------------------------------------------


def holds_step_role(user, *, agency_id: int, unit_id: int | None, role: str) -> bool:
    memberships = Membership.objects.valid_on().filter(official=user, agency_id=agency_id)
    if unit_id:
        memberships = memberships.filter(unit_id=unit_id)
    return any(role in m.roles for m in memberships) or holds_delegated_role(
        user, agency_id=agency_id, unit_id=unit_id, role=role)


def holds_step(user, dossier: Dossier) -> bool:
    """The official in charge of the current step, or — while nobody is — anyone holding the
    step's role in its agency (and unit, when the step names one) whose scope lets them act there."""
    line = dossier.current_step
    if line is None or user is None or not user.is_authenticated:
        return False
    if line.agency.on_other_system:  # settled in that agency's own software (exchange.dossiers)
        return False
    if not can(user, Action.ACT, agency_id=line.agency_id, unit_id=line.unit_id):
        return False
    if line.assignee_id is not None:  # theirs, or held by someone they stand in for (directory.scope)
        return line.assignee_id == user.pk or line.assignee_id in stands_in_for(user, line.agency_id)
    return holds_step_role(user, agency_id=line.agency_id, unit_id=line.unit_id, role=line.role)


def may_act_on_step(user, dossier: Dossier) -> bool:
    return dossier.status == Status.IN_PROGRESS and holds_step(user, dossier)


def _position(dossier: Dossier) -> tuple[int | None, int]:
    """(index of the current step in the process, number of steps)."""
    line = dossier.current_step
    if line is None or dossier.process_id is None:
        return None, 0
    ids = list(dossier.process.steps.order_by("order").values_list("pk", flat=True))
    return (ids.index(line.step_id) if line.step_id in ids else None), len(ids)


def _step_allows(dossier: Dossier, action: str) -> bool:
    line = dossier.current_step
    return action in (line.step.actions if line.step_id else StepAction.values)


def _desk(user, dossier: Dossier) -> bool:
    """The receiving desk: the centre that took the dossier in, or the settling agency's (dossiers.desks)."""
    return desks.is_intake_desk(user, dossier)


# --- the rules --------------------------------------------------------------------------------

NOT_NOW = gettext_lazy("This action is not allowed for this dossier now.")
NOT_YOURS = gettext_lazy("This dossier is not in your hands at this step.")
DESK_ONLY = gettext_lazy("Only the one-stop desk of the receiving agency can do this.")
ELSEWHERE = gettext_lazy("This step is settled in the other agency's own system; its answer comes through the "
                         "inter-agency exchange.")


def _intake(user, dossier: Dossier) -> Decision:
    if dossier.status != Status.SUBMITTED:
        return _no(_("Only a dossier waiting for intake can be accepted or refused at the desk."))
    return YES if _desk(user, dossier) else _no(str(DESK_ONLY))


def _on_step(user, dossier: Dossier, action: str) -> Decision:
    if not may_act_on_step(user, dossier):
        return _no(str(NOT_YOURS))
    if not _step_allows(dossier, action):
        return _no(_("This action is not allowed at this step of the process."))
    return YES


def _supplement(user, dossier: Dossier) -> Decision:
    # Mẫu 02: at intake by the desk, or during processing by whoever holds a step that allows it,
    # not more often nor later than the supplement rule allows (dossiers.deadlines, decision 0016).
    if dossier.status == Status.SUBMITTED:
        return _intake(user, dossier)
    decision = _on_step(user, dossier, StepAction.SUPPLEMENT)
    if decision:
        from .deadlines import supplement_refusal

        reason = supplement_refusal(dossier)
        if reason:
            return _no(reason)
    return decision


def _at_last_step(dossier: Dossier) -> bool:
    index, count = _position(dossier)
    return index is None or index == count - 1


def _forward(user, dossier: Dossier) -> Decision:
    decision = _on_step(user, dossier, StepAction.FORWARD)
    if decision and _at_last_step(dossier):
        return _no(_("This is the last step: approve the result instead."))
    return decision


def _return(user, dossier: Dossier) -> Decision:
    decision = _on_step(user, dossier, StepAction.RETURN)
    if decision and not _position(dossier)[0]:
        return _no(_("The first step cannot return the dossier."))
    return decision


def _propose_refusal(user, dossier: Dossier) -> Decision:
    decision = _on_step(user, dossier, StepAction.PROPOSE_REFUSAL)
    if decision and _at_last_step(dossier):
        return _no(_("At the approving step, refuse directly."))
    return decision


def _at_approving_step(action: str):
    """Approving the result and refusing the dossier are decided at the process's last step."""

    def rule(user, dossier: Dossier) -> Decision:
        decision = _on_step(user, dossier, action)
        index, count = _position(dossier)
        if decision and dossier.process_id and index != count - 1:
            return _no(_("Only the approving step decides on the result."))
        return decision

    return rule


def _pause(user, dossier: Dossier) -> Decision:
    return _on_step(user, dossier, StepAction.PAUSE)


def _resume(user, dossier: Dossier) -> Decision:
    line = dossier.current_step
    if dossier.status != Status.PAUSED or line is None:
        return _no(_("Only a paused dossier can be resumed."))
    if line.agency.on_other_system:
        return _no(str(ELSEWHERE))
    if holds_step(user, dossier) or can(user, Action.ASSIGN, agency_id=line.agency_id, unit_id=line.unit_id):
        return YES
    return _no(str(NOT_YOURS))


def _assign(user, dossier: Dossier) -> Decision:
    line = dossier.current_step
    if dossier.status != Status.IN_PROGRESS or line is None:
        return _no(_("Only a dossier being processed can be assigned."))
    if line.agency.on_other_system:
        return _no(str(ELSEWHERE))
    if not can(user, Action.ASSIGN, agency_id=line.agency_id, unit_id=line.unit_id):
        return _no(_("You cannot assign dossiers of this unit."))
    return YES


def _prepare_result(user, dossier: Dossier) -> Decision:
    if dossier.status != Status.IN_PROGRESS:
        return _no(_("A result can only be prepared while the dossier is being processed."))
    if not holds_step(user, dossier):
        return _no(str(NOT_YOURS))
    if result_stage(dossier) in ("signed", "issued"):
        return _no(_("The result is already signed; it can no longer be replaced."))
    return YES


def _sign_result(user, dossier: Dossier) -> Decision:
    if dossier.status != Status.RESULT_READY or result_stage(dossier) != "draft":
        return _no(_("Only an approved, unsigned result can be signed."))
    return YES if may_sign(user, dossier) else _no(_("Only a leader of the issuing agency signs the result."))


def _issue_result(user, dossier: Dossier) -> Decision:
    if dossier.status != Status.RESULT_READY or result_stage(dossier) != "signed":
        return _no(_("The result must be signed by the competent official first."))
    return YES if may_issue(user, dossier) else _no(_("Only the clerk of the issuing agency issues the result."))


def _return_result(user, dossier: Dossier) -> Decision:
    # Trả kết quả: a result document is returned only once issued; a dossier settled on paper
    # (no result document here) is handed over at the counter.
    if dossier.status != Status.RESULT_READY:
        return _no(_("Only an approved result can be returned."))
    if result_stage(dossier) not in ("none", "issued"):
        return _no(_("An electronic result must be signed and issued before it is returned."))
    if desks.is_return_desk(user, dossier):
        return YES
    return _no(_("Only the one-stop desk where the applicant collects the result can return it."))


def pending_apology(dossier: Dossier):
    from .models import Slip

    return next((s for s in dossier.slips.all() if s.form == Slip.Form.APOLOGY and s.approved_at is None), None)


def apology_due(dossier: Dossier, now=None) -> bool:
    """Within one working day of the due moment, or past it: when the sweep drafts the letter."""
    now = now or timezone.now()
    return dossier.due_at is not None and dossier.due_at <= calendar.add_working_hours(
        now, calendar.working_hours_per_day())


def _apology(user, dossier: Dossier) -> Decision:
    # Mẫu 04 (Decree 61/2018 art. 19): drafted by the receiving agency's desk or leader, or by the
    # official holding the dossier, before it falls due; the leader approves it.
    if dossier.status not in PROCESSING or dossier.due_at is None:
        return _no(_("Only a dossier being processed can get an apology letter."))
    if pending_apology(dossier) is not None:
        return _no(_("An apology letter is already waiting for the leader's approval."))
    if not apology_due(dossier):
        return _no(_("The apology letter is drafted when the due moment is less than a working day away."))
    if _desk(user, dossier) or can(user, Action.SIGN, agency_id=dossier.agency_id) or holds_step(user, dossier):
        return YES
    return _no(_("Only the receiving agency drafts the apology letter."))


def _approve_apology(user, dossier: Dossier) -> Decision:
    if dossier.status not in PROCESSING or pending_apology(dossier) is None:
        return _no(_("No apology letter is waiting for approval."))
    if not can(user, Action.SIGN, agency_id=dossier.agency_id):
        return _no(_("Only a leader of the receiving agency approves the apology letter."))
    return YES


def _stop_processing(user, dossier: Dossier) -> Decision:
    # Dừng giải quyết (Decree 118/2025/NĐ-CP; Mẫu 05 of Circular 03/2025/TT-VPCP): a received dossier
    # being processed, paused or waiting for a supplement; by the competent leader of the agency
    # that settles it. Only where the dossier's form set has the notice (not under Decree 61/2018).
    if dossier.status not in PROCESSING or dossier.received_at is None:
        return _no(_("Only a dossier received and being processed can be stopped."))
    if not form_set_of(dossier).has("stop"):
        return _no(_("The legal basis of this dossier has no notice that processing stops."))
    if not can(user, Action.SIGN, agency_id=issuing_agency(dossier).pk):
        return _no(_("Only a leader of the settling agency stops the processing of a dossier."))
    return YES


def _applicant(statuses: frozenset[str]):
    def rule(user, dossier: Dossier) -> Decision:
        if not acts_for_applicant(user, dossier):  # the applicant, or their organisation's staff
            return _no(_("Only the applicant can do this."))
        return YES if dossier.status in statuses else _no(_("This dossier can no longer be changed."))

    return rule


RULES = {
    "accept": _intake,
    "supplement": _supplement,
    "refuse_intake": _intake,
    "forward": _forward,
    "prepare_result": _prepare_result,
    "approve": _at_approving_step(StepAction.APPROVE),
    "return": _return,
    "assign": _assign,
    "pause": _pause,
    "resume": _resume,
    "propose_refusal": _propose_refusal,
    "refuse": _at_approving_step(StepAction.REFUSE),
    "sign_result": _sign_result,
    "issue_result": _issue_result,
    "return_result": _return_result,
    "apology": _apology,
    "approve_apology": _approve_apology,
    "stop_processing": _stop_processing,
    "answer_supplement": _applicant(frozenset({Status.SUPPLEMENT_REQUESTED})),
    "withdraw": _applicant(frozenset({Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED, Status.IN_PROGRESS,
                                      Status.PAUSED})),
    "rate": _applicant(frozenset({Status.COMPLETED})),
}


def decide(user, dossier: Dossier, action: str) -> Decision:
    if user is None or not user.is_authenticated or not user.is_active:
        return _no(str(NOT_NOW))
    return RULES[action](user, dossier)


def require(user, dossier: Dossier, action: str) -> None:
    """The doors' check: raise TransitionRefused with the reason when ``user`` may not."""
    decision = decide(user, dossier, action)
    if not decision:
        raise TransitionRefused(decision.reason or str(NOT_NOW))


def available_actions(user, dossier: Dossier) -> frozenset[str]:
    """The officials' actions ``user`` may take on ``dossier`` now."""
    if dossier.status in (Status.DRAFT, *FINAL):
        return frozenset()
    return frozenset(name for name in OFFICE_ACTIONS if decide(user, dossier, name))


# --- who acts next ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NextActor:
    """Who the dossier waits for: a role at an agency (and unit), or one named official."""

    role: str  # a directory Role, "applicant", or "exchange" (an agency on another system)
    agency: object | None = None
    unit: object | None = None
    person: object | None = None
    task: str = ""

    @property
    def role_label(self) -> str:
        if self.role == "applicant":
            return _("the applicant")
        if self.role == "exchange":
            return _("its own system, through the inter-agency exchange")
        return str(Role(self.role).label) if self.role in Role.values else self.role


def next_actor(dossier: Dossier) -> NextActor | None:
    status = dossier.status
    if status == Status.SUBMITTED:
        return NextActor(Role.DESK_OFFICER, desks.receiving_desk_agency(dossier), task=_("intake"))
    if status == Status.SUPPLEMENT_REQUESTED:
        return NextActor("applicant", task=_("supplement the dossier"))
    if status in (Status.IN_PROGRESS, Status.PAUSED) and dossier.current_step is not None:
        line = dossier.current_step
        task = line.name if status == Status.IN_PROGRESS else _("resume processing")
        if line.agency.on_other_system:
            return NextActor("exchange", line.agency, task=task)
        return NextActor(line.role, line.agency, line.unit, line.assignee, task=task)
    if status == Status.RESULT_READY:
        stage = result_stage(dossier)
        if stage == "draft":
            return NextActor(Role.AGENCY_LEADER, issuing_agency(dossier), task=_("sign the result"))
        if stage == "signed":
            return NextActor(Role.CLERK, issuing_agency(dossier), task=_("issue the result"))
        return NextActor(Role.DESK_OFFICER, desks.returning_desk_agency(dossier), task=_("return the result"))
    return None
