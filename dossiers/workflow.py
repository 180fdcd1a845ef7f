"""The back office's doors (Decree 61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP): intake at
the one-stop desk, processing through the internal process's steps, hand-overs, results.

Every door takes the acting official as ``acting_user``, locks the dossier row, asks
``dossiers.policy`` whether that official may take this action now (the same answer the
dossier's page offers), records the hand-over (a DossierStep line, which the process-control slip
Mẫu 05 is made from), writes the timeline event and schedules slips and notifications after
commit. With ``expected_revision`` (the revision the official's page showed) a concurrent change
makes the call fail with StaleDossier instead of overwriting it. Doors that nothing composes are
``durable``: they cannot run inside another transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.tasks import enqueue
from processes.models import ProcessStep, StepAction
from processes.services import default_definition
from workdays.calendar import add_working_hours

from . import deadlines, handover, policy, register, signals
from .models import Dossier, DossierStep, Slip
from .policy import holds_step_role, may_act_on_step  # noqa: F401 - read by dossiers.results
from .result_state import result_for
from .services import StaleDossier, TransitionRefused, _event, _transition
from .states import Status

# Roles whose holders reach only their own unit (directory.scope): a step for them needs a unit.
UNIT_ROLES = frozenset({"specialist", "unit_head"})


def _locked(dossier: Dossier, expected_revision: int | None) -> Dossier:
    current = (Dossier.objects.select_for_update(of=("self",))
               .select_related("procedure_version", "agency", "current_step__step", "process").get(pk=dossier.pk))
    if expected_revision is not None and current.revision != expected_revision:
        raise StaleDossier(_("Someone else has just changed this dossier. Reload it and try again."))
    return current


def _touch(dossier: Dossier) -> None:
    dossier.revision += 1
    dossier.save()


def _slip(dossier: Dossier, form: str, by, content: dict) -> Slip:
    slip = Slip.objects.create(dossier=dossier, form=form, created_by=by, content=content)
    enqueue("dossiers.render_slip", slip.pk)
    return slip


# --- intake (tiếp nhận) ------------------------------------------------------------------------


@transaction.atomic  # not durable: counter intake submits and accepts in one transaction
def accept(*, dossier: Dossier, acting_user, unit=None, expected_revision: int | None = None) -> Dossier:
    """Accept a complete, valid dossier: the legal clock starts now; the receipt and appointment
    (Mẫu 01) gives the due date; the dossier enters the first step of the internal process."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "accept")
    current = _transition(dossier=current, to=Status.IN_PROGRESS, acting_user=acting_user, via="accept",
                          note=_("Accepted at the desk"))
    version = current.procedure_version
    current.due_at = deadlines.due_for_dossier(current)  # with any extension (decision 0017)
    current.process = default_definition(version.procedure, current.agency)
    first = current.process.steps.order_by("order").first()
    if unit is None and first.unit is None and first.role in UNIT_ROLES:
        raise ValidationError(_("Choose the unit that will examine the dossier."))
    _check_holder(first, unit=unit)
    _open_step(current, first, current.received_at, unit=unit)
    register.assign_entry(current)  # Sổ theo dõi hồ sơ: the entry the receipt (Mẫu 01) cites
    _touch(current)
    receipt = {"due_at": current.due_at.isoformat(), "time_limit": deadlines.limit_text_for(current, "vi")}
    if deadlines.received_at_saturday_session(current):  # the desk was open, the clock starts at the next opening
        receipt["counted_from"] = deadlines.counting_start(current.received_at).isoformat()
    _slip(current, Slip.Form.RECEIPT, acting_user, receipt)
    handover.tell_next_actor(current, by=acting_user)
    return current


