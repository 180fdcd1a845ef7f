"""The province's procedure catalog published on the National Public Service Portal (công khai thủ
tục hành chính, Decree 63/2010/NĐ-CP as amended; ADR 0046): every procedure open for applications,
with its current version, sent as one message of the outbound queue. Publishing the same catalog
again (nothing changed) makes no new message: the key is the catalog's fingerprint."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import transaction

from audit.services import record
from directory.models import Agency
from national import outbound, policy
from national.models import OutboundItem
from procedures.models import Procedure


def province_code() -> str:
    """The province's identifier code: ``NATIONAL_PROVINCE_CODE``, else its People's Committee (the
    agency in force without a parent)."""
    configured = getattr(settings, "NATIONAL_PROVINCE_CODE", "")
    if configured:
        return configured
    root = Agency.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("code").first()
    return root.code if root else ""


def catalog() -> dict:
    items = []
    procedures = (Procedure.objects.filter(active=True, current__isnull=False).order_by("code")
                  .select_related("current__field").prefetch_related("current__agencies"))
    for procedure in procedures:
        version = procedure.current
        if version is None:
            continue
        items.append({
            "maTTHC": procedure.code, "tenTTHC": version.name, "linhVuc": version.field.name,
            "capThucHien": version.level, "thoiHanGiaiQuyet": str(version.time_limit),
            "donViThoiHan": version.time_limit_kind, "ketQua": version.result_type, "canCu": version.legal_basis,
            "phiLePhi": [fee.get("name", "") for fee in version.fees or [] if isinstance(fee, dict)],
            "coQuanThucHien": sorted(agency.code for agency in version.agencies.all())})
    return {"maDonVi": province_code(), "thuTuc": items}


@transaction.atomic
def publish(*, acting_user=None) -> OutboundItem:
    """Queue the catalog for the national portal: an administrator's button, or the platform itself
    (``acting_user=None``: the command)."""
    if acting_user is not None:
        policy.require_oversee(acting_user)
    payload = catalog()
    fingerprint = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]
    item = outbound.enqueue(system="npsp", kind="catalog", reference=f"catalog:{payload['maDonVi']}",
                            payload=payload, idempotency_key=f"npsp:catalog:{fingerprint}")
    record(action="export", obj=item, summary={"event": "npsp_catalog_published", "procedures": len(payload["thuTuc"])})
    return item
