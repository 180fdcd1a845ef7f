"""The back office's doors (Decree 61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP): intake at
the one-stop desk, processing through the internal process's steps, hand-overs, results.

Every function locks the dossier row, checks that the actor may act at this point, records the
hand-over (a DossierStep line, which the process-control slip Mẫu 05 is made from), writes the
timeline event and schedules slips and notifications after commit. With ``expected_revision``
(the revision the official's page showed) a concurrent change makes the call fail with
StaleDossier instead of overwriting it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership
from directory.scope import Action, can
from egov.tasks import enqueue
from processes.models import ProcessStep, StepAction
from processes.services import default_definition

from . import deadlines
from .models import Dossier, DossierStep, Slip
from .services import StaleDossier, TransitionRefused, _event, transition
from .states import Status
from .tasks import render_slip

# Roles whose holders reach only their own unit (directory.scope): a step for them needs a unit.
UNIT_ROLES = frozenset({"specialist", "unit_head"})


def _locked(dossier: Dossier, expected_revision: int | None) -> Dossier:
    current = Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version", "agency").get(pk=dossier.pk)
    if expected_revision is not None and current.revision != expected_revision:
        raise StaleDossier(_("Someone else has just changed this dossier. Reload it and try again."))
    return current


def _touch(dossier: Dossier) -> None:
    dossier.revision += 1
    dossier.save()


def _slip(dossier: Dossier, form: str, by, content: dict) -> Slip:
    slip = Slip.objects.create(dossier=dossier, form=form, created_by=by, content=content)
    enqueue(render_slip, slip.pk)
    return slip


# --- intake (tiếp nhận) ------------------------------------------------------------------------

def _desk(officer, dossier: Dossier) -> None:
    if not can(officer, Action.ACT, agency_id=dossier.agency_id):
        raise TransitionRefused(_("Only the one-stop desk of the receiving agency can do this."))


@transaction.atomic
def accept(*, dossier: Dossier, officer, unit=None, expected_revision: int | None = None) -> Dossier:
    """Accept a complete, valid dossier: the legal clock starts now; the receipt and appointment
    (Mẫu 01) gives the due date; the dossier enters the first step of the internal process."""
    current = _locked(dossier, expected_revision)
    _desk(officer, current)
    current = transition(dossier=current, to=Status.IN_PROGRESS, actor=officer, note=_("Accepted at the desk"))
    version = current.procedure_version
    current.due_at = deadlines.due_from(current.received_at, version.time_limit_days)
    current.process = default_definition(version.procedure, current.agency)
    first = current.process.steps.order_by("order").first()
    if unit is None and first.unit is None and first.role in UNIT_ROLES:
        raise ValidationError(_("Choose the unit that will examine the dossier."))
    _check_holder(first, unit=unit)
    _open_step(current, first, current.received_at, unit=unit)
    _touch(current)
    _slip(current, Slip.Form.RECEIPT, officer, {"due_at": current.due_at.isoformat()})
    return current


@transaction.atomic
def request_supplement(*, dossier: Dossier, officer, missing: list[str], note: str = "",
                       expected_revision: int | None = None) -> Dossier:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): at intake, or by the official in charge
    of a step that allows it; the clock stops until the applicant answers."""
    current = _locked(dossier, expected_revision)
    if not missing:
        raise ValidationError(_("List what the applicant must supplement."))
    if current.status == Status.IN_PROGRESS:
        _check_step_action(officer, current, StepAction.SUPPLEMENT)
    else:
        _desk(officer, current)
    text = "; ".join(missing) + (f". {note}" if note else "")
    current = transition(dossier=current, to=Status.SUPPLEMENT_REQUESTED, actor=officer, note=text)
    _slip(current, Slip.Form.SUPPLEMENT, officer, {"missing": missing, "note": note})
    return current


