"""The one door for writing to the audit trail, and the chain check."""

import json
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .context import Actor, current_actor
from .models import GENESIS, AuditEntry, ChainHead


def _jsonable(value) -> dict:
    # What is hashed must be exactly what the database gives back.
    return json.loads(json.dumps(value or {}, default=str, ensure_ascii=False))


def _agency_of(obj) -> int | None:
    for attr in ("audit_agency_id", "agency_id"):
        value = getattr(obj, attr, None)
        if value is not None:
            return value() if callable(value) else value
    return None


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    agency_id: int | None = None,
    summary: dict | None = None,
    actor: Actor | None = None,
) -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction, so a rolled-back change
    leaves no entry behind, and a committed one always has its entry."""
    actor = actor or current_actor()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        agency_id = agency_id if agency_id is not None else _agency_of(obj)
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            at=timezone.now(),
            actor_id=actor.user_id,
            actor_label=actor.label[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            agency_id=agency_id,
            summary=_jsonable(summary),
            ip=actor.ip,
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(last_hash=entry.hash, count=models.F("count") + 1)
    return entry


def record_read(*, obj: models.Model, fields: list[str], actor: Actor | None = None) -> AuditEntry:
    """A read of personal data (ID number, phone, address...): who looked at which fields."""
    return record(action="read", obj=obj, summary={"fields": sorted(fields)}, actor=actor)


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the whole trail in order; report the first entry whose hash or link is wrong."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.prev_hash != expected_prev:
                return ChainReport(checked, entry.pk, gettext_noop("link to the previous entry is broken"))
            if entry.compute_hash() != entry.hash:
                return ChainReport(checked, entry.pk, gettext_noop("entry content does not match its hash"))
            expected_prev = entry.hash
            checked += 1
            last_id = entry.pk
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != expected_prev or head.count != checked):
        return ChainReport(checked, last_id + 1, gettext_noop("entries after the last one shown were removed"))
    return ChainReport(checked)
