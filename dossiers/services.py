"""Every change to a dossier goes through here: drafts, papers, submission, transitions."""

import contextlib
import contextvars
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import organisations
from accounts.models import PortalProfile
from audit.registry import locked_as_loaded
from egov.tasks import enqueue
from legal.selectors import NoFormSet, form_set_id_on
from procedures import eform, fees
from procedures.models import PaperRequirement, Procedure

from . import appointments, deadlines, handover, policy, selectors, states
from .codes import next_code
from .errors import StaleDossier, TransitionRefused
from .models import Channel, Dossier, DossierEvent, DossierFile, DossierStep, FilePurpose, Outcome
from .states import Status
from .uploads import EXTENSION, MIME, StoredFiles, inspect

# Re-exported: callers have always found them here.
__all__ = ["StaleDossier", "TransitionRefused"]


def _profile_values(user) -> dict:
    profile = PortalProfile.objects.filter(user=user).first()
    values = {"full_name": user.get_full_name(), "email": user.email}
    if profile is not None:
        values.update(id_number=profile.id_number, phone=profile.phone, address=profile.address,
                      business_name=profile.business_name, tax_code=profile.tax_code)
    return values


@transaction.atomic
def start_draft(*, applicant, procedure: Procedure, agency, channel: str = Channel.ONLINE,
                submission_key: uuid.UUID | None = None, centre=None) -> Dossier:
    """A draft for ``procedure`` settled by ``agency``; ``centre`` is the service centre receiving it
    when that is not the agency's own desk (Decree 118/2025: any centre of the province)."""
    version = procedure.current
    if version is None or not procedure.active:
        raise ValidationError(_("This procedure is not open for online applications."))
    if not version.agencies.filter(pk=agency.pk).exists():
        raise ValidationError(_("This agency does not handle this procedure."))
    if agency.valid_to is not None and agency.valid_to < timezone.localdate():  # merged, reorganised: its successor settles
        raise ValidationError(_("This agency no longer exists; choose the agency that took over from it."))
    profile = _profile_values(applicant)
    return Dossier.objects.create(
        procedure_version=version, agency=agency, applicant=applicant, channel=channel, receiving_centre=centre,
        applicant_name=profile.get("full_name", "")[:150], applicant_id_number=profile.get("id_number", ""),
        applicant_phone=profile.get("phone", ""), applicant_email=profile.get("email", ""),
        applicant_address=profile.get("address", ""),
        form_data=eform.prefill(version.form_schema, profile), submission_key=submission_key or uuid.uuid4(),
    )


def _own_open(dossier: Dossier, applicant, allowed: set[str]) -> None:
    if not selectors.acts_for_applicant(applicant, dossier):  # a draft its author's, else the applicant's side
        raise PermissionDenied
    if dossier.status not in allowed:
        raise ValidationError(_("This dossier can no longer be changed."))


CONTACT_FIELDS = ("applicant_name", "applicant_phone", "applicant_email", "applicant_address", "applicant_id_number")
# Who acts for the applicant, where the result goes back, the post's item number (dossiers.receiving_forms).
DETAIL_FIELDS = ("representative_name", "representative_id_number", "representative_phone", "authorisation",
                 "return_method", "return_centre", "post_item")


@transaction.atomic
def save_draft(*, dossier: Dossier, applicant, form_values: dict, contact: dict | None = None) -> Dossier:
    """Keep what the applicant typed, valid or not yet; it is checked on submission."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _own_open(dossier, applicant, {Status.DRAFT})
    properties = dossier.procedure_version.form_schema.get("properties", {})
    dossier.form_data = {k: v for k, v in form_values.items() if k in properties}
    values = dict(contact or {})
    if "organisation" in values:
        organisation = values.pop("organisation")
        if organisation is not None and not organisations.is_active_member(applicant, organisation.pk):
            raise PermissionDenied  # only its staff apply for an organisation
        dossier.organisation = organisation
    for key, value in values.items():
        if key in CONTACT_FIELDS or key in DETAIL_FIELDS:
            setattr(dossier, key, value)
    dossier.save()
    return dossier


def _store(dossier: Dossier, user, upload, requirement: PaperRequirement | None, purpose: str,
           stored: StoredFiles) -> DossierFile:
    accepted = requirement.accepted_types if requirement else ["pdf", "jpeg", "png", "docx"]
    max_mb = requirement.max_size_mb if requirement else 20
    kind, digest = inspect(upload, accepted=accepted, max_size_mb=max_mb)
    record = DossierFile(
        dossier=dossier, requirement=requirement, purpose=purpose, original_name=(upload.name or "")[-200:],
        extension=EXTENSION[kind], content_type=MIME[kind], size=upload.size, sha256=digest, uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    record.file.save(record.original_name, upload, save=False)
    stored.remember(record.file.name)
    record.save()
    return record


_collector: contextvars.ContextVar[StoredFiles | None] = contextvars.ContextVar("stored_files", default=None)


@contextlib.contextmanager
def files_or_nothing():
    """Files written inside are deleted again if the outermost such block fails (refusal,
    error, rollback): nested blocks share the outer block's list."""
    outer = _collector.get()
    if outer is not None:
        yield outer
        return
    stored = StoredFiles(default_storage)
    token = _collector.set(stored)
    try:
        yield stored
    except BaseException:
        stored.discard()
        raise
    finally:
        _collector.reset(token)


