"""In-app notices of the exchange to an agency's clerks, worded in the platform's language."""

from __future__ import annotations

from django.utils import translation

from directory.models import Role
from egov.tasks import enqueue


def tell_clerks(agency_id: int | None, *, key: str, title, body) -> None:
    """Scheduled with the caller's transaction; ``key`` makes a resent task notify nobody twice."""
    if agency_id is None:
        return
    with translation.override("vi"):
        title, body = str(title), str(body)
    enqueue("notifications.notify_officials", dossier_id=None, agency_id=agency_id, unit_id=None, role=Role.CLERK,
            assignee_id=None, skip_id=None, key=key, title=title, body=body)
