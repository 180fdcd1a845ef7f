"""The sealer: committed audit entries, in id order, sealed in batches into signed checkpoints
chained to each other (decision 0048).

Appending an entry takes no shared lock (:func:`audit.services.record`); only sealers wait for each
other, on the one ``ChainHead`` row. A checkpoint holds the Merkle tree hash (RFC 6962, §2.1) of its
entries' hashes in id order, so that one entry removed, changed or moved changes the root, and an
HMAC of its own hash with ``AUDIT_SEAL_KEY`` (kept outside the database), so that someone who can
write the database but does not hold the key cannot seal a rewritten history. Each checkpoint is
also written to the log, a copy outside the database.

Ids are taken from a sequence when an entry is written, not when it commits: an id missing between
sealed entries belongs to a transaction still open or rolled back. The sealer stops at such a gap
until the entry after it is ``GAP_GRACE`` old; it then records the missing ids as skipped. An entry
that commits later into a skipped id (a transaction longer than the grace) is sealed by the next
checkpoint as ``late``, for ``LATE_WINDOW``; after that, verification reports it as added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry, ChainHead, Checkpoint

log = logging.getLogger("audit.checkpoint")

GAP_GRACE = dt.timedelta(seconds=30)
LATE_WINDOW = dt.timedelta(days=1)
BATCH = 10_000


def merkle_root(leaves: list[str]) -> str:
    """MTH of RFC 6962 over the entries' hex hashes: leaf = H(0x00‖h), node = H(0x01‖left‖right),
    the split at the largest power of two below n."""
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    nodes = [hashlib.sha256(b"\x00" + bytes.fromhex(leaf)).digest() for leaf in leaves]
    return _tree(nodes).hex()


def _tree(nodes: list[bytes]) -> bytes:
    if len(nodes) == 1:
        return nodes[0]
    split = 1 << ((len(nodes) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + _tree(nodes[:split]) + _tree(nodes[split:])).digest()


def _key() -> bytes:
    configured = getattr(settings, "AUDIT_SEAL_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"egov audit seal", hashlib.sha256).digest()


def sign(checkpoint_hash: str) -> str:
    return hmac.new(_key(), checkpoint_hash.encode(), hashlib.sha256).hexdigest()


def signed_by_us(checkpoint: Checkpoint) -> bool:
    return hmac.compare_digest(sign(checkpoint.hash), checkpoint.signature)


def _ranges(ids: list[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for value in ids:
        if ranges and ranges[-1][1] == value - 1:
            ranges[-1][1] = value
        else:
            ranges.append([value, value])
    return ranges


def skipped_ids(checkpoint: Checkpoint) -> set[int]:
    return {value for first, last in checkpoint.skipped for value in range(first, last + 1)}


def _late_entries(now: dt.datetime) -> list[tuple[int, str]]:
    """Entries committed into ids that recent checkpoints skipped and no checkpoint has sealed since."""
    recent = Checkpoint.objects.filter(sealed_at__gte=now - LATE_WINDOW)
    open_ids: set[int] = set()
    for checkpoint in recent.exclude(skipped=[]):
        open_ids |= skipped_ids(checkpoint)
    if not open_ids:
        return []
    for late in recent.exclude(late=[]).values_list("late", flat=True):
        open_ids -= set(late)
    return list(AuditEntry.objects.filter(id__in=open_ids).order_by("id").values_list("id", "hash"))


def seal(*, limit: int = BATCH, now: dt.datetime | None = None) -> Checkpoint | None:
    """Seal the committed entries after the last checkpoint (at most ``limit``); the new
    checkpoint, or None when there is nothing to seal yet."""
    now = now or timezone.now()
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        start = head.sealed_through
        rows = list(AuditEntry.objects.filter(id__gt=start).order_by("id").values_list("id", "hash", "at")[:limit])
        late = _late_entries(now) if start else []
        if not rows and not late:
            return None
        # The first checkpoint starts at the oldest entry (ids need not start at 1); every later one
        # right after the previous checkpoint.
        first_id = start + 1 if start else rows[0][0]
        expected = first_id
        taken: list[tuple[int, str]] = []
        skipped: list[int] = []
        for entry_id, entry_hash, at in rows:
            if entry_id != expected:
                if now - at < GAP_GRACE:
                    break  # the missing entries may still commit
                skipped.extend(range(expected, entry_id))
            taken.append((entry_id, entry_hash))
            expected = entry_id + 1
        if not taken and not late:
            return None
        leaves = [entry_hash for _, entry_hash in taken + late]
        checkpoint = Checkpoint(first_id=first_id if taken else start + 1, last_id=taken[-1][0] if taken else start,
                                count=len(leaves), skipped=_ranges(skipped), late=[entry_id for entry_id, _ in late],
                                root=merkle_root(leaves), prev_hash=head.last_hash, sealed_at=now)
        checkpoint.hash = checkpoint.compute_hash()
        checkpoint.signature = sign(checkpoint.hash)
        checkpoint.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(last_hash=checkpoint.hash, count=models.F("count") + len(leaves),
                                              sealed_through=checkpoint.last_id)
    log.info("audit checkpoint", extra={"first_id": checkpoint.first_id, "last_id": checkpoint.last_id,
                                        "count": checkpoint.count, "root": checkpoint.root,
                                        "checkpoint": checkpoint.hash, "signature": checkpoint.signature})
    return checkpoint


def seal_all(*, now: dt.datetime | None = None) -> int:
    """Seal everything that can be sealed now; how many entries were sealed."""
    sealed = 0
    while (checkpoint := seal(now=now)) is not None:
        sealed += checkpoint.count
    return sealed
