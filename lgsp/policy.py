"""Who manages client systems and reads their calls: the one place that decides, asked by the
pages, the services and the tests.

- The province's administrator (``Action.MANAGE`` over the province) manages every client and
  reads every call; an agency's administrator manages its own agency's clients only. Nobody else
  sees this part of the workspace; another agency's client is not found (404).
- A revoked client is over: nothing more can be done with it. A suspended one can be resumed
  or revoked; its secret is not rotated while it is suspended.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from directory.models import Agency
from directory.scope import Action, can, scope_of
from dossiers.policy import Decision  # allowed, with the reason why not

from .models import Client, ClientStatus

ACTIONS = ("rotate", "suspend", "resume", "revoke", "edit")


def is_manager(user) -> bool:
    return not scope_of(user, Action.MANAGE).empty


def manageable_agencies(user) -> QuerySet[Agency]:
    scope = scope_of(user, Action.MANAGE)
    agencies = Agency.objects.valid_on()
    return agencies if scope.everything else agencies.filter(pk__in=scope.agency_ids)


def visible_clients(user) -> QuerySet[Client]:
    scope = scope_of(user, Action.MANAGE)
    return Client.objects.filter(scope.q("agency", None)) if not scope.empty else Client.objects.none()


def may_manage(user, client: Client) -> bool:
    return can(user, Action.MANAGE, agency_id=client.agency_id)


def may_create(user, agency: Agency | None) -> bool:
    return agency is not None and can(user, Action.MANAGE, agency_id=agency.pk)


def decide(user, client: Client, action: str) -> Decision:
    if action not in ACTIONS:
        raise ValueError(action)
    if not may_manage(user, client):
        return Decision(False, _("You do not manage this agency's client systems."))
    if client.status == ClientStatus.REVOKED:
        return Decision(False, _("This client system is revoked."))
    if action == "suspend" and client.status != ClientStatus.ACTIVE:
        return Decision(False, _("This client system is already suspended."))
    if action == "resume" and client.status != ClientStatus.SUSPENDED:
        return Decision(False, _("This client system is not suspended."))
    if action == "rotate" and client.status != ClientStatus.ACTIVE:
        return Decision(False, _("Resume the client system before giving it a new secret."))
    return Decision(True)


def offered(user, client: Client) -> list[str]:
    return [action for action in ACTIONS if decide(user, client, action)]


def require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)
