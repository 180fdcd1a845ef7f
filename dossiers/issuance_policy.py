"""Who may sign and who may issue a result document (Decree 30/2020/NĐ-CP art. 13 and 15): the
rules ``dossiers.policy`` offers and the signing doors (``dossiers.results``) enforce."""

from __future__ import annotations

from django.utils.translation import gettext as _

from directory.models import Agency
from directory.scope import Action, can

from .models import Dossier, DossierFile
from .result_state import is_issued, is_signed, issuing_agency, result_for
from .states import Status


def why_not_sign(user, dossier: Dossier, result: DossierFile | None, agency: Agency) -> str:
    """Why ``user`` may not sign the result of ``dossier`` now, or ""."""
    if dossier.status != Status.RESULT_READY or result is None:
        return _("Only an approved result can be signed.")
    if is_signed(result) or is_issued(result):
        return _("The result is already signed.")
    if result.extension.lower() != "pdf":
        return _("Only a result document in PDF can be signed.")
    # The competent person of the issuing agency (người có thẩm quyền ký, Decree 30/2020 art. 13).
    if not can(user, Action.SIGN, agency_id=agency.pk):
        return _("Only a leader of the issuing agency signs the result.")
    return ""


def why_not_issue(user, dossier: Dossier, result: DossierFile | None, agency: Agency) -> str:
    """Why ``user`` may not issue the result of ``dossier`` now, or ""."""
    if dossier.status != Status.RESULT_READY or result is None or not is_signed(result):
        return _("The result must be signed by the competent official first.")
    if is_issued(result):
        return _("The result has already been issued.")
    # The clerk (văn thư) of the issuing agency numbers and seals it (Decree 30/2020 art. 15).
    # Role and reach come from the same membership (directory.scope): a clerk of one agency who
    # is a desk officer of another issues for the first only.
    if not can(user, Action.ISSUE, agency_id=agency.pk):
        return _("Only the clerk of the issuing agency issues the result.")
    return ""


def may_sign(user, dossier: Dossier) -> bool:
    """Whether ``user`` may sign the result of ``dossier`` now (state and authority)."""
    return not why_not_sign(user, dossier, result_for(dossier), issuing_agency(dossier))


def may_issue(user, dossier: Dossier) -> bool:
    """Whether ``user`` may issue the result of ``dossier`` now (state and authority)."""
    return not why_not_issue(user, dossier, result_for(dossier), issuing_agency(dossier))