@transaction.atomic(durable=True)
def request_supplement(*, dossier: Dossier, acting_user, missing: list[str], note: str = "",
                       expected_revision: int | None = None) -> Dossier:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): at intake, or by the official in charge
    of a step that allows it, within the limits of the supplement rule (how often, how late:
    ``dossiers.policy`` asks ``deadlines.supplement_refusal``); the clock stops until the applicant
    answers, then runs on or restarts by the province's rule (decision 0016)."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "supplement")
    if not missing:
        raise ValidationError(_("List what the applicant must supplement."))
    text = "; ".join(missing) + (f". {note}" if note else "")
    current = _transition(dossier=current, to=Status.SUPPLEMENT_REQUESTED, acting_user=acting_user,
                          via="supplement", note=text)
    content = {"missing": missing, "note": note}
    if current.received_at:  # during processing: how the time limit runs once the dossier is complete again
        content["clock"] = deadlines.supplement_clock()
    _slip(current, Slip.Form.SUPPLEMENT, acting_user, content)
    return current


@transaction.atomic(durable=True)
def refuse_at_intake(*, dossier: Dossier, acting_user, reasons: str, expected_revision: int | None = None) -> Dossier:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03), with the reasons."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "refuse_intake")
    if not reasons.strip():
        raise ValidationError(_("Give the reasons for refusing the dossier."))
    current = _transition(dossier=current, to=Status.REFUSED, acting_user=acting_user, via="refuse_intake",
                          note=reasons)
    _slip(current, Slip.Form.REFUSAL, acting_user, {"reasons": reasons})
    return current


# --- steps (giải quyết) ----------------------------------------------------------------------

def _open_step(dossier: Dossier, step: ProcessStep, at, *, unit=None, assignee=None) -> DossierStep:
    due = add_working_hours(deadlines.step_start(at), step.hours)
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
    signals.step_opened.send(sender=Dossier, dossier=dossier, line=line)
    return line


def _close_step(dossier: Dossier, by, action: str, note: str, at) -> DossierStep:
    line = DossierStep.objects.select_for_update().get(pk=dossier.current_step_id)
    line.handed_at, line.handed_by, line.action, line.note = at, by, action, note
    line.timeliness = deadlines.classify(at, line.due_at)
    line.save()
    return line


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


def _current_process_step(dossier: Dossier) -> ProcessStep:
    return dossier.current_step.step


@transaction.atomic(durable=True)
def forward(*, dossier: Dossier, acting_user, note: str = "", unit=None, assignee=None,
            expected_revision: int | None = None) -> Dossier:
    """Hand the dossier on to the next step of the process (possibly another agency)."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "forward")
    following = _neighbour(current, _current_process_step(current), +1)
    _check_holder(following, unit=unit, assignee=assignee)
    now = timezone.now()
    _close_step(current, acting_user, StepAction.FORWARD, note, now)
    _open_step(current, following, now, unit=unit, assignee=assignee)
    _touch(current)
    handover.tell_next_actor(current, by=acting_user)
    return current


@transaction.atomic(durable=True)
def return_back(*, dossier: Dossier, acting_user, note: str, expected_revision: int | None = None) -> Dossier:
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "return")
    if not note.strip():
        raise ValidationError(_("Say why the dossier goes back."))
    previous = _neighbour(current, _current_process_step(current), -1)
    now = timezone.now()
    earlier = current.steps.filter(step=previous).order_by("-received_at").first()
    _close_step(current, acting_user, StepAction.RETURN, note, now)
    _open_step(current, previous, now, unit=earlier.unit if earlier else None,
               assignee=earlier.assignee if earlier else None)
    _touch(current)
    handover.tell_next_actor(current, by=acting_user)
    return current


@transaction.atomic(durable=True)
def assign(*, dossier: Dossier, acting_user, assignee, note: str = "", expected_revision: int | None = None) -> Dossier:
    """Give the current step to a named official (or change who has it): the unit head or the
    leader, within their assign scope; the hand-over is recorded."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "assign")
    line = current.current_step
    if not holds_step_role(assignee, agency_id=line.agency_id, unit_id=line.unit_id, role=line.role):
        raise ValidationError(_("This official does not hold the role this step needs."))
    now = timezone.now()
    if line.assignee_id is None:
        line.assignee = assignee
        line.note = (line.note + "\n" if line.note else "") + note
        line.save(update_fields=["assignee", "note"])
    else:
        _close_step(current, acting_user, "reassign", note, now)
        line = DossierStep.objects.create(
            dossier=current, step=line.step, order=line.order, name=line.name, agency_id=line.agency_id,
            unit=line.unit, role=line.role, assignee=assignee, received_at=now, due_at=line.due_at)
        current.current_step = line
    current.assignee = assignee
    _touch(current)
    handover.tell_next_actor(current, by=acting_user)
    return current


