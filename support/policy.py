"""Who may see, answer, escalate and manage support: the one door (decision 0034).

Every service calls :func:`require` before it changes anything, every page offers exactly what
:func:`allowed` says, and the selectors narrow the lists with :func:`answering_agencies`.

- A request about a procedure or a dossier belongs to the settling agency: its one-stop desk
  officers answer it, its leaders too (they receive the escalations). A technical request belongs
  to the IT help desk: the province administrators (Sở Khoa học và Công nghệ).
- The province administrators read every request (they follow the whole service) but answer only
  the IT help desk's.
- A requester reads their own requests: by account, or by the unguessable link of the request.
- The hotline operator records phone requests: a desk officer of an agency that staffs the
  provincial service centre, or a province administrator.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from directory.models import Membership, Role, ServiceCentre

from .models import RequestStatus, SupportRequest


class Do(enum.StrEnum):
    VIEW = "view"
    ANSWER = "answer"
    ESCALATE = "escalate"
    RATE = "rate"


class Office(enum.StrEnum):
    """What an official may do in the support part of the workspace, request aside."""

    QUEUE = "queue"  # read the requests of their desk
    HOTLINE = "hotline"  # record a phone request
    STATISTICS = "statistics"
    CAMPAIGNS = "campaigns"  # announcements and broadcasts


ANSWERING_ROLES = frozenset({Role.DESK_OFFICER, Role.AGENCY_LEADER})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


YES = Decision(True)


def _no(reason: str) -> Decision:
    return Decision(False, reason)


def _places(user) -> list[dict]:
    """The user's memberships in force (agency and roles), read once per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cache = user.__dict__.get("_support_places")
    if cache is None:
        cache = list(Membership.objects.valid_on().filter(official=user).values("agency_id", "roles"))
        user.__dict__["_support_places"] = cache
    return cache


def province_admin(user) -> bool:
    return any(Role.PROVINCE_ADMIN in (place["roles"] or []) for place in _places(user))


def answering_agencies(user) -> set[int]:
    """The agencies whose requests ``user`` answers (desk officer or leader there)."""
    return {place["agency_id"] for place in _places(user) if ANSWERING_ROLES & set(place["roles"] or [])}


def leads(user, agency_id: int) -> bool:
    return any(place["agency_id"] == agency_id and Role.AGENCY_LEADER in (place["roles"] or [])
               for place in _places(user))


def _answers(user, request: SupportRequest) -> bool:
    if request.agency_id is None:
        return province_admin(user)
    return request.agency_id in answering_agencies(user)


def _owns(user, request: SupportRequest, token: str | None) -> bool:
    if token and constant_time_compare(token, request.token):
        return True
    return bool(user is not None and user.is_authenticated and request.requester_id == user.pk)


def decide(user, do: Do, request: SupportRequest, *, token: str | None = None) -> Decision:
    if do == Do.VIEW:
        if _owns(user, request, token) or _answers(user, request) or province_admin(user):
            return YES
        return _no(_("This request is not yours to read."))
    if do == Do.ANSWER:
        if request.status != RequestStatus.OPEN:
            return _no(_("This request has been answered already."))
        return YES if _answers(user, request) else _no(_("Only the responsible desk answers this request."))
    if do == Do.ESCALATE:
        if request.status != RequestStatus.OPEN or request.escalated_at is not None:
            return _no(_("Only an open request not yet escalated can be escalated."))
        if request.agency_id is not None and leads(user, request.agency_id):
            return _no(_("The agency's leaders receive escalations; they answer instead."))
        return YES if _answers(user, request) else _no(_("Only the responsible desk escalates this request."))
    if do == Do.RATE:
        if request.status != RequestStatus.ANSWERED or request.rating is not None:
            return _no(_("Only an answer not yet rated can be rated."))
        return YES if _owns(user, request, token) else _no(_("Only the person who asked rates the answer."))
    raise ValueError(do)


def allowed(user, do: Do, request: SupportRequest, *, token: str | None = None) -> bool:
    return bool(decide(user, do, request, token=token))


def require(user, do: Do, request: SupportRequest, *, token: str | None = None) -> None:
    decision = decide(user, do, request, token=token)
    if not decision:
        raise PermissionDenied(decision.reason)


def hotline_operator(user) -> bool:
    if province_admin(user):
        return True
    desks = {place["agency_id"] for place in _places(user) if Role.DESK_OFFICER in (place["roles"] or [])}
    return bool(desks) and ServiceCentre.objects.valid_on().filter(
        level=ServiceCentre.Level.PROVINCE, agency_id__in=desks).exists()


def may(user, office: Office) -> bool:
    if office == Office.QUEUE:
        return province_admin(user) or bool(answering_agencies(user))
    if office == Office.HOTLINE:
        return hotline_operator(user)
    if office == Office.STATISTICS:
        return province_admin(user) or any(leads(user, agency) for agency in answering_agencies(user))
    if office == Office.CAMPAIGNS:
        return province_admin(user)
    raise ValueError(office)


def require_office(user, office: Office) -> None:
    if not may(user, office):
        raise PermissionDenied(_("This part of support is not open to you."))
