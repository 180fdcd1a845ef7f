"""Append-only, tamper-evident audit trail (nhật ký hệ thống)."""

import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")

    _raw_delete = delete  # type: ignore[assignment]  # bulk deletes are refused too


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    READ = "read", _("read personal data")
    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOGOUT = "logout", _("signed out")
    LOCKED_OUT = "locked_out", _("locked out")
    EXPORT = "export", _("exported")
    IMPORT = "import", _("imported")
    SECURITY = "security", _("security setting changed")


class AuditEntry(models.Model):
    """One thing that happened: who, what, which record, when, from where.

    Its ``hash`` covers its content. Entries are appended without any shared lock; the sealer
    (:mod:`audit.sealing`) then seals the committed ones in batches into signed, chained
    checkpoints (a Merkle tree over the entries' hashes, RFC 6962), so that removing, editing or
    re-ordering a sealed entry is detected (decision 0048). Entries written before the sealer
    existed also carry the hash of the previous one (``prev_hash``), checked as before.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    agency_id = models.BigIntegerField(_("agency id"), null=True, blank=True, db_index=True)
    summary = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)  # the old chain's link; "" since decision 0048
    # Random, hashed with the content: two identical entries at the same instant still differ (since 0048).
    nonce = models.CharField(max_length=32, null=True, blank=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")

    def compute_hash(self) -> str:
        payload = {
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "agency_id": self.agency_id,
            "summary": self.summary,
            "ip": self.ip,
            "prev_hash": self.prev_hash,
        }
        if self.nonce:  # entries written before decision 0048 have none: their hashes stay as they were
            payload["nonce"] = self.nonce
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class ChainHead(models.Model):
    """The sealer's state: the hash of the last checkpoint and how many entries are sealed. Its row
    lock serialises the sealers only, never the appends. (Before decision 0048, the hash of the
    newest entry, locked by every append.)"""

    last_hash = models.CharField(max_length=64, default=GENESIS)
    count = models.BigIntegerField(default=0)
    sealed_through = models.BigIntegerField(default=0)  # the highest entry id covered by a checkpoint

    def __str__(self) -> str:
        return f"{self.count} entries sealed, last checkpoint {self.last_hash[:12]}"


class Checkpoint(models.Model):
    """A signed seal over the entries with ``first_id`` ≤ id ≤ ``last_id`` (minus the ``skipped`` ids,
    not committed when it was sealed) followed by the ``late`` ones (ids an earlier checkpoint skipped,
    committed since): the Merkle root of their hashes in that order, chained to the previous checkpoint. Append-only like the entries; also written to the log, so that a copy
    lives outside the database."""

    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField(db_index=True)
    count = models.IntegerField()
    skipped = models.JSONField(default=list, blank=True)
    late = models.JSONField(default=list, blank=True)  # ids skipped by an earlier checkpoint, committed since
    root = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()
    hash = models.CharField(max_length=64, unique=True)
    signature = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.first_id}–{self.last_id} {self.hash[:12]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit checkpoints cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit checkpoints cannot be deleted")

    def compute_hash(self) -> str:
        payload = {"first_id": self.first_id, "last_id": self.last_id, "count": self.count,
                   "skipped": self.skipped, "late": self.late, "root": self.root, "prev_hash": self.prev_hash,
                   "sealed_at": self.sealed_at.isoformat()}
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
