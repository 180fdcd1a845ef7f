"""The national systems' status as the administrators' page shows it, and the one action it offers
(send waiting or refused messages again), audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from audit.services import record

from . import outbound, policy
from .base import SYSTEM_NAMES, breaker_state, configured
from .models import OutboundItem

State = OutboundItem.State
KINDS = {"catalog": _("procedure catalog"), "acknowledge": _("answer to a dossier submitted there"),
         "status": _("dossier status"), "result": _("dossier result"), "birth": _("birth registration")}


@dataclass(frozen=True)
class SystemStatus:
    system: str
    name: str
    configured: bool
    breaker: str  # "closed", "open", "half-open"
    pending: int
    failed: int
    delivered: int


def systems() -> list[SystemStatus]:
    counts: dict[str, dict[str, int]] = {
        str(row["system"]): {"pending": row["pending"], "failed": row["failed"], "delivered": row["delivered"]}
        for row in OutboundItem.objects.values("system").annotate(
            pending=Count("pk", filter=Q(state=State.PENDING)), failed=Count("pk", filter=Q(state=State.FAILED)),
            delivered=Count("pk", filter=Q(state=State.DELIVERED)))}
    none = {"pending": 0, "failed": 0, "delivered": 0}
    return [SystemStatus(system=code, name=str(name), configured=configured(code), breaker=breaker_state(code),
                         **counts.get(code, none))
            for code, name in SYSTEM_NAMES.items()]


def owed(system: str = "") -> QuerySet[OutboundItem]:
    """Messages not delivered (waiting or refused), oldest first."""
    items = OutboundItem.objects.exclude(state=State.DELIVERED).order_by("created_at", "pk")
    return items.filter(system=system) if system else items


@transaction.atomic
def retry(*, acting_user, system: str = "", item_id: int | None = None) -> int:
    """Send again now one message, or every message owed to one system (or all)."""
    policy.require_oversee(acting_user)
    items = owed(system)
    if item_id is not None:
        items = items.filter(pk=item_id)
    count = outbound.retry(items)
    record(action="update", object_type="national.outbounditem", object_id=str(item_id or system or "*"),
           summary={"event": "national_outbound_retry", "system": system, "item": item_id, "count": count})
    return count