@transaction.atomic
def refuse_at_intake(*, dossier: Dossier, officer, reasons: str, expected_revision: int | None = None) -> Dossier:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03), with the reasons."""
    current = _locked(dossier, expected_revision)
    if current.status != Status.SUBMITTED:
        raise TransitionRefused(_("Only a dossier waiting for intake can be refused at the desk."))
    if not reasons.strip():
        raise ValidationError(_("Give the reasons for refusing the dossier."))
    _desk(officer, current)
    current = transition(dossier=current, to=Status.REFUSED, actor=officer, note=reasons)
    _slip(current, Slip.Form.REFUSAL, officer, {"reasons": reasons})
    return current


# --- steps (giải quyết) ----------------------------------------------------------------------

def _open_step(dossier: Dossier, step: ProcessStep, at, *, unit=None, assignee=None) -> DossierStep:
    due = deadlines.due_from(at, 0)
    from workdays.calendar import add_working_hours

    due = add_working_hours(due, step.hours)
    if dossier.due_at and due > dossier.due_at:
        due = dossier.due_at  # a step never runs past the dossier's own deadline
    line = DossierStep.objects.create(
        dossier=dossier, step=step, order=step.order, name=step.name, agency_id=step.doing_agency_id,
        unit=unit or step.unit, role=step.role, assignee=assignee, received_at=at, due_at=due,
    )
    dossier.current_step = line
    dossier.current_agency_id = line.agency_id
    dossier.unit = line.unit
    dossier.assignee = assignee
    return line


def _close_step(dossier: Dossier, by, action: str, note: str, at) -> DossierStep:
    line = DossierStep.objects.select_for_update().get(pk=dossier.current_step_id)
    line.handed_at, line.handed_by, line.action, line.note = at, by, action, note
    line.timeliness = deadlines.classify(at, line.due_at)
    line.save()
    return line


def holds_step_role(user, *, agency_id: int, unit_id: int | None, role: str) -> bool:
    memberships = Membership.objects.valid_on().filter(official=user, agency_id=agency_id)
    if unit_id:
        memberships = memberships.filter(unit_id=unit_id)
    return any(role in m.roles for m in memberships)


def may_act_on_step(user, dossier: Dossier) -> bool:
    """The official in charge, or — while nobody is — anyone holding the step's role in its
    agency (and unit, when the step names one) whose scope lets them act there."""
    line = dossier.current_step
    if line is None or dossier.status != Status.IN_PROGRESS:
        return False
    if not can(user, Action.ACT, agency_id=line.agency_id, unit_id=line.unit_id):
        return False
    if line.assignee_id is not None:
        return line.assignee_id == user.pk
    return holds_step_role(user, agency_id=line.agency_id, unit_id=line.unit_id, role=line.role)


def _check_step_action(user, dossier: Dossier, action: str) -> ProcessStep:
    if not may_act_on_step(user, dossier):
        raise TransitionRefused(_("This dossier is not in your hands at this step."))
    step = dossier.current_step.step
    if step is not None and action not in step.actions:
        raise TransitionRefused(_("This action is not allowed at this step of the process."))
    return step


def _neighbour(dossier: Dossier, step: ProcessStep, offset: int) -> ProcessStep | None:
    steps = list(dossier.process.steps.order_by("order"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk) + offset
    return steps[index] if 0 <= index < len(steps) else None


def _check_holder(step: ProcessStep, *, unit=None, assignee=None) -> None:
    """The unit and official chosen for the next step must be able to hold it."""
    unit = unit or step.unit
    if unit is not None and unit.agency_id != step.doing_agency_id:
        raise ValidationError(_("The unit must belong to the agency doing the step."))
    if assignee is not None and not holds_step_role(assignee, agency_id=step.doing_agency_id,
                                                    unit_id=unit.pk if unit else None, role=step.role):
        raise ValidationError(_("This official does not hold the role this step needs."))


@transaction.atomic
def forward(*, dossier: Dossier, official, note: str = "", unit=None, assignee=None,
            expected_revision: int | None = None) -> Dossier:
    """Hand the dossier on to the next step of the process (possibly another agency)."""
    current = _locked(dossier, expected_revision)
    step = _check_step_action(official, current, StepAction.FORWARD)
    following = _neighbour(current, step, +1)
    if following is None:
        raise TransitionRefused(_("This is the last step: approve the result instead."))
    _check_holder(following, unit=unit, assignee=assignee)
    now = timezone.now()
    _close_step(current, official, StepAction.FORWARD, note, now)
    _open_step(current, following, now, unit=unit, assignee=assignee)
    _touch(current)
    return current


@transaction.atomic
def return_back(*, dossier: Dossier, official, note: str, expected_revision: int | None = None) -> Dossier:
    current = _locked(dossier, expected_revision)
    step = _check_step_action(official, current, StepAction.RETURN)
    previous = _neighbour(current, step, -1)
    if previous is None or not note.strip():
        raise ValidationError(_("Say why the dossier goes back; the first step cannot return it."))
    now = timezone.now()
    earlier = current.steps.filter(step=previous).order_by("-received_at").first()
    _close_step(current, official, StepAction.RETURN, note, now)
    _open_step(current, previous, now, unit=earlier.unit if earlier else None,
               assignee=earlier.assignee if earlier else None)
    _touch(current)
    return current


@transaction.atomic
def assign(*, dossier: Dossier, by, assignee, note: str = "", expected_revision: int | None = None) -> Dossier:
    """Give the current step to a named official (or change who has it): the unit head or the
    leader, within their assign scope; the hand-over is recorded."""
    current = _locked(dossier, expected_revision)
    line = current.current_step
    if line is None or current.status != Status.IN_PROGRESS:
        raise TransitionRefused(_("Only a dossier being processed can be assigned."))
    if not can(by, Action.ASSIGN, agency_id=line.agency_id, unit_id=line.unit_id):
        raise TransitionRefused(_("You cannot assign dossiers of this unit."))
    if not holds_step_role(assignee, agency_id=line.agency_id, unit_id=line.unit_id, role=line.role):
        raise ValidationError(_("This official does not hold the role this step needs."))
    now = timezone.now()
    if line.assignee_id is None:
        line.assignee = assignee
        line.note = (line.note + "\n" if line.note else "") + note
        line.save(update_fields=["assignee", "note"])
    else:
        _close_step(current, by, "reassign", note, now)
        line = DossierStep.objects.create(
            dossier=current, step=line.step, order=line.order, name=line.name, agency_id=line.agency_id,
            unit=line.unit, role=line.role, assignee=assignee, received_at=now, due_at=line.due_at)
        current.current_step = line
    current.assignee = assignee
    _touch(current)
    return current


@transaction.atomic
def pause(*, dossier: Dossier, official, reason: str, expected_revision: int | None = None) -> Dossier:
    current = _locked(dossier, expected_revision)
    _check_step_action(official, current, StepAction.PAUSE)
    if not reason.strip():
        raise ValidationError(_("Give the legal reason for pausing."))
    return transition(dossier=current, to=Status.PAUSED, actor=official, note=reason)


@transaction.atomic
def resume(*, dossier: Dossier, official, expected_revision: int | None = None) -> Dossier:
    current = _locked(dossier, expected_revision)
    line = current.current_step
    if line is None or not can(official, Action.ACT, agency_id=line.agency_id, unit_id=line.unit_id):
        raise TransitionRefused(_("This dossier is not in your hands at this step."))
    return transition(dossier=current, to=Status.IN_PROGRESS, actor=official, note=_("Resumed"))


@transaction.atomic
def propose_refusal(*, dossier: Dossier, official, reasons: str, expected_revision: int | None = None) -> Dossier:
    """The official proposes refusal; the dossier goes to the approving step with the proposal."""
    current = _locked(dossier, expected_revision)
    step = _check_step_action(official, current, StepAction.PROPOSE_REFUSAL)
    if not reasons.strip():
        raise ValidationError(_("Give the reasons for refusing the dossier."))
    last = current.process.steps.order_by("-order").first()
    if last.pk == step.pk:
        raise TransitionRefused(_("At the approving step, refuse directly."))
    now = timezone.now()
    _close_step(current, official, StepAction.PROPOSE_REFUSAL, reasons, now)
    _open_step(current, last, now)
    _touch(current)
    return current


@transaction.atomic
def refuse(*, dossier: Dossier, leader, reasons: str, expected_revision: int | None = None) -> Dossier:
    current = _locked(dossier, expected_revision)
    _check_step_action(leader, current, StepAction.REFUSE)
    if not reasons.strip():
        raise ValidationError(_("Give the reasons for refusing the dossier."))
    now = timezone.now()
    _close_step(current, leader, StepAction.REFUSE, reasons, now)
    current = transition(dossier=current, to=Status.REFUSED, actor=leader, note=reasons)
    current.current_step = None
    current.save(update_fields=["current_step"])
    return current


@transaction.atomic
def approve(*, dossier: Dossier, leader, note: str = "", expected_revision: int | None = None) -> Dossier:
    """The leader approves the result at the last step: the dossier is settled now, and its
    outcome (early, on time, late) is fixed against the due moment. The result document is then
    signed and returned (dossiers.results)."""
    current = _locked(dossier, expected_revision)
    _check_step_action(leader, current, StepAction.APPROVE)
    now = timezone.now()
    _close_step(current, leader, StepAction.APPROVE, note, now)
    current = transition(dossier=current, to=Status.RESULT_READY, actor=leader, note=note)
    current.current_step = None
    current.result_ready_at = now
    current.outcome = deadlines.classify(now, current.due_at)
    # The result goes back to the receiving agency's desk to be returned.
    current.current_agency, current.unit, current.assignee = current.agency, None, None
    current.save(update_fields=["current_step", "result_ready_at", "outcome", "current_agency", "unit", "assignee"])
    return current


@transaction.atomic
def return_result(*, dossier: Dossier, officer, at_counter: bool = False,
                  expected_revision: int | None = None) -> Dossier:
    """Trả kết quả: electronically (the applicant downloads it) or handed over at the counter."""
    current = _locked(dossier, expected_revision)
    _desk(officer, current)
    if not at_counter:
        from .results import is_issued, result_for

        result = result_for(current)
        if result is None or not is_issued(result):
            raise TransitionRefused(_("An electronic result must be signed and issued before it is returned."))
    note = _("Result collected at the counter") if at_counter else _("Result returned electronically")
    return transition(dossier=current, to=Status.COMPLETED, actor=officer, note=note)


@transaction.atomic
def draft_apology(*, dossier: Dossier, by, reason: str, new_due_at, expected_revision: int | None = None) -> Slip:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04), drafted before the due moment passes
    for the leader to approve; the new appointment is told to the applicant once approved."""
    current = _locked(dossier, expected_revision)
    if current.due_at is None or current.status not in (Status.IN_PROGRESS, Status.PAUSED,
                                                        Status.SUPPLEMENT_REQUESTED):
        raise TransitionRefused(_("Only a dossier being processed can get an apology letter."))
    # The sweep drafts it (by=None); otherwise the receiving agency's desk or leaders, or the
    # official holding the dossier.
    if by is not None and not (can(by, Action.ACT, agency_id=current.agency_id)
                               or can(by, Action.ASSIGN, agency_id=current.agency_id)
                               or may_act_on_step(by, current)):
        raise TransitionRefused(_("Only the receiving agency drafts the apology letter."))
    existing = current.slips.filter(form=Slip.Form.APOLOGY, approved_at__isnull=True).first()
    if existing is not None:
        return existing
    if new_due_at <= current.due_at:
        raise ValidationError(_("The new appointment must come after the current due date."))
    return _slip(current, Slip.Form.APOLOGY, by, {"reason": reason, "new_due_at": new_due_at.isoformat(),
                                                   "due_at": current.due_at.isoformat()})


@transaction.atomic
def approve_apology(*, slip: Slip, leader) -> Slip:
    slip = Slip.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=slip.pk)
    if slip.form != Slip.Form.APOLOGY:
        raise ValidationError(_("This slip is not an apology letter."))
    if not can(leader, Action.ASSIGN, agency_id=slip.dossier.agency_id):
        raise TransitionRefused(_("Only a leader of the receiving agency approves the apology letter."))
    if slip.approved_at is None:
        from datetime import datetime

        new_due_at = datetime.fromisoformat(slip.content["new_due_at"])
        slip.approved_by, slip.approved_at = leader, timezone.now()
        slip.save(update_fields=["approved_by", "approved_at"])
        dossier = _locked(slip.dossier, None)
        dossier.apology_due_at = new_due_at
        _touch(dossier)
        _event(dossier, status=dossier.status, from_status=dossier.status, actor=leader,
               note=_("Apology letter: new appointment %(at)s") % {
                   "at": timezone.localtime(new_due_at).strftime("%H:%M %d/%m/%Y")})
        enqueue(render_slip, slip.pk)
    return slip
