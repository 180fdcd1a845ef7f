"""Who may follow and act on the national systems' status page (trang tình trạng kết nối hệ thống
quốc gia): the province's administrators, who answer for the connections. One door, asked by the
page, its buttons and the service alike."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from directory.access import manages_province


def may_oversee(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and manages_province(user))


def require_oversee(user) -> None:
    if not may_oversee(user):
        raise PermissionDenied