def attach_papers(*, dossier: Dossier, user, uploads: dict[int, object], purpose: str = FilePurpose.PAPER) -> list:
    """Attach one file per required paper (``uploads`` maps requirement id to file). All or none:
    if one file is refused, none is kept."""
    with files_or_nothing() as stored, transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        editable = {Status.DRAFT} if purpose == FilePurpose.PAPER else {Status.SUPPLEMENT_REQUESTED}
        _own_open(dossier, user, editable)
        papers = {p.pk: p for p in dossier.procedure_version.papers.all()}
        records, replaced = [], []
        for requirement_id, upload in uploads.items():
            requirement = papers.get(int(requirement_id))
            if requirement is None:
                raise ValidationError(_("This paper is not part of the procedure."))
            previous = list(dossier.files.filter(requirement=requirement, purpose=purpose, replaced=False))
            records.append(_store(dossier, user, upload, requirement, purpose, stored))
            replaced += previous
        for old in replaced:
            old.replaced = True
            old.save(update_fields=["replaced"])
            if dossier.status == Status.DRAFT:  # never submitted: nobody needs the old file
                name = old.file.name
                transaction.on_commit(lambda name=name: default_storage.delete(name))
        return records


def missing_items(dossier: Dossier) -> dict[str, list[str]]:
    """What stops this dossier from being submitted: form errors and missing required papers."""
    return _checked(dossier)[1]


def _checked(dossier: Dossier) -> tuple[dict, dict[str, list[str]]]:
    """The e-form's cleaned values, and what stops the dossier from being submitted."""
    version = dossier.procedure_version
    values, errors = eform.validate(version.form_schema, dossier.form_data)
    present = set(dossier.files.filter(replaced=False).values_list("requirement_id", flat=True))
    missing = [p.name for p in version.papers.all() if p.required and p.pk not in present]
    if missing:
        errors["papers"] = [_("Missing paper: %(name)s") % {"name": name} for name in missing]
    if not dossier.applicant_name:
        errors["applicant_name"] = [_("Enter the applicant's name.")]
    return values, errors


def _event(dossier: Dossier, *, status: str, from_status: str, actor, note: str = "",
           internal: bool = False) -> DossierEvent:
    event = DossierEvent.objects.create(dossier=dossier, at=timezone.now(), status=status, from_status=from_status,
                                        actor=actor, note=note, internal=internal)
    enqueue("notifications.notify_event", event.pk)
    return event


@transaction.atomic
def submit(*, dossier: Dossier, applicant) -> Dossier:
    """Submit a draft. Idempotent: a double click or a retry returns the dossier already
    submitted (the row lock makes concurrent retries wait for the first one)."""
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version", "agency").get(pk=dossier.pk)
    if dossier.applicant_id != applicant.pk:
        raise PermissionDenied
    if dossier.status != Status.DRAFT:
        return dossier
    locked_as_loaded(dossier)
    values, errors = _checked(dossier)
    if errors:
        raise ValidationError(errors)
    version = dossier.procedure_version
    now = timezone.now()
    dossier.form_data = values
    dossier.fee_amount = fees.total(version.fees, values)
    # The legal basis in force on the day of submission governs the dossier's slips for its whole life.
    try:
        dossier.form_set_id = form_set_id_on(timezone.localdate(now))
    except NoFormSet as missing:  # the province's data lacks today's legal basis: refuse, keep the draft
        raise ValidationError(_("Applications cannot be received today: the legal basis in force (one-stop "
                                "form set) has not been entered. Please try again later.")) from missing
    if dossier.channel not in (Channel.COUNTER, Channel.POST):  # the desk typing it in takes it in at once
        dossier.intake_due_at = deadlines.intake_due(now, dossier.agency)
    dossier.status = Status.SUBMITTED
    dossier.submitted_at = now
    dossier.revision += 1
    _event(dossier, status=Status.SUBMITTED, from_status=Status.DRAFT, actor=applicant)
    # The day's number last: its row stays locked until COMMIT, so every other submission of this
    # agency waits only for this save, not for the work above (the dossier row is ours already).
    dossier.code = next_code(dossier.agency, now)
    dossier.save()
    return dossier


