"""The durable outbound queue to the national systems (hàng đợi gửi đi, ADR 0042).

A change that owes a national system a message (a dossier's new status, its result, the catalog, a
birth registration) calls :func:`enqueue` inside its own transaction: the message exists exactly
when the change does, and the official's work never waits for, nor fails with, the national side.
After commit the message is sent at once (an ``egov.tasks`` task); if the system does not answer
it stays waiting and :func:`deliver_due` (every minute, Celery beat or the embedded runner) sends
it again after a pause that doubles each time, in the order the messages were made for one
reference, so that a dossier's statuses arrive in their order. A refusal (4xx, or a refusal in the
system's envelope) is final until an administrator retries it from the status page.

Exactly once, from the platform's side: the idempotency key is unique in the queue (enqueueing the
same message twice keeps one) and travels as ``Idempotency-Key``, so a message sent again after a
lost answer is applied once by the national system.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from egov.tasks import enqueue as schedule

from . import civil_status, npsp, signals
from .base import Refused, Unavailable
from .models import OutboundItem

log = logging.getLogger("national")

State = OutboundItem.State


def _npsp(send: Callable[..., Any]) -> Callable[[OutboundItem], Any]:
    return lambda item: send(item.reference, item.payload, key=item.idempotency_key)


# (system, kind) → how an item of that kind is sent.
SENDERS: dict[tuple[str, str], Callable[[OutboundItem], Any]] = {
    ("npsp", "catalog"): lambda item: npsp.publish_catalog(item.payload, key=item.idempotency_key),
    ("npsp", "acknowledge"): _npsp(npsp.acknowledge),
    ("npsp", "status"): _npsp(npsp.push_status),
    ("npsp", "result"): _npsp(npsp.push_result),
    ("civil_status", "birth"): lambda item: civil_status.register(item.payload, key=item.idempotency_key),
}


def pause_after(attempts: int) -> dt.timedelta:
    """30 s, 1, 2, 4 … minutes, never more than an hour (``NATIONAL_OUTBOUND_PAUSE_SECONDS``,
    ``NATIONAL_OUTBOUND_MAX_PAUSE_SECONDS``)."""
    first = getattr(settings, "NATIONAL_OUTBOUND_PAUSE_SECONDS", 30)
    ceiling = getattr(settings, "NATIONAL_OUTBOUND_MAX_PAUSE_SECONDS", 3600)
    return dt.timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), ceiling))


def enqueue(*, system: str, kind: str, reference: str, payload: dict, idempotency_key: str) -> OutboundItem:
    """Record a message in the caller's transaction and send it once committed. The same key twice
    keeps the first message (a door run again, a signal heard twice)."""
    if (system, kind) not in SENDERS:
        raise ValueError(f"no sender for {system}/{kind}")
    existing = OutboundItem.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            item = OutboundItem.objects.create(system=system, kind=kind, reference=reference[:80], payload=payload,
                                               idempotency_key=idempotency_key, created_at=now, next_attempt_at=now)
    except IntegrityError:  # a concurrent door recorded it first
        return OutboundItem.objects.get(idempotency_key=idempotency_key)
    schedule("national.deliver", item.pk)
    return item


def _earlier_waiting(item: OutboundItem) -> bool:
    """An older message about the same reference is still owed: this one waits its turn."""
    return OutboundItem.objects.filter(system=item.system, reference=item.reference, state=State.PENDING,
                                       pk__lt=item.pk).exists()


def deliver(item_id: int, *, now: dt.datetime | None = None) -> str:
    """One attempt at one message, if it is due and its turn: "delivered", "refused",
    "unavailable", or "skipped". No row is locked while the national system is called: the claim
    is one conditional UPDATE that also sets the next attempt, so two workers never send it at once."""
    now = now or timezone.now()
    item = OutboundItem.objects.filter(pk=item_id, state=State.PENDING).first()
    if item is None or item.next_attempt_at > now or _earlier_waiting(item):
        return "skipped"
    claimed = OutboundItem.objects.filter(pk=item.pk, state=State.PENDING, attempts=item.attempts).update(
        attempts=F("attempts") + 1, last_attempt_at=timezone.now(),
        next_attempt_at=timezone.now() + pause_after(item.attempts + 1))
    if not claimed:
        return "skipped"
    item.refresh_from_db()
    try:
        answer = SENDERS[(item.system, item.kind)](item)
    except Unavailable as error:
        OutboundItem.objects.filter(pk=item.pk).update(last_error=error.reason[:300])
        log.warning("national message waits", extra={"system": item.system, "kind": item.kind,
                                                     "outbound_id": item.pk, "reason": error.reason})
        return "unavailable"
    except Refused as error:
        with transaction.atomic():
            item.state, item.last_error = State.FAILED, f"{error.status} {error.code} {error.detail}"[:300]
            item.response = {"code": error.code, "status": error.status, "detail": error.detail[:300]}
            item.save(update_fields=["state", "last_error", "response"])
            signals.refused.send(sender=OutboundItem, item=item)
        log.warning("national message refused", extra={"system": item.system, "kind": item.kind,
                                                       "outbound_id": item.pk, "code": error.code})
        return "refused"
    with transaction.atomic():
        item.state, item.delivered_at, item.last_error = State.DELIVERED, timezone.now(), ""
        item.response = answer if isinstance(answer, dict) else {}
        item.save(update_fields=["state", "delivered_at", "last_error", "response"])
        signals.delivered.send(sender=OutboundItem, item=item)
    return "delivered"


def due(now: dt.datetime | None = None) -> QuerySet[OutboundItem]:
    return OutboundItem.objects.filter(state=State.PENDING, next_attempt_at__lte=now or timezone.now())


def deliver_due(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due, oldest first; a system that does not answer is left alone until the next
    run (its breaker refuses meanwhile anyway), the others go on."""
    now = now or timezone.now()
    counts = {"delivered": 0, "refused": 0, "unavailable": 0, "skipped": 0}
    down: set[str] = set()
    for item_id, system in due(now).order_by("created_at", "pk").values_list("pk", "system")[:limit]:
        if system in down:
            continue
        outcome = deliver(item_id, now=now)
        counts[outcome] += 1
        if outcome == "unavailable":
            down.add(system)
    return counts


def retry(items: QuerySet[OutboundItem]) -> int:
    """Give waiting or refused messages a new attempt now (the administrator's door calls this)."""
    return items.exclude(state=State.DELIVERED).update(state=State.PENDING, next_attempt_at=timezone.now())
