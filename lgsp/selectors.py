"""Reads of the integration platform, already limited to what the reader manages
(``lgsp.policy.visible_clients``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from . import policy
from .models import CallLog, Client


@dataclass(frozen=True)
class CallFilter:
    client_id: int | None = None
    service: str = ""
    failed: bool = False
    since: dt.date | None = None
    until: dt.date | None = None


def calls(user, filters: CallFilter) -> QuerySet[CallLog]:
    found = CallLog.objects.filter(client__in=policy.visible_clients(user)).select_related("client")
    if filters.client_id:
        found = found.filter(client_id=filters.client_id)
    if filters.service:
        found = found.filter(service__startswith=filters.service)
    if filters.failed:
        found = found.filter(status__gte=400)
    if filters.since:
        found = found.filter(at__date__gte=filters.since)
    if filters.until:
        found = found.filter(at__date__lte=filters.until)
    return found.order_by("-at")


@dataclass(frozen=True)
class Usage:
    days: list[dt.date]
    clients: list[Client]
    counts: dict[tuple[int, dt.date], int]  # (client id, day) -> calls
    totals: list[dict]  # per client: calls, failed, average ms, bytes out


def usage(user, *, days: int = 14, client_id: int | None = None) -> Usage:
    """Calls per client per day over the last ``days`` days, and each client's totals (one client's
    only when ``client_id`` is given)."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    recent = CallLog.objects.filter(client__in=policy.visible_clients(user), at__date__gte=first)
    if client_id:
        recent = recent.filter(client_id=client_id)
    counts = {(row["client_id"], row["day"]): row["n"] for row in
              recent.annotate(day=TruncDate("at")).values("client_id", "day").annotate(n=Count("id"))}
    totals: list[dict] = [dict(row) for row in recent.values("client_id", "client__name").annotate(
        calls=Count("id"), failed=Count("id", filter=Q(status__gte=400)), average_ms=Avg("duration_ms"),
        bytes_out=Sum("response_bytes")).order_by("client__name")]
    ids = {row["client_id"] for row in totals}
    clients = list(Client.objects.filter(pk__in=ids).order_by("name"))
    return Usage(days=[first + dt.timedelta(days=i) for i in range(days)], clients=clients, counts=counts,
                 totals=totals)