def submit_new(*, applicant, procedure: Procedure, agency, form_values: dict, uploads: dict, key: uuid.UUID,
               contact: dict | None = None, channel: str = Channel.API) -> tuple[Dossier, bool]:
    """One-shot submission (API): draft, papers and submission in one transaction, keyed by the
    client's idempotency key. Returns (dossier, created); a replay returns the first dossier."""
    existing = Dossier.objects.filter(applicant=applicant, submission_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with files_or_nothing(), transaction.atomic():
            dossier = start_draft(applicant=applicant, procedure=procedure, agency=agency, channel=channel,
                                  submission_key=key)
            save_draft(dossier=dossier, applicant=applicant, form_values={**dossier.form_data, **form_values},
                       contact=contact)
            if uploads:
                attach_papers(dossier=dossier, user=applicant, uploads=uploads)
            return submit(dossier=dossier, applicant=applicant), True
    except IntegrityError:
        # A concurrent retry with the same key won the race; its dossier is the answer.
        existing = Dossier.objects.filter(applicant=applicant, submission_key=key).first()
        if existing is None:
            raise
        return existing, False


def _transition(*, dossier: Dossier, to: str, acting_user, via: str, note: str = "", internal: bool = False,
                expected_revision: int | None = None) -> Dossier:
    """Move a dossier to ``to``: only for the door ``via`` that the state table gives this move
    (states.TRANSITIONS), called by that door after dossiers.policy allowed ``acting_user``.
    With ``expected_revision`` (the revision the actor saw), a concurrent change makes this call
    fail instead of overwriting it."""
    current = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if expected_revision is not None and current.revision != expected_revision:
        raise StaleDossier(_("Someone else has just changed this dossier. Reload it and try again."))
    if states.door(current.status, to) != via:
        raise TransitionRefused(_("This action is not allowed for this dossier now."))
    previous = current.status
    now = timezone.now()
    current.status = to
    current.revision += 1
    if previous == Status.SUBMITTED and to == Status.IN_PROGRESS:
        current.received_at = now
    _run_clock(current, previous, to, now)
    if to in states.FINAL:
        current.finished_at = now
    if to == Status.REFUSED:
        current.outcome = Outcome.REFUSED
    elif to == Status.WITHDRAWN:
        current.outcome = Outcome.WITHDRAWN
    elif to == Status.STOPPED:
        current.outcome = Outcome.STOPPED
    current.save()
    _event(current, status=to, from_status=previous, actor=acting_user, note=note, internal=internal)
    return current


def _run_clock(dossier: Dossier, previous: str, to: str, now) -> None:
    """Stop the legal clock while the applicant or a legal reason holds a dossier already
    received; on resumption move the dossier's and the current step's deadlines on."""
    if dossier.received_at is None:
        return
    stopped = states.CLOCK_STOPPED
    if to in stopped and previous not in stopped:
        dossier.clock_stopped_at = now
    elif previous in stopped and to not in stopped and dossier.clock_stopped_at:
        # A pause moves it on; a supplement follows the province's rule (restart or pause, decision 0016).
        dossier.due_at = deadlines.resumed_due(dossier, stopped=previous, stopped_at=dossier.clock_stopped_at,
                                               resumed_at=now)
        if dossier.current_step_id:
            step = DossierStep.objects.select_for_update().get(pk=dossier.current_step_id)
            step.due_at = deadlines.extend(step.due_at, dossier.clock_stopped_at, now)
            step.save(update_fields=["due_at"])
        dossier.clock_stopped_at = None


def answer_supplement(*, dossier: Dossier, applicant, uploads: dict, note: str = "") -> Dossier:
    """The applicant sends what was asked for; the dossier goes back where it was. Papers and
    the change of state are one: if either fails, neither is kept."""
    with files_or_nothing(), transaction.atomic(durable=True):
        current = Dossier.objects.select_for_update().get(pk=dossier.pk)
        _own_open(current, applicant, {Status.SUPPLEMENT_REQUESTED})
        policy.require(applicant, current, "answer_supplement")
        if uploads:
            attach_papers(dossier=current, user=applicant, uploads=uploads, purpose=FilePurpose.SUPPLEMENT)
        back_to = Status.IN_PROGRESS if current.received_at else Status.SUBMITTED
        previous_due = current.due_at
        current = _transition(dossier=current, to=back_to, acting_user=applicant, via="answer_supplement", note=note)
        if back_to == Status.IN_PROGRESS:  # the due moment moved: a new appointment (Mẫu 01), told to the applicant
            told = appointments.new_appointment(current, previous_due=previous_due, cause=appointments.SUPPLEMENTED)
            if told:
                _event(current, status=current.status, from_status=current.status, actor=None, note=told)
        handover.tell_next_actor(current)  # back to the step's holder, or to the desk at intake
        return current


@transaction.atomic(durable=True)
def withdraw(*, dossier: Dossier, applicant, reason: str) -> Dossier:
    if not reason.strip():
        raise ValidationError(_("Give a reason for withdrawing the dossier."))
    current = Dossier.objects.select_for_update().get(pk=dossier.pk)
    policy.require(applicant, current, "withdraw")
    return _transition(dossier=current, to=Status.WITHDRAWN, acting_user=applicant, via="withdraw", note=reason)


@transaction.atomic(durable=True)
def rate(*, dossier: Dossier, applicant, rating: int, comment: str = "") -> Dossier:
    """Satisfaction after the result (feeds the service-quality indices, Decision 766/QĐ-TTg)."""
    current = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _own_open(current, applicant, {Status.COMPLETED})
    policy.require(applicant, current, "rate")
    if rating not in range(1, 6):
        raise ValidationError(_("Choose a rating from 1 to 5."))
    current.rating = rating
    current.rating_comment = comment[:2000]
    current.save(update_fields=["rating", "rating_comment", "updated_at"])
    return current
