"""Reads of dossiers, scoped: the applicant sees their own, officials what their scope allows."""

from django.db.models import F, Q, QuerySet

from accounts import organisations
from directory.models import ServiceCentre
from directory.scope import Action, can, scope_of
from egov import limits
from egov.crypto import lookup_hash

from .models import Dossier, DossierEvent, DossierFile, FilePurpose
from .states import Status


def acts_for_applicant(user, dossier: Dossier) -> bool:
    """The applicant's side of a dossier (decision 0018): for an organisation's dossier, every active
    staff member of the organisation and nobody else (a removed member loses it at once); otherwise
    the applicant's account and the account that submitted it for them. A draft is its author's."""
    if user is None or not user.is_authenticated:  # an account made at the counter is not active yet
        return False
    if dossier.status == Status.DRAFT:
        return dossier.applicant_id == user.pk
    if dossier.organisation_id is not None:
        return organisations.is_active_member(user, dossier.organisation_id)
    return user.pk in (dossier.applicant_id, dossier.submitted_by_id)


def own_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers ``user`` follows as the applicant's side (:func:`acts_for_applicant`)."""
    mine = Q(applicant=user, organisation__isnull=True) | Q(submitted_by=user, organisation__isnull=True)
    return (Dossier.objects.filter(mine | Q(organisation__in=organisations.organisation_ids_of(user)))
            .exclude(status=Status.DRAFT).select_related("procedure_version", "agency"))


def own_drafts(user) -> QuerySet[Dossier]:
    return Dossier.objects.filter(applicant=user, status=Status.DRAFT).select_related("procedure_version", "agency")


def dossiers_for_official(user, action: Action = Action.VIEW) -> QuerySet[Dossier]:
    """Dossiers settled by an agency in the reader's scope, held by one now (inter-agency), or received
    or returned at a service centre staffed by one (Decree 118/2025: receiving anywhere).

    One condition on the dossier's own columns (the centres' ids read first), so that PostgreSQL
    combines the work-list indexes (BitmapOr) instead of building the set of every dossier an agency
    ever had: the lists and their counts stay flat as the years pile up (decision 0055)."""
    base = Dossier.objects.exclude(status=Status.DRAFT)
    scope = scope_of(user, action)
    if scope.empty:
        return base.none()
    if not scope.everything:
        condition = scope.q("agency", "unit") | scope.q("current_agency", "unit")
        centres = centre_ids(user, scope.agency_ids)
        if centres:
            condition |= Q(receiving_centre__in=centres) | Q(return_centre__in=centres)
        base = base.filter(condition)
    return base.select_related("procedure_version", "agency", "current_step", "assignee")


def centre_ids(user, agency_ids: frozenset[int]) -> list[int]:
    """The service centres staffed by these agencies, read once per request (like the scope itself,
    kept on the user object), then compared on the dossier's column."""
    cache = user.__dict__.setdefault("_centre_ids_cache", {})
    if agency_ids not in cache:
        cache[agency_ids] = list(ServiceCentre.objects.filter(agency__in=agency_ids).values_list("pk", flat=True))
    return cache[agency_ids]


def can_read(user, dossier: Dossier) -> bool:
    if not user.is_authenticated:
        return False
    if acts_for_applicant(user, dossier):
        return True
    if dossier.status == Status.DRAFT:
        return False
    agencies = {dossier.agency_id, dossier.current_agency_id} - {None}
    if any(can(user, Action.VIEW, agency_id=a, unit_id=dossier.unit_id) for a in agencies):
        return True
    if any(can(user, Action.VIEW, agency_id=centre.agency_id)
           for centre in (dossier.receiving_centre, dossier.return_centre) if centre is not None):
        return True
    # Officials who held the dossier at an earlier step keep reading it.
    return dossier.steps.filter(
        Q(agency_id__in=scope_agencies(user)) | Q(assignee=user) | Q(handed_by=user)).exists()


def _reads_as_official(user, dossier: Dossier) -> bool:
    agencies = {dossier.agency_id, dossier.current_agency_id} - {None}
    return any(can(user, Action.VIEW, agency_id=a, unit_id=dossier.unit_id) for a in agencies)


def applicant_sees_result(dossier: Dossier, record: DossierFile) -> bool:
    """The applicant gets a result document once it is issued (number, date, seal) and returned
    to them: never the draft, the merely signed copy or a replaced one (Decree 61/2018 art. 27,
    results are returned by the one-stop desk)."""
    return (dossier.status == Status.COMPLETED and not record.replaced and bool(record.issue_number))


def can_read_file(user, record: DossierFile) -> bool:
    dossier = record.dossier
    if not can_read(user, dossier):
        return False
    if record.purpose == FilePurpose.RESULT and (dossier.applicant_id == user.pk or acts_for_applicant(user, dossier)):
        return applicant_sees_result(dossier, record) or _reads_as_official(user, dossier)
    return True


