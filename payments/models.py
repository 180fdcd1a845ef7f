"""Online payment of fees and charges (thanh toán trực tuyến phí, lệ phí) for dossiers.

A :class:`Payment` is one attempt to pay a dossier's fee through the payment gateway; only a
server-to-server notification (IPN) or a status query to the gateway moves it to paid. Every
notification received is kept (:class:`PaymentNotification`), accepted or not. A paid fee of a
dossier that ends refused is owed back (:class:`Refund`).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Agency
from dossiers.models import Dossier


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("waiting for payment")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")
    # Set by us, not by the gateway: nobody paid before the payment link expired.
    EXPIRED = "expired", _("expired")
    REFUNDED = "refunded", _("refunded")


class Payment(models.Model):
    """Giao dịch thanh toán: one attempt to pay one dossier's fee online."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT,
                                related_name="payments")
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    txn_ref = models.CharField(_("transaction reference"), max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING, db_index=True)
    order_info = models.CharField(max_length=255)
    ip = models.CharField(max_length=45, blank=True)
    gateway_transaction_no = models.CharField(_("gateway transaction number"), max_length=40, blank=True)
    bank_code = models.CharField(_("bank"), max_length=20, blank=True)
    response_code = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    receipt_no = models.CharField(_("receipt number"), max_length=30, blank=True)
    # Through which platform it is paid (payments.platforms): the gateway or the national platform.
    platform = models.CharField(_("payment platform"), max_length=10, default="gateway",
                                choices=[("gateway", _("payment gateway")), ("national", _("national payment platform"))])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            # One open payment per dossier at a time.
            models.UniqueConstraint(fields=["dossier"], condition=Q(status="pending"),
                                    name="payment_one_pending_per_dossier"),
        ]

    def __str__(self) -> str:
        return self.txn_ref

    @property
    def audit_agency_id(self) -> int:
        return self.dossier.agency_id


class NotificationChannel(models.TextChoices):
    IPN = "ipn", _("server notification")
    RETURN = "return", _("browser return")
    QUERY = "query", _("status query")


class PaymentNotification(models.Model):
    """Everything the gateway told us, as received, with what we answered (nothing is lost)."""

    channel = models.CharField(max_length=8, choices=NotificationChannel.choices, default=NotificationChannel.IPN)
    params = models.JSONField(default=dict)
    received_at = models.DateTimeField(db_index=True)
    verdict = models.CharField(_("verdict"), max_length=4, blank=True)
    message = models.CharField(max_length=100, blank=True)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="notifications")

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.verdict} {self.received_at:%Y-%m-%d %H:%M:%S}"


class RefundCause(models.TextChoices):
    REFUSED = "refused", _("dossier refused")
    DUPLICATE = "duplicate", _("paid twice")
    CLOSED = "closed", _("paid after the dossier was closed")


class RefundStatus(models.TextChoices):
    RECORDED = "recorded", _("recorded, to be returned")
    COMPLETED = "completed", _("returned")


class Refund(models.Model):
    """Hoàn trả phí, lệ phí: money owed back to the payer. One per payment (full amount)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    cause = models.CharField(_("cause"), max_length=12, choices=RefundCause.choices)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RefundStatus.choices,
                              default=RefundStatus.RECORDED)
    created_at = models.DateTimeField(_("created at"))
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.payment} {self.amount}"

    @property
    def audit_agency_id(self) -> int:
        return self.payment.dossier.agency_id


class ReceiptSequence(models.Model):
    """Counter behind receipt numbers: per receiving agency, restarting every year."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="receipt_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.last}"
