"""Which platform a fee is paid through (ADR 0045): the payment gateway of the installation
(payments.gateway) or the National payment platform (national.payment). The choice is per
installation (``PAYMENT_PLATFORM``, "gateway" by default) and may be set per procedure
(``PAYMENT_PLATFORM_BY_PROCEDURE``: procedure code → platform). Whatever the platform, a payment
moves to paid only through services.handle_notification or services.settle_from_query, so the
rules (signature, amount, once only, refunds) and the reconciliation are the same for both.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from national import payment as national_payment
from national.base import Refused, Unavailable

from . import gateway

GATEWAY, NATIONAL = "gateway", "national"
STATES = {"paid": gateway.SUCCESS, "pending": gateway.STATUS_NOT_COMPLETED}  # others: failed or cancelled
CANCELLED = "cancelled"


def platform_for(dossier) -> str:
    by_procedure = getattr(settings, "PAYMENT_PLATFORM_BY_PROCEDURE", {}) or {}
    chosen = by_procedure.get(dossier.procedure_version.procedure.code) or getattr(settings, "PAYMENT_PLATFORM",
                                                                                    GATEWAY)
    return NATIONAL if chosen == NATIONAL else GATEWAY


def national_pay_url(payment, *, return_url: str, notify_url: str) -> str:
    """The national platform's page for this payment. Raises gateway.GatewayError when it cannot be reached."""
    try:
        return national_payment.open_payment(txn_ref=payment.txn_ref, amount=payment.amount,
                                             order_info=payment.order_info, return_url=return_url,
                                             notify_url=notify_url)
    except (Unavailable, Refused) as error:
        raise gateway.GatewayError(f"national payment platform: {type(error).__name__}") from error


def _pay_date(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def national_query(payment) -> gateway.QueryAnswer:
    """What the national platform says about ``payment``, in the gateway's terms."""
    try:
        result = national_payment.status(payment.txn_ref)
    except (Unavailable, Refused) as error:
        raise gateway.GatewayError(f"national payment platform: {type(error).__name__}") from error
    if not result.found:
        return gateway.QueryAnswer(response_code=gateway.QUERY_NOT_FOUND, transaction_status="", amount=None,
                                   transaction_no="", bank_code="", pay_date=None, raw={"txn_ref": payment.txn_ref})
    return gateway.QueryAnswer(
        response_code=gateway.SUCCESS, transaction_status=STATES.get(result.status, "02"), amount=result.amount,
        transaction_no=result.transaction_no, bank_code=result.bank_code, pay_date=_pay_date(result.paid_at),
        raw={"platform": NATIONAL, "txn_ref": result.txn_ref, "status": result.status})


def callback_params(body: dict) -> dict[str, str]:
    """The national platform's call back in the gateway's terms, for services.handle_notification."""
    status = str(body.get("status", ""))
    try:
        amount = gateway.to_gateway_amount(int(body.get("amount")))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        amount = ""
    paid_at = _pay_date(str(body.get("paid_at", "")))
    code = gateway.SUCCESS if status == "paid" else gateway.CANCELLED_BY_PAYER if status == CANCELLED else "02"
    return {"platform": NATIONAL, "v_TxnRef": str(body.get("txn_ref", "")), "v_Amount": amount,
            "v_ResponseCode": code, "v_TransactionStatus": STATES.get(status, "02"),
            "v_TransactionNo": str(body.get("transaction_no", "")), "v_BankCode": str(body.get("bank_code", "")),
            "v_PayDate": gateway.format_date(paid_at) if paid_at else ""}