@transaction.atomic(durable=True)
def pause(*, dossier: Dossier, acting_user, reason: str, expected_revision: int | None = None) -> Dossier:
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "pause")
    if not reason.strip():
        raise ValidationError(_("Give the legal reason for pausing."))
    return _transition(dossier=current, to=Status.PAUSED, acting_user=acting_user, via="pause", note=reason)


@transaction.atomic(durable=True)
def resume(*, dossier: Dossier, acting_user, expected_revision: int | None = None) -> Dossier:
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "resume")
    current = _transition(dossier=current, to=Status.IN_PROGRESS, acting_user=acting_user, via="resume",
                          note=_("Resumed"))
    handover.tell_next_actor(current, by=acting_user)
    return current


@transaction.atomic(durable=True)
def propose_refusal(*, dossier: Dossier, acting_user, reasons: str, expected_revision: int | None = None) -> Dossier:
    """The official proposes refusal; the dossier goes to the approving step with the proposal."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "propose_refusal")
    if not reasons.strip():
        raise ValidationError(_("Give the reasons for refusing the dossier."))
    last = current.process.steps.order_by("-order").first()
    now = timezone.now()
    _close_step(current, acting_user, StepAction.PROPOSE_REFUSAL, reasons, now)
    _open_step(current, last, now)
    _touch(current)
    handover.tell_next_actor(current, by=acting_user)
    return current


@transaction.atomic(durable=True)
def refuse(*, dossier: Dossier, acting_user, reasons: str, expected_revision: int | None = None) -> Dossier:
    """The approving step refuses the dossier, with the reasons, told to the applicant in a written
    notice (thông báo từ chối giải quyết hồ sơ, a Slip of form NOTICE)."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "refuse")
    if not reasons.strip():
        raise ValidationError(_("Give the reasons for refusing the dossier."))
    now = timezone.now()
    _close_step(current, acting_user, StepAction.REFUSE, reasons, now)
    current = _transition(dossier=current, to=Status.REFUSED, acting_user=acting_user, via="refuse", note=reasons)
    current.current_step = None
    current.save(update_fields=["current_step"])
    _slip(current, Slip.Form.NOTICE, acting_user, {"reasons": reasons})
    return current


@transaction.atomic(durable=True)
def stop_processing(*, dossier: Dossier, acting_user, reason: str, expected_revision: int | None = None) -> Dossier:
    """Thông báo dừng giải quyết hồ sơ (Mẫu 05, Circular 03/2025/TT-VPCP): the competent leader of
    the settling agency stops processing, with the reason (for example the applicant did not
    supplement the dossier in time). The applicant is told the reason; the dossier ends."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "stop_processing")
    if not reason.strip():
        raise ValidationError(_("Give the reason for stopping the processing of the dossier."))
    now = timezone.now()
    if current.current_step_id:
        _close_step(current, acting_user, "stop", reason, now)
    current = _transition(dossier=current, to=Status.STOPPED, acting_user=acting_user, via="stop_processing",
                          note=reason)
    current.current_step = None
    current.save(update_fields=["current_step"])
    _slip(current, Slip.Form.STOP, acting_user, {"reason": reason})
    return current


@transaction.atomic(durable=True)
def approve(*, dossier: Dossier, acting_user, note: str = "", expected_revision: int | None = None) -> Dossier:
    """The approving (last) step approves the result: the dossier is settled now. Its outcome
    (early, on time, late) is fixed when the result is available to the applicant: now if there
    is no electronic result, else when the clerk issues it (dossiers.results). The result document is then
    signed and issued at the issuing agency (dossiers.results) and returned by the desk."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "approve")
    now = timezone.now()
    _close_step(current, acting_user, StepAction.APPROVE, note, now)
    # The leader's note is internal: the applicant is told the result is ready, not the note.
    current = _transition(dossier=current, to=Status.RESULT_READY, acting_user=acting_user, via="approve", note=note,
                          internal=True)
    current.current_step = None
    current.result_ready_at = now
    if result_for(current) is None:
        # No electronic result to issue: the result is available now (decision 0011).
        current.outcome = deadlines.outcome(now, current.due_at, deadlines.limit_for(current))
    # The result goes back to the receiving agency's desk to be returned.
    current.current_agency, current.unit, current.assignee = current.agency, None, None
    current.save(update_fields=["current_step", "result_ready_at", "outcome", "current_agency", "unit", "assignee"])
    handover.tell_next_actor(current, by=acting_user)  # the leader signs, or the desk returns a paper result
    return current


