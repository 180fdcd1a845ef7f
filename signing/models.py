"""Certificates, references to keys held on a PKCS#11 token, signatures made and batches.

A private key is never stored here: :class:`SigningKey` names the token and the key label only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    PERSONAL = "personal", _("official's certificate")
    SEAL = "seal", _("agency seal certificate")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("valid")
    REVOKED = "revoked", _("revoked")
    SUSPENDED = "suspended", _("suspended")


class Certificate(models.Model):
    """Chứng thư số: an X.509 certificate issued by an external CA to an official or (seal) to an
    agency, with its issuer chain."""

    kind = models.CharField(_("kind"), max_length=10, choices=CertificateKind.choices)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("holder"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="signing_certificates")
    agency = models.ForeignKey("directory.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="signing_certificates")
    subject = models.CharField(_("subject"), max_length=500)
    common_name = models.CharField(_("common name"), max_length=255)
    issuer = models.CharField(_("issuer"), max_length=500)
    serial = models.CharField(_("serial number"), max_length=80)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid to"))
    der = models.BinaryField(_("certificate (DER)"))
    chain_pem = models.TextField(_("issuer chain (PEM)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    expiry_warned_at = models.DateTimeField(_("expiry warned at"), null=True, blank=True)

    class Meta:
        ordering = ["not_after"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.UniqueConstraint(fields=["issuer", "serial"], name="signing_cert_issuer_serial")]

    def __str__(self) -> str:
        return f"{self.common_name} ({self.serial})"

    def expired(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return not (self.not_before <= at <= self.not_after)

    def expires_soon(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        days = getattr(settings, "SIGNING_EXPIRY_WARNING_DAYS", 30)
        return not self.expired(at) and self.not_after - at <= dt.timedelta(days=days)

    def problem(self, at: dt.datetime | None = None) -> str:
        """Why this certificate may not sign now, or ""."""
        if self.status == CertificateStatus.REVOKED:
            return str(_("The certificate has been revoked."))
        if self.status == CertificateStatus.SUSPENDED:
            return str(_("The certificate is suspended."))
        if self.expired(at):
            return str(_("The certificate is not valid at this time (expired or not yet valid)."))
        return ""


class SigningKey(models.Model):
    """Where the private key of a certificate lives: a PKCS#11 token and a key label on it."""

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="key")
    token_label = models.CharField(_("token label"), max_length=64)
    key_label = models.CharField(_("key label"), max_length=128)
    appearance_image = models.FileField(_("signature or seal image"), upload_to="signing/appearances/",
                                        blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return f"{self.token_label}/{self.key_label}"


class BatchSigning(models.Model):
    """Ký số hàng loạt: many documents signed after one confirmation, each its own signature."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("batch signing")
        verbose_name_plural = _("batch signings")

    def __str__(self) -> str:
        return f"#{self.pk} {self.done}/{self.total}"


class SignatureRecord(models.Model):
    """One signature the platform applied."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=CertificateKind.choices)
    field_name = models.CharField(max_length=100)
    signed_at = models.DateTimeField(default=timezone.now)
    input_sha256 = models.CharField(max_length=64, db_index=True)  # the hash in the QR code (verification link)
    output_sha256 = models.CharField(max_length=64, db_index=True)
    dossier_file = models.ForeignKey("dossiers.DossierFile", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    batch = models.ForeignKey(BatchSigning, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="signatures")

    class Meta:
        ordering = ["signed_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.field_name} by {self.certificate}"
