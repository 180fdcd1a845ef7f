"""Reads of dossiers, scoped: the applicant sees their own, officials what their scope allows."""

from django.db.models import QuerySet

from directory.scope import Action, can, visible

from .models import Dossier, DossierFile
from .states import Status


def own_dossiers(user) -> QuerySet[Dossier]:
    return (Dossier.objects.filter(applicant=user).exclude(status=Status.DRAFT)
            .select_related("procedure_version", "agency"))


def own_drafts(user) -> QuerySet[Dossier]:
    return Dossier.objects.filter(applicant=user, status=Status.DRAFT).select_related("procedure_version", "agency")


def dossiers_for_official(user, action: Action = Action.VIEW) -> QuerySet[Dossier]:
    return visible(user, Dossier.objects.exclude(status=Status.DRAFT).select_related("procedure_version", "agency"),
                   action)


def can_read(user, dossier: Dossier) -> bool:
    if not user.is_authenticated:
        return False
    if dossier.applicant_id == user.pk:
        return True
    return dossier.status != Status.DRAFT and can(user, Action.VIEW, agency_id=dossier.agency_id,
                                                  unit_id=dossier.unit_id)


def can_read_file(user, record: DossierFile) -> bool:
    return can_read(user, record.dossier)


def by_code(code: str) -> Dossier | None:
    return (Dossier.objects.filter(code=code.strip()).exclude(status=Status.DRAFT)
            .select_related("procedure_version", "agency").first())


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