def applicant_files(dossier: Dossier) -> QuerySet[DossierFile]:
    """The files the applicant sees on their dossier: their papers and supplements, and the
    result once issued and returned."""
    files = dossier.files.filter(replaced=False)
    if dossier.status != Status.COMPLETED:
        return files.exclude(purpose=FilePurpose.RESULT)
    return files.exclude(purpose=FilePurpose.RESULT, issue_number="")


# What the public tracking page and API show and check, and nothing more: a dossier row is wide
# and its procedure version carries the whole e-form, which the lookup never needs.
_PUBLIC_COLUMNS = ("code", "status", "channel", "fee_amount", "submitted_at", "due_at",
                   "finished_at", "applicant_name", "applicant_phone", "applicant_id_number",
                   "representative_phone", "representative_id_number", "procedure_version__name",
                   "procedure_version__procedure__code", "agency__code", "agency__name")


def public_by_code(code: str) -> Dossier | None:
    """The dossier behind a public lookup (portal page and API). The code is unique: ``[:1]`` rather than
    ``first()``, which would order by id for nothing."""
    found = (Dossier.objects.filter(code=code.strip()).exclude(status=Status.DRAFT)
             .select_related("procedure_version__procedure", "agency").only(*_PUBLIC_COLUMNS).order_by()[:1])
    return found[0] if found else None


def public_timeline(dossier: Dossier) -> list[DossierEvent]:
    """The events a public lookup lists, with the columns it shows."""
    return list(dossier.events.only("at", "status", "note", "internal", "dossier_id"))


def by_code(code: str) -> Dossier | None:
    return (Dossier.objects.filter(code=code.strip()).exclude(status=Status.DRAFT)
            .select_related("procedure_version", "agency").first())


LOOKUP_FAILURE_LIMIT = 10
LOOKUP_FAILURE_WINDOW = 3600


class TooManyGuesses(Exception):
    """Ten wrong answers for one dossier from one address within an hour: further answers from
    there are not checked."""


def lookup_failures_key(dossier: Dossier, client_address: str | None) -> str:
    return f"lookup-failures:{dossier.pk}:{limits.network(client_address)}"


def check_lookup_secret(dossier: Dossier, answer: str, *, client_address: str | None) -> bool:
    """The second factor of the public lookup (web page and API alike). Wrong answers are
    counted per dossier and client address in the shared cache (Redis in production, so every
    worker sees them): guessing through either door adds up, while a stranger's guessing never
    locks out the applicant, who asks from another address."""
    from django.core.cache import cache

    key = lookup_failures_key(dossier, client_address)
    if cache.get(key, 0) >= LOOKUP_FAILURE_LIMIT:
        raise TooManyGuesses
    if second_factor_matches(dossier, answer):
        return True
    limits.tally(key, LOOKUP_FAILURE_WINDOW)
    return False


def _national(digits: str) -> str:
    return "0" + digits[2:] if digits.startswith("84") else digits


def second_factor_matches(dossier: Dossier, answer: str) -> bool:
    """The public lookup shows details to whoever knows the phone or ID number given at
    submission, the applicant's or their representative's (compared exactly, digits only)."""
    digits = "".join(ch for ch in answer if ch.isdigit())
    if len(digits) < 9:
        return False
    phones = {_national("".join(ch for ch in phone if ch.isdigit()))
              for phone in (dossier.applicant_phone, dossier.representative_phone)}
    return _national(digits) in (phones | {dossier.applicant_id_number, dossier.representative_id_number}) - {""}


def scope_agencies(user) -> set[int]:
    scope = scope_of(user, Action.VIEW)
    return set(scope.agency_ids)


def form_set_of(dossier: Dossier):
    """The one-stop form set of ``dossier``: the one recorded at submission, else (dossiers
    submitted before form sets were recorded) the one in force on its submission day."""
    return dossier.applicable_form_set


def overdue_q(now) -> Q:
    """Dossiers past their due moment: being processed and past it now, or with their clock stopped
    (paused, waiting for a supplement) after it had already passed; they stay in the overdue lists.
    Online dossiers waiting for intake past the desk's intake time limit are overdue too."""
    first, *others = overdue_arms(now)
    for arm in others:
        first |= arm
    return first


def overdue_arms(now) -> list[Q]:
    """:func:`overdue_q`'s conditions, one per state (so no dossier meets two of them)."""
    stopped = (Status.PAUSED, Status.SUPPLEMENT_REQUESTED)
    return [Q(status=Status.IN_PROGRESS, due_at__lt=now),
            Q(status=Status.SUBMITTED, intake_due_at__lt=now),  # an online dossier not taken in in time
            Q(status__in=stopped, clock_stopped_at__isnull=False, due_at__lt=F("clock_stopped_at"))]


def search_q(text: str) -> Q:
    """The office's search box: a dossier code or part of the applicant's name, or the applicant's whole
    identification number, found by its keyed hash since the number is encrypted at rest (ADR 0050)."""
    text = text.strip()
    found = Q(code__icontains=text) | Q(applicant_name__icontains=text)
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 12 and len(digits) >= len(text.replace(" ", "")):
        found |= Q(applicant_id_number_hash=lookup_hash("id-number", digits))
    return found
