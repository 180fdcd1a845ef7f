"""The exchange's records: every package sent or received (kept, valid or not), the statuses each
recipient reported, and what each partner expects."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency
from documents.models import Distribution, Document


class Dialect(models.TextChoices):
    QCVN102 = "qcvn102", _("QCVN 102:2016 (namespace http://www.mic.gov.vn/TBT/QCVN_102_2016)")
    EDOC = "edoc", _("eDoc v2.2 (namespace http://www.go.vn/eDoc)")


class Direction(models.TextChoices):
    OUT = "out", _("sent")
    IN = "in", _("received")


class Kind(models.TextChoices):
    DOCUMENT = "document", _("document")
    STATUS = "status", _("status")


class State(models.TextChoices):
    # sent
    QUEUED = "queued", _("waiting to be delivered")
    SENT = "sent", _("delivered to the axis")
    DEAD = "dead", _("not delivered (given up)")
    # received
    RECEIVED = "received", _("received and stored")
    DUPLICATE = "duplicate", _("received again (already stored)")
    REFUSED = "refused", _("refused (invalid)")


@audited
class Partner(models.Model):
    """An organ (by its identifier code, mã định danh) and the edXML dialect its system expects."""

    code = models.CharField(_("identifier code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    dialect = models.CharField(_("edXML dialect"), max_length=10, choices=Dialect.choices, default=Dialect.QCVN102)

    class Meta:
        ordering = ["code"]
        verbose_name = _("exchange partner")
        verbose_name_plural = _("exchange partners")

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Package(models.Model):
    """One edXML package, sent or received, kept byte for byte (``raw``) for inspection.

    Sent: one package per recipient (a document) or per status message; ``state`` goes QUEUED →
    SENT, or DEAD after the outbox gave up or the axis refused it for good. Received: stored
    before it is acknowledged to the axis; RECEIVED (processed), DUPLICATE (the same package id
    or DocumentId already stored) or REFUSED (invalid: a status 02 with the reason went back)."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    package_id = models.CharField(_("package id"), max_length=64)
    axis_id = models.CharField(_("id on the axis"), max_length=64, blank=True)
    exchange_id = models.CharField(_("DocumentId"), max_length=255, blank=True, db_index=True)
    status_code = models.CharField(_("status code"), max_length=2, blank=True)
    from_code = models.CharField(_("from"), max_length=20, blank=True)
    to_codes = models.JSONField(_("to"), default=list)
    dialect = models.CharField(_("dialect"), max_length=10, choices=Dialect.choices, default=Dialect.QCVN102)
    # The package's bytes (a refused oversized one: its first bytes only, ``size`` says how many came).
    raw = models.BinaryField(_("content"))
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("agency here"))
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="exchange_packages")
    distribution = models.ForeignKey(Distribution, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="packages")
    # A one-stop dossier whose step is at an agency on another system (sent), or the dossier an
    # answer came back to (received): exchange.dossiers.
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="exchange_packages")
    error = models.TextField(_("reason or last error"), blank=True)
    attempts = models.PositiveIntegerField(_("delivery attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("exchange package")
        verbose_name_plural = _("exchange packages")
        constraints = [models.UniqueConstraint(fields=["direction", "package_id"], name="exchange_package_once")]
        indexes = [models.Index(fields=["direction", "state", "-created_at"], name="exchange_console")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.kind} {self.package_id}"


class StatusEvent(models.Model):
    """A status (01–06, 13, 15, 16) of a document at one recipient, reported or sent: on the
    sender's side tied to the ``distribution`` (who received and handled what), on the
    receiver's side to its ``document``."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="exchange_statuses")
    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="statuses")
    organ_code = models.CharField(_("organ"), max_length=20)
    code = models.CharField(_("status code"), max_length=2)
    at = models.DateTimeField(_("time"))
    actor = models.CharField(_("by"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    package = models.ForeignKey(Package, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("exchange status")
        verbose_name_plural = _("exchange statuses")
        constraints = [models.UniqueConstraint(fields=["direction", "document", "organ_code", "code", "package"],
                                               name="exchange_status_once")]

    def __str__(self) -> str:
        return f"{self.organ_code} {self.code}"
