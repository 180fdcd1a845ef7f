"""The simulated gateway's own books: every payment request it accepted and how it ended."""

import uuid

from django.db import models


class SimStatus(models.TextChoices):
    PENDING = "pending", "pending"
    SUCCESS = "success", "success"
    CANCELLED = "cancelled", "cancelled"


class GatewayTransaction(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # in the pay page's URL
    merchant = models.CharField(max_length=20)
    txn_ref = models.CharField(max_length=100)
    amount = models.BigIntegerField()  # in hundredths of a đồng, as on the wire
    order_info = models.CharField(max_length=255)
    return_url = models.URLField(max_length=500)
    ipn_url = models.URLField(max_length=500)
    ip = models.CharField(max_length=45, blank=True)
    create_date = models.CharField(max_length=14)
    expire_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=SimStatus.choices, default=SimStatus.PENDING)
    response_code = models.CharField(max_length=4, blank=True)
    transaction_status = models.CharField(max_length=4, default="01")
    transaction_no = models.CharField(max_length=20, blank=True)
    bank_code = models.CharField(max_length=20, blank=True)
    pay_date = models.CharField(max_length=14, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ipn_attempts = models.PositiveSmallIntegerField(default=0)
    ipn_answer = models.CharField(max_length=200, blank=True)  # what the merchant answered, or the error

    class Meta:
        constraints = [models.UniqueConstraint(fields=["merchant", "txn_ref"], name="paysim_txn_unique")]

    def __str__(self) -> str:
        return f"{self.merchant}/{self.txn_ref}"
