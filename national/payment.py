"""The National payment platform (Nền tảng thanh toán trực tuyến của Cổng Dịch vụ công quốc gia),
through the one door ``national.base.call``: open a payment, ask what became of it, and check the
signature of its call back (IPN). ``payments`` routes a dossier's fee here or to its own gateway
(payments.platforms); nothing here knows about dossiers.

The call back is ``POST`` JSON with ``X-Signature``: the hex HMAC-SHA256 of the body under the
secret shared with the platform (``NATIONAL_PAYMENT_TOKEN``). A body whose signature does not match
is never believed.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

from .base import Refused, call

SYSTEM = "payment"
SIGNATURE_HEADER = "X-Signature"


@dataclass(frozen=True)
class Result:
    """What the platform says about one payment."""

    found: bool
    txn_ref: str = ""
    status: str = ""  # pending, paid, cancelled, failed
    amount: int | None = None  # đồng
    transaction_no: str = ""
    bank_code: str = ""
    paid_at: str = ""  # ISO 8601

    @classmethod
    def from_answer(cls, body: dict) -> Result:
        try:
            amount: int | None = int(body.get("amount"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            amount = None
        return cls(found=True, txn_ref=str(body.get("txn_ref", "")), status=str(body.get("status", "")),
                   amount=amount, transaction_no=str(body.get("transaction_no", "")),
                   bank_code=str(body.get("bank_code", "")), paid_at=str(body.get("paid_at", "")))


def open_payment(*, txn_ref: str, amount: int, order_info: str, return_url: str, notify_url: str) -> str:
    """The platform's page to send the payer to. Idempotent: the same reference gives the same page."""
    answer = call(SYSTEM, "POST", "/payments", idempotency_key=txn_ref,
                  json={"txn_ref": txn_ref, "amount": amount, "order_info": order_info, "return_url": return_url,
                        "notify_url": notify_url})
    return str(answer.get("pay_url", ""))


def status(txn_ref: str) -> Result:
    try:
        body = call(SYSTEM, "GET", f"/payments/{txn_ref}")
    except Refused as error:
        if error.status == 404:
            return Result(found=False, txn_ref=txn_ref)
        raise
    return Result.from_answer(body if isinstance(body, dict) else {})


def _secret() -> bytes:
    return str((getattr(settings, "NATIONAL_SYSTEMS", {}).get(SYSTEM) or {}).get("token") or "").encode()


def verify_callback(body: bytes, signature: str) -> bool:
    """Whether the call back was signed by the platform (never with an empty secret)."""
    secret = _secret()
    if not secret or not signature:
        return False
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())