@transaction.atomic(durable=True)
def return_result(*, dossier: Dossier, acting_user, at_counter: bool = False,
                  expected_revision: int | None = None) -> Dossier:
    """Trả kết quả: the issued result, electronically (the applicant downloads it) or handed over
    at the counter; a dossier settled on paper (no result document) only at the counter."""
    current = _locked(dossier, expected_revision)
    policy.require(acting_user, current, "return_result")
    if not at_counter and policy.result_stage(current) != "issued":
        raise ValidationError(_("There is no electronic result to download: hand the result over at the counter."))
    note = _("Result collected at the counter") if at_counter else _("Result returned electronically")
    return _transition(dossier=current, to=Status.COMPLETED, acting_user=acting_user, via="return_result", note=note)


@transaction.atomic(durable=True)
def draft_apology(*, dossier: Dossier, acting_user, reason: str, new_due_at,
                  expected_revision: int | None = None) -> Slip:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04), drafted before the due moment passes
    for the leader to approve; the new appointment is told to the applicant once approved. The
    deadline sweep drafts it as the system (``acting_user=None``)."""
    current = _locked(dossier, expected_revision)
    if acting_user is None:
        existing = policy.pending_apology(current)
        if existing is not None:
            return existing
        if current.due_at is None or current.status not in policy.PROCESSING:
            raise TransitionRefused(_("Only a dossier being processed can get an apology letter."))
    else:
        policy.require(acting_user, current, "apology")
    if new_due_at <= current.due_at:
        raise ValidationError(_("The new appointment must come after the current due date."))
    return _slip(current, Slip.Form.APOLOGY, acting_user, {"reason": reason, "new_due_at": new_due_at.isoformat(),
                                                           "due_at": current.due_at.isoformat()})


@transaction.atomic(durable=True)
def approve_apology(*, slip: Slip, acting_user) -> Slip:
    from datetime import datetime

    slip = Slip.objects.select_for_update(of=("self",)).get(pk=slip.pk)
    dossier = _locked(slip.dossier, None)
    if slip.form != Slip.Form.APOLOGY:
        raise ValidationError(_("This slip is not an apology letter."))
    policy.require(acting_user, dossier, "approve_apology")
    if slip.approved_at is not None:
        raise StaleDossier(_("Someone else has just changed this dossier. Reload it and try again."))
    new_due_at = datetime.fromisoformat(slip.content["new_due_at"])
    slip.approved_by, slip.approved_at = acting_user, timezone.now()
    slip.save(update_fields=["approved_by", "approved_at"])
    dossier.apology_due_at = new_due_at
    _touch(dossier)
    _event(dossier, status=dossier.status, from_status=dossier.status, actor=acting_user,
           note=_("Apology letter: new appointment %(at)s") % {
               "at": timezone.localtime(new_due_at).strftime("%H:%M %d/%m/%Y")})
    enqueue("dossiers.render_slip", slip.pk)
    return slip
