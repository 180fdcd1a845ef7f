"""Who sees the retention job and acts on it: the one place that decides, asked by the page (what it
offers), the services (what they allow) and the tests (that the two agree).

The province's IT department (PROVINCE_ADMIN) runs it: reads the policies and the runs' reports,
starts a dry run, places and releases legal holds. The province's auditors (AUDITOR) read the same
page, to check what was archived and erased, and act on nothing. Everyone else is not shown the page
(404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from directory.models import Role
from directory.scope import roles_of
from dossiers.policy import Decision

ACTIONS = ("view", "dry_run", "hold", "release")
OPERATORS = frozenset({Role.PROVINCE_ADMIN})
READERS = OPERATORS | {Role.AUDITOR}


def _roles(user) -> set[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return roles_of(user)


def decide(user, action: str) -> Decision:
    if action not in ACTIONS:
        raise ValueError(action)
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return Decision(True)
    roles = _roles(user)
    if action == "view":
        return Decision(bool(roles & READERS), _("Only the province's IT department and auditors see retention."))
    return Decision(bool(roles & OPERATORS), _("Only the province's IT department runs retention."))


def offered(user) -> list[str]:
    return [action for action in ACTIONS if action != "view" and decide(user, action)]


def require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)
