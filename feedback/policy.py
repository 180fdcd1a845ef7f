"""Who may rate, read, answer and count: the one door of satisfaction and feedback (decision 0039).

- A returned dossier (status ``completed``) is rated once: online by its applicant (or the account
  that submitted it for them), or on the desk's tablet through a link that a desk officer able to
  return results for the dossier opened; the link is used once and expires.
- Feedback belongs to its responsible agency: that agency's one-stop desk officers and leaders
  read and answer it; the province administrators read every item (they follow the whole service).
  Its sender reads it by account or by its unguessable link.
- Statistics: an agency's leaders (their agency and those under it), auditors, province
  administrators; per-official figures only from the minimum number of ratings (``Rules``).
"""

from __future__ import annotations

import enum

from django.core.exceptions import PermissionDenied
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from directory.models import Membership, Role
from directory.scope import Action, Scope, scope_of
from dossiers.models import Dossier
from dossiers.states import Status

from .models import Complaint, ComplaintStatus

ANSWERING_ROLES = frozenset({Role.DESK_OFFICER, Role.AGENCY_LEADER})
STATISTICS_ROLES = frozenset({Role.AGENCY_LEADER, Role.AUDITOR, Role.PROVINCE_ADMIN})


class Do(enum.StrEnum):
    VIEW = "view"
    ANSWER = "answer"


class Office(enum.StrEnum):
    QUEUE = "queue"
    KIOSK = "kiosk"
    STATISTICS = "statistics"


def _places(user) -> list[dict]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cache = user.__dict__.get("_feedback_places")
    if cache is None:
        cache = list(Membership.objects.valid_on().filter(official=user).values("agency_id", "roles"))
        user.__dict__["_feedback_places"] = cache
    return cache


def _roles(user) -> set[str]:
    return {role for place in _places(user) for role in (place["roles"] or [])}


def province_admin(user) -> bool:
    return Role.PROVINCE_ADMIN in _roles(user)


def answering_agencies(user) -> set[int]:
    return {place["agency_id"] for place in _places(user) if ANSWERING_ROLES & set(place["roles"] or [])}


# --- rating ----------------------------------------------------------------------------------------

def rating_refusal(dossier: Dossier) -> str:
    """Why this dossier cannot be rated now (empty: it can)."""
    if dossier.status != Status.COMPLETED:
        return _("A dossier is rated once its result has been returned.")
    if hasattr(dossier, "satisfaction"):
        return _("This dossier has been rated already. Thank you.")
    return ""


def may_rate_online(user, dossier: Dossier) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.pk in {dossier.applicant_id, dossier.submitted_by_id}


def may_open_kiosk(user, dossier: Dossier) -> bool:
    """A desk officer who may return results for the dossier: at its agency's desk, or at the service
    centre that received it or returns it."""
    agencies = {dossier.agency_id}
    for centre in (dossier.receiving_centre, dossier.return_centre):
        if centre is not None:
            agencies.add(centre.agency_id)
    intake = scope_of(user, Action.INTAKE)
    return any(intake.allows(agency) for agency in agencies)


# --- feedback --------------------------------------------------------------------------------------

def owns(user, complaint: Complaint, token: str | None = None) -> bool:
    if token and constant_time_compare(token, complaint.token):
        return True
    return bool(user is not None and user.is_authenticated and complaint.requester_id == user.pk)


def allowed(user, do: Do, complaint: Complaint) -> bool:
    answers = complaint.agency_id in answering_agencies(user)
    if do == Do.VIEW:
        return answers or province_admin(user)
    if do == Do.ANSWER:
        return answers and complaint.status == ComplaintStatus.OPEN
    raise ValueError(do)


def require(user, do: Do, complaint: Complaint) -> None:
    if not allowed(user, do, complaint):
        raise PermissionDenied(_("Only the responsible agency answers this feedback.") if do == Do.ANSWER
                               else _("This feedback is not yours to read."))


# --- the workspace pages ---------------------------------------------------------------------------

def statistics_scope(user) -> Scope:
    """The agencies whose figures ``user`` reads."""
    if not STATISTICS_ROLES & _roles(user):
        return Scope()
    return scope_of(user, Action.VIEW)


def may(user, office: Office) -> bool:
    if office == Office.QUEUE:
        return province_admin(user) or bool(answering_agencies(user))
    if office == Office.KIOSK:
        return not scope_of(user, Action.INTAKE).empty
    if office == Office.STATISTICS:
        return not statistics_scope(user).empty
    raise ValueError(office)


def require_office(user, office: Office) -> None:
    if not may(user, office):
        raise PermissionDenied(_("This part of feedback is not open to you."))
