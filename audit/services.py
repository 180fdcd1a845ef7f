"""The one door for writing to the audit trail, and the chain check."""

import json
import secrets
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from . import sealing
from .context import Actor, current_actor
from .models import GENESIS, AuditEntry, ChainHead, Checkpoint


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
    leaves no entry behind, and a committed one always has its entry. Takes no lock shared with
    other writers: the sealer (audit.sealing) chains committed entries afterwards (decision 0048)."""
    actor = actor or current_actor()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        agency_id = agency_id if agency_id is not None else _agency_of(obj)
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
        prev_hash="",
        nonce=secrets.token_hex(8),
    )
    entry.hash = entry.compute_hash()
    entry.save(force_insert=True)
    return entry


def record_read(*, obj: models.Model, fields: list[str], actor: Actor | None = None) -> AuditEntry:
    """A read of personal data (ID number, phone, address...): who looked at which fields."""
    return record(action="read", obj=obj, summary={"fields": sorted(fields)}, actor=actor)


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""
    sealed: int = 0  # entries covered by a checkpoint
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    @property
    def unsealed(self) -> int:
        """Entries written since the last checkpoint: their own hash is checked, but removing them
        would go unseen until they are sealed (the sealer runs every few seconds)."""
        return self.checked - self.sealed


class _Broken(Exception):
    def __init__(self, entry_id: int, reason: str):
        self.entry_id, self.reason = entry_id, reason


class _Verifier:
    """Walks the entries and the checkpoints together, in id order."""

    def __init__(self) -> None:
        self.checkpoints = Checkpoint.objects.order_by("id").iterator(chunk_size=500)
        self.late_ids = {entry_id for late in Checkpoint.objects.exclude(late=[]).values_list("late", flat=True)
                         for entry_id in late}
        self.late_hashes: dict[int, str] = {}
        self.current: Checkpoint | None = None
        self.previous_hash = GENESIS
        self.previous_last_id = 0
        self.leaves: list[str] = []
        self.ids: list[int] = []
        self.skipped: set[int] = set()
        self.checked = self.sealed = self.count = 0
        self.legacy_prev = GENESIS

    def _next_checkpoint(self) -> None:
        self.current = next(self.checkpoints, None)
        if self.current is None:
            return
        checkpoint = self.current
        if checkpoint.compute_hash() != checkpoint.hash or not sealing.signed_by_us(checkpoint):
            raise _Broken(checkpoint.first_id, gettext_noop("a checkpoint was altered or not sealed by this installation"))
        if self.count and checkpoint.first_id != self.previous_last_id + 1:
            raise _Broken(checkpoint.first_id, gettext_noop("the checkpoints' chain is broken"))
        self.count += 1
        self.leaves, self.ids, self.skipped = [], [], sealing.skipped_ids(checkpoint)

    def _close_checkpoint(self) -> None:
        checkpoint = self.current
        assert checkpoint is not None
        # The first checkpoint follows the genesis, or the entries chained before decision 0048.
        allowed = {self.previous_hash, self.legacy_prev} if self.count == 1 else {self.previous_hash}
        if checkpoint.prev_hash not in allowed:
            raise _Broken(checkpoint.first_id, gettext_noop("the checkpoints' chain is broken"))
        expected = [i for i in range(checkpoint.first_id, checkpoint.last_id + 1) if i not in self.skipped]
        for position, entry_id in enumerate(expected):
            if position >= len(self.ids) or self.ids[position] != entry_id:
                raise _Broken(entry_id, gettext_noop("a sealed entry was removed"))
        for entry_id in checkpoint.late:
            if entry_id not in self.late_hashes:
                raise _Broken(entry_id, gettext_noop("a sealed entry was removed"))
            self.leaves.append(self.late_hashes.pop(entry_id))
        if len(self.leaves) != checkpoint.count or sealing.merkle_root(self.leaves) != checkpoint.root:
            raise _Broken(checkpoint.first_id, gettext_noop("sealed entries were changed or re-ordered"))
        self.sealed += checkpoint.count
        self.previous_hash, self.previous_last_id = checkpoint.hash, checkpoint.last_id
        self._next_checkpoint()

    def entry(self, entry: AuditEntry) -> None:
        if entry.compute_hash() != entry.hash:
            raise _Broken(entry.pk, gettext_noop("entry content does not match its hash"))
        if entry.prev_hash:  # written before decision 0048: the old chain's link
            if entry.prev_hash != self.legacy_prev:
                raise _Broken(entry.pk, gettext_noop("link to the previous entry is broken"))
            self.legacy_prev = entry.hash
        while self.current is not None and entry.pk > self.current.last_id:
            self._close_checkpoint()
        if self.count == 1 and self.current is not None and entry.pk < self.current.first_id:
            raise _Broken(entry.pk, gettext_noop("an entry was added inside a sealed range"))
        if self.current is not None and entry.pk >= self.current.first_id:
            if entry.pk in self.skipped:
                if entry.pk not in self.late_ids:
                    raise _Broken(entry.pk, gettext_noop("an entry was added inside a sealed range"))
                self.late_hashes[entry.pk] = entry.hash  # sealed by a later checkpoint
                self.checked += 1
                return
            self.leaves.append(entry.hash)
            self.ids.append(entry.pk)
        self.checked += 1

    def finish(self) -> None:
        while self.current is not None:
            self._close_checkpoint()
        head = ChainHead.objects.filter(pk=1).first()
        if head is None:
            return
        if self.count:
            intact = head.last_hash == self.previous_hash and head.sealed_through == self.previous_last_id
        else:  # nothing sealed yet: the head names the newest entry of the chain before decision 0048
            intact = head.last_hash in {GENESIS, self.legacy_prev}
        if not intact:
            raise _Broken(self.previous_last_id + 1, gettext_noop("entries after the last one shown were removed"))


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the whole trail in order: every entry's hash, every checkpoint's signature, chain and
    Merkle root; report the first entry found broken."""
    verifier = _Verifier()
    last_id = 0
    try:
        verifier._next_checkpoint()
        while True:
            batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
            if not batch:
                break
            for entry in batch:
                verifier.entry(entry)
                last_id = entry.pk
        verifier.finish()
    except _Broken as broken:
        return ChainReport(verifier.checked, broken.entry_id, broken.reason, verifier.sealed, verifier.count)
    return ChainReport(verifier.checked, sealed=verifier.sealed, checkpoints=verifier.count)
