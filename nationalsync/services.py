"""The administrators' doors of the national portal's synchronisation page, audited."""

from __future__ import annotations

from audit.services import record
from national import policy

from .inbound import FetchReport, fetch


def fetch_now(*, acting_user) -> FetchReport:
    policy.require_oversee(acting_user)
    report = fetch()
    record(action="import", object_type="nationalsync.nationaldossier", object_id="*",
           summary={"event": "npsp_dossiers_fetched", "fetched": report.fetched, "received": report.received, "refused": report.refused,
                    "unavailable": report.unavailable})
    return report
