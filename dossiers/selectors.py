"""Reads of dossiers, scoped: the applicant sees their own, officials what their scope allows."""

from django.db.models import Q, QuerySet

from directory.scope import Action, can, scope_of, visible

from .models import Dossier, DossierFile
from .states import Status


def own_dossiers(user) -> QuerySet[Dossier]:
    return (Dossier.objects.filter(applicant=user).exclude(status=Status.DRAFT)
            .select_related("procedure_version", "agency"))


def own_drafts(user) -> QuerySet[Dossier]:
    return Dossier.objects.filter(applicant=user, status=Status.DRAFT).select_related("procedure_version", "agency")


def dossiers_for_official(user, action: Action = Action.VIEW) -> QuerySet[Dossier]:
    """Dossiers received by an agency in the reader's scope, or held by one now (inter-agency)."""
    base = Dossier.objects.exclude(status=Status.DRAFT)
    received = visible(user, base, action).values("pk")
    held = visible(user, base, action, agency_field="current_agency").values("pk")
    return (base.filter(pk__in=received) | base.filter(pk__in=held)).select_related(
        "procedure_version", "agency", "current_step", "assignee")


def can_read(user, dossier: Dossier) -> bool:
    if not user.is_authenticated:
        return False
    if dossier.applicant_id == user.pk:
        return True
    if dossier.status == Status.DRAFT:
        return False
    agencies = {dossier.agency_id, dossier.current_agency_id} - {None}
    if any(can(user, Action.VIEW, agency_id=a, unit_id=dossier.unit_id) for a in agencies):
        return True
    # Officials who held the dossier at an earlier step keep reading it.
    return dossier.steps.filter(
        Q(agency_id__in=scope_agencies(user)) | Q(assignee=user) | Q(handed_by=user)).exists()


def can_read_file(user, record: DossierFile) -> bool:
    return can_read(user, record.dossier)


def by_code(code: str) -> Dossier | None:
    return (Dossier.objects.filter(code=code.strip()).exclude(status=Status.DRAFT)
            .select_related("procedure_version", "agency").first())


LOOKUP_FAILURE_LIMIT = 10
LOOKUP_FAILURE_WINDOW = 3600


class TooManyGuesses(Exception):
    """Ten wrong answers for one dossier within an hour: further answers are not checked."""


def check_lookup_secret(dossier: Dossier, answer: str) -> bool:
    """The second factor of the public lookup (web page and API alike), with one shared limit
    on wrong answers per dossier so that guessing through either adds up."""
    from django.core.cache import cache

    key = f"lookup-failures:{dossier.pk}"
    if cache.get(key, 0) >= LOOKUP_FAILURE_LIMIT:
        raise TooManyGuesses
    if second_factor_matches(dossier, answer):
        return True
    cache.add(key, 0, LOOKUP_FAILURE_WINDOW)
    cache.incr(key)
    return False


def second_factor_matches(dossier: Dossier, answer: str) -> bool:
    """The public lookup shows details to whoever knows the phone or ID number given at
    submission (compared exactly, digits only)."""
    digits = "".join(ch for ch in answer if ch.isdigit())
    if len(digits) < 9:
        return False
    phone = "".join(ch for ch in dossier.applicant_phone if ch.isdigit())
    if phone.startswith("84"):
        phone = "0" + phone[2:]
    if digits.startswith("84"):
        digits = "0" + digits[2:]
    return digits in {phone, dossier.applicant_id_number} - {""}


def scope_agencies(user) -> set[int]:
    scope = scope_of(user, Action.VIEW)
    return set(scope.agency_ids)
