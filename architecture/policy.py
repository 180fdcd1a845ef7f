"""Who may read and change the architecture model: the one place that decides.

The province's IT department (PROVINCE_ADMIN) keeps the model; agency leaders and the auditors
read it. Everyone else gets a 404, as for any record out of reach."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from directory.models import Role
from directory.scope import roles_of

EDITORS = frozenset({Role.PROVINCE_ADMIN})
READERS = EDITORS | {Role.AGENCY_LEADER, Role.AUDITOR}


def can_edit(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or roles_of(user) & EDITORS)


def can_read(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or roles_of(user) & READERS)


def require_edit(user) -> None:
    """``None`` is the platform itself (the demo loader, a scheduled synchronisation)."""
    if user is not None and not can_edit(user):
        raise PermissionDenied("Only the province's IT department keeps the architecture model.")
