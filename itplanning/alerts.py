"""Alerts before an IT asset expires (a licence, a certificate, a hired service's contract): the
owner agency's administrators are told in the app once per threshold (``AlertThreshold``: 90, 30
and 7 days by default) and expiry date, however often the periodic task runs.

The alert row is written first, under a unique constraint (asset, threshold, expiry date), so two
runs at once tell once; a renewed asset (a later expiry date) is alerted afresh. An asset first
listed with fewer days left than several thresholds gets one notice, for the tightest one; the wider
thresholds are recorded as told. An agency without an administrator has the province's IT
department (PROVINCE_ADMIN) told instead.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership, Role
from notifications.services import notify_officials

from .models import AlertThreshold, Asset, AssetAlert

logger = logging.getLogger(__name__)


def thresholds() -> list[int]:
    return sorted(AlertThreshold.objects.values_list("days", flat=True))


def _agencies_with(role: str, agency_id: int | None = None) -> list[int]:
    memberships = Membership.objects.valid_on().filter(official__is_active=True)
    if agency_id is not None:
        memberships = memberships.filter(agency_id=agency_id)
    # Roles are a JSON list: filtered here, the same way on every database.
    return sorted({agency for agency, roles in memberships.values_list("agency_id", "roles") if role in (roles or [])})


def tell_owner(asset: Asset, *, threshold: int, expires_on: dt.date, title: str, body: str) -> int:
    key = f"itasset:{asset.pk}:{threshold}:{expires_on.isoformat()}"
    targets = [(asset.agency_id, Role.AGENCY_ADMIN)] if _agencies_with(Role.AGENCY_ADMIN, asset.agency_id) else [
        (agency_id, Role.PROVINCE_ADMIN) for agency_id in _agencies_with(Role.PROVINCE_ADMIN)]
    told = 0
    for agency_id, role in targets:
        told += len(notify_officials(agency_id=agency_id, role=role, title=title, body=body, key=key))
    return told


def alert_expiring(today: dt.date | None = None) -> int:
    """Tell the owners of the assets that reached an alert threshold; returns the alerts sent."""
    today = today or timezone.localdate()
    days = thresholds()
    if not days:
        return 0
    sent = 0
    assets = Asset.objects.filter(active=True, expires_on__gte=today,
                                  expires_on__lte=today + dt.timedelta(days=days[-1])).select_related("agency")
    for asset in assets:
        expires_on = asset.expires_on
        if expires_on is None:
            continue
        left = (expires_on - today).days
        reached = [d for d in days if left <= d]
        tightest = reached[0]
        try:
            with transaction.atomic():
                AssetAlert.objects.create(asset=asset, threshold_days=tightest, expires_on=expires_on)
                AssetAlert.objects.bulk_create(
                    [AssetAlert(asset=asset, threshold_days=d, expires_on=expires_on) for d in reached[1:]],
                    ignore_conflicts=True)
                title = _("%(kind)s expires in %(days)d days: %(name)s") % {
                    "kind": asset.get_kind_display().capitalize(), "days": left, "name": asset.name[:120]}
                body = _("%(name)s of %(agency)s expires on %(date)s. Renew it or plan its replacement.") % {
                    "name": asset.name, "agency": asset.agency.name, "date": expires_on.strftime("%d/%m/%Y")}
                tell_owner(asset, threshold=tightest, expires_on=expires_on, title=title, body=body)
        except IntegrityError:
            continue  # told already (or another run is telling now)
        sent += 1
    logger.info("asset expiry alerts", extra={"count": sent})
    return sent
