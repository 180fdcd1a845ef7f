"""Every change of state of a payment goes through here, one transaction each, audited.

Only the gateway's server-to-server notification (:func:`handle_notification`) or its answer to
a status query (:func:`settle_from_query`) marks a payment paid; the browser's return to our
site never does. Decree 42/2022/NĐ-CP: fees of full-online (toàn trình) procedures are paid
online; partial (một phần) procedures pay at the counter.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from directory.scope import Action, can
from dossiers.models import Dossier
from dossiers.selectors import acts_for_applicant
from dossiers.states import Status
from procedures.models import Kind

from . import gateway, platforms
from .models import (
    NotificationChannel,
    Payment,
    PaymentNotification,
    PaymentStatus,
    ReceiptSequence,
    Refund,
    RefundCause,
    RefundStatus,
)

logger = logging.getLogger("payments")

PAYMENT_LIFETIME = dt.timedelta(minutes=15)
PAID_STATES = (PaymentStatus.PAID, PaymentStatus.REFUNDED)

# Answers to the gateway's notification (its codes, its messages).
CONFIRMED = ("00", "Confirm Success")
ALREADY_CONFIRMED = ("02", "Order already confirmed")
ORDER_NOT_FOUND = ("01", "Order not found")
INVALID_AMOUNT = ("04", "Invalid amount")
INVALID_SIGNATURE = ("97", "Invalid signature")
UNKNOWN_ERROR = ("99", "Unknown error")


# --- Whether a dossier can be paid online --------------------------------------------------

def why_not_payable(dossier: Dossier) -> str | None:
    """The reason, for the applicant, why this dossier cannot be paid online now; None if it can."""
    if dossier.status == Status.DRAFT:
        return _("Submit the dossier before paying its fees.")
    if dossier.procedure_version.kind != Kind.FULL:
        return _("This procedure is only partly online: pay its fees at the one-stop desk.")
    if dossier.fee_amount <= 0:
        return _("This dossier has no fees to pay.")
    if dossier.status in (Status.REFUSED, Status.WITHDRAWN):
        return _("This dossier was refused or withdrawn: there is nothing to pay.")
    if dossier.payments.filter(status__in=PAID_STATES).exists():
        return _("The fees of this dossier have already been paid.")
    return None


def payable(dossier: Dossier) -> bool:
    return why_not_payable(dossier) is None


# --- Starting a payment --------------------------------------------------------------------

def _public_url(name: str) -> str:
    return settings.EGOV_PUBLIC_URL + reverse(name)


def redirect_url(payment: Payment) -> str:
    """Where to send the payer: the page of the platform the payment goes through."""
    if payment.platform == platforms.NATIONAL:
        return platforms.national_pay_url(payment, return_url=_public_url("payments:national_return"),
                                          notify_url=_public_url("payments:national_ipn"))
    return gateway.payment_url(
        txn_ref=payment.txn_ref, amount=payment.amount, order_info=payment.order_info,
        return_url=_public_url("payments:return"), ipn_url=_public_url("payments:ipn"), ip=payment.ip,
        created=payment.created_at, expires=payment.expires_at,
    )


def _gateway_unreachable() -> ValidationError:
    return ValidationError(_("The payment gateway cannot be reached now. Please try again in a few minutes."))


def start_payment(*, dossier: Dossier, user, ip: str | None) -> str:
    """The URL of the gateway's payment page for this dossier. Only the applicant may pay; a
    payment still open is reused, so a double click never opens two. The applicant's side pays: the
    applicant, who submitted for them, or the staff of the applicant organisation."""
    if not acts_for_applicant(user, dossier):
        raise PermissionDenied
    now = timezone.now()
    for stale in Payment.objects.filter(dossier=dossier, status=PaymentStatus.PENDING, expires_at__lte=now):
        # Its link has expired; before opening another, learn whether it was paid after all.
        try:
            settle_from_query(stale)
        except gateway.GatewayError as error:
            raise _gateway_unreachable() from error
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version").get(pk=dossier.pk)
        reason = why_not_payable(dossier)
        if reason:
            raise ValidationError(reason)
        open_payment = dossier.payments.filter(status=PaymentStatus.PENDING).first()
        if open_payment is not None and open_payment.expires_at > now:
            payment = open_payment
        else:
            if open_payment is not None:
                _set_status(open_payment, PaymentStatus.EXPIRED, via="start")
            payment = _create_payment(dossier, ip or "", now)
            record(action="create", obj=payment, summary={
                "event": "payment_started", "txn_ref": payment.txn_ref, "amount": payment.amount,
                "dossier": dossier.code, "platform": payment.platform})
    try:
        return redirect_url(payment)  # the national platform is asked outside the dossier's lock
    except gateway.GatewayError as error:
        raise _gateway_unreachable() from error


def _create_payment(dossier: Dossier, ip: str, now: dt.datetime) -> Payment:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Payment.objects.create(
                    dossier=dossier, amount=dossier.fee_amount, txn_ref=gateway.new_txn_ref(now),
                    order_info=f"Thanh toan ho so {dossier.code}", ip=ip[:45], created_at=now,
                    expires_at=now + PAYMENT_LIFETIME, platform=platforms.platform_for(dossier),
                )
        except IntegrityError:  # the random reference was taken; draw another
            continue
    raise IntegrityError("could not draw a free transaction reference")


# --- Outcomes ------------------------------------------------------------------------------

def _set_status(payment: Payment, status: str, *, via: str, response_code: str = "") -> None:
    previous = payment.status
    payment.status = status
    payment.response_code = response_code or payment.response_code
    payment.save(update_fields=["status", "response_code", "updated_at"])
    record(action="update", obj=payment,
           summary={"event": f"payment_{status}", "txn_ref": payment.txn_ref, "from": previous, "via": via})
    logger.info("payment %s: %s -> %s via %s", payment.txn_ref, previous, status, via)


def _next_receipt_no(payment: Payment, paid_at: dt.datetime) -> str:
    year = timezone.localtime(paid_at).year
    agency_id = payment.dossier.agency_id
    ReceiptSequence.objects.get_or_create(agency_id=agency_id, year=year)
    counter = ReceiptSequence.objects.select_for_update().get(agency_id=agency_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:06d}"


def _mark_paid(payment: Payment, *, transaction_no: str, bank_code: str, pay_date: dt.datetime | None,
               via: str) -> None:
    previous = payment.status
    payment.status = PaymentStatus.PAID
    payment.gateway_transaction_no = transaction_no[:40]
    payment.bank_code = bank_code[:20]
    payment.response_code = gateway.SUCCESS
    payment.paid_at = pay_date or timezone.now()
    payment.receipt_no = payment.receipt_no or _next_receipt_no(payment, payment.paid_at)
    payment.save()
    record(action="update", obj=payment, summary={
        "event": "payment_paid", "txn_ref": payment.txn_ref, "amount": payment.amount, "from": previous, "via": via,
        "transaction_no": payment.gateway_transaction_no, "receipt_no": payment.receipt_no})
    logger.info("payment %s paid via %s", payment.txn_ref, via)
    # Money received that is not owed is owed back: a second payment of the same dossier, or a
    # payment completed after the dossier was closed.
    dossier = payment.dossier
    if Payment.objects.filter(dossier=dossier, status__in=PAID_STATES).exclude(pk=payment.pk).exists():
        record_refund(payment=payment, cause=RefundCause.DUPLICATE)
    elif dossier.status == Status.REFUSED:
        record_refund(payment=payment, cause=RefundCause.REFUSED)
    elif dossier.status == Status.WITHDRAWN:
        record_refund(payment=payment, cause=RefundCause.CLOSED)


def _clean(params: Mapping) -> dict[str, str]:
    items = list(params.items())[:60]
    return {str(k)[:60]: str(v)[:500] for k, v in items}


def _amount_matches(value: str, payment: Payment) -> bool:
    return value == gateway.to_gateway_amount(payment.amount)


def _judge(params: dict[str, str], verified: bool | None = None) -> tuple[tuple[str, str], Payment | None]:
    if not (gateway.verify(params) if verified is None else verified):
        return INVALID_SIGNATURE, None
    payment = (Payment.objects.select_for_update(of=("self",)).select_related("dossier")
               .filter(txn_ref=params.get("v_TxnRef", "")).first())
    if payment is None:
        return ORDER_NOT_FOUND, None
    if not _amount_matches(params.get("v_Amount", ""), payment):
        return INVALID_AMOUNT, payment
    success = params.get("v_ResponseCode") == gateway.SUCCESS and \
        params.get("v_TransactionStatus", gateway.SUCCESS) == gateway.SUCCESS
    # A link we expired ourselves can still be paid at the bank: the money has moved, take it.
    late_success = payment.status == PaymentStatus.EXPIRED and success
    if payment.status != PaymentStatus.PENDING and not late_success:
        return ALREADY_CONFIRMED, payment
    if success:
        _mark_paid(payment, transaction_no=params.get("v_TransactionNo", ""), bank_code=params.get("v_BankCode", ""),
                   pay_date=gateway.parse_date(params.get("v_PayDate", "")), via="ipn")
    else:
        cancelled = params.get("v_ResponseCode") == gateway.CANCELLED_BY_PAYER
        _set_status(payment, PaymentStatus.CANCELLED if cancelled else PaymentStatus.FAILED, via="ipn",
                    response_code=params.get("v_ResponseCode", "")[:4])
    return CONFIRMED, payment


def _rejected(note: PaymentNotification, payment: Payment | None) -> None:
    """A notification that changed nothing: logged (no personal data) and audited."""
    logger.warning("payment notification rejected: channel=%s code=%s txn_ref=%s", note.channel, note.verdict,
                   note.params.get("v_TxnRef", "")[:40])
    record(action="create", obj=note,
           agency_id=payment.dossier.agency_id if payment is not None else None,
           summary={"event": "notification_rejected", "channel": note.channel, "code": note.verdict, "message": note.message,
                    "txn_ref": note.params.get("v_TxnRef", "")[:40]})


def handle_notification(params: Mapping, *, verified: bool | None = None) -> tuple[str, str]:
    """The gateway's server-to-server notification (IPN). Returns the code and message to answer.
    Every notification is kept; a forged, replayed or wrong-amount one never marks anything paid.
    ``verified``: the national platform's call back, whose signature was checked on its body
    (payments.platforms), comes here in the gateway's terms."""
    params = _clean(params)
    with transaction.atomic():
        note = PaymentNotification.objects.create(channel=NotificationChannel.IPN, params=params,
                                                  received_at=timezone.now())
        try:
            with transaction.atomic():
                (code, message), payment = _judge(params, verified)
        except Exception:
            logger.exception("payment notification could not be handled")
            (code, message), payment = UNKNOWN_ERROR, None
        note.verdict, note.message, note.payment = code, message, payment
        note.save(update_fields=["verdict", "message", "payment"])
        if code != CONFIRMED[0]:
            _rejected(note, payment)
    return code, message


@dataclass(frozen=True)
class ReturnResult:
    valid: bool
    payment: Payment | None
    gateway_says_paid: bool = False


def handle_return(params: Mapping) -> ReturnResult:
    """The payer's browser back from the gateway. Shown to the payer, never trusted to mark a
    payment paid: if the notification has not come yet, the gateway is asked."""
    params = _clean(params)
    valid = gateway.verify(params)
    payment = Payment.objects.filter(txn_ref=params.get("v_TxnRef", "")).select_related("dossier").first() \
        if valid else None
    with transaction.atomic():
        note = PaymentNotification.objects.create(
            channel=NotificationChannel.RETURN, params=params, received_at=timezone.now(), payment=payment,
            verdict=(CONFIRMED if payment else ORDER_NOT_FOUND if valid else INVALID_SIGNATURE)[0])
        if not valid or payment is None:
            _rejected(note, None)
    if payment is not None and payment.status == PaymentStatus.PENDING:
        try:
            settle_from_query(payment)
        except gateway.GatewayError:
            logger.warning("payment %s: gateway query failed after return", payment.txn_ref)
        payment.refresh_from_db()
    says_paid = valid and params.get("v_ResponseCode") == gateway.SUCCESS
    return ReturnResult(valid=valid, payment=payment, gateway_says_paid=says_paid)


# --- Status query and reconciliation -------------------------------------------------------

def query_gateway(payment: Payment) -> gateway.QueryAnswer:
    if payment.platform == platforms.NATIONAL:
        return platforms.national_query(payment)
    return gateway.query(txn_ref=payment.txn_ref, transaction_date=payment.created_at,
                         order_info=payment.order_info, ip=payment.ip or "127.0.0.1")


def settle_from_query(payment: Payment) -> str:
    """Ask the gateway about a payment still open here and apply its answer; returns the
    payment's status. A link past its expiry that nobody paid is closed as expired.
    Raises :class:`gateway.GatewayError` if the gateway cannot be asked."""
    if payment.status != PaymentStatus.PENDING:
        return payment.status
    answer = query_gateway(payment)
    with transaction.atomic():
        payment = Payment.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=payment.pk)
        note = PaymentNotification(channel=NotificationChannel.QUERY, params=_clean(answer.raw),
                                   received_at=timezone.now(), payment=payment, verdict=CONFIRMED[0],
                                   message=CONFIRMED[1])
        if payment.status != PaymentStatus.PENDING:
            note.verdict, note.message = ALREADY_CONFIRMED
        elif answer.paid and answer.amount != payment.amount:
            note.verdict, note.message = INVALID_AMOUNT
        elif answer.paid:
            _mark_paid(payment, transaction_no=answer.transaction_no, bank_code=answer.bank_code,
                       pay_date=answer.pay_date, via="query")
        elif answer.found and answer.transaction_status not in (gateway.STATUS_NOT_COMPLETED, "05"):
            _set_status(payment, PaymentStatus.FAILED, via="query", response_code=answer.transaction_status)
        elif payment.expires_at <= timezone.now():
            _set_status(payment, PaymentStatus.EXPIRED, via="query")
        note.save()
        if note.verdict == INVALID_AMOUNT[0]:
            _rejected(note, payment)
    return payment.status


def reconcile(*, older_than: dt.timedelta = dt.timedelta(minutes=15), limit: int = 500) -> Counter:
    """Settle the payments still open after ``older_than`` whose notification never came."""
    counts: Counter = Counter()
    cutoff = timezone.now() - older_than
    for payment in Payment.objects.filter(status=PaymentStatus.PENDING, created_at__lte=cutoff).order_by(
            "created_at")[:limit]:
        try:
            counts[settle_from_query(payment)] += 1
        except gateway.GatewayError as error:
            logger.warning("payment %s: reconciliation query failed (%s)", payment.txn_ref, error)
            counts["unreachable"] += 1
    return counts


# --- Refunds -------------------------------------------------------------------------------

def record_refund(*, payment: Payment, cause: str, reason: str = "") -> Refund:
    """Record that a paid fee is owed back. Idempotent: one refund per payment."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        existing = Refund.objects.filter(payment=payment).first()
        if existing is not None:
            return existing
        if payment.status != PaymentStatus.PAID:
            raise ValidationError(_("Only a paid fee can be refunded."))
        refund = Refund.objects.create(payment=payment, amount=payment.amount, cause=cause, reason=reason[:2000],
                                       created_at=timezone.now())
        record(action="create", obj=refund,
               summary={"event": "refund_recorded", "txn_ref": payment.txn_ref, "amount": refund.amount, "cause": cause})
        logger.info("refund recorded for payment %s (%s)", payment.txn_ref, cause)
        return refund


def refund_refused_dossier(*, dossier_id: int, note: str = "") -> list[Refund]:
    """A dossier was refused: every fee paid for it is owed back (called inside the refusal's
    transaction, so both happen or neither)."""
    return [record_refund(payment=payment, cause=RefundCause.REFUSED, reason=note)
            for payment in Payment.objects.filter(dossier_id=dossier_id, status=PaymentStatus.PAID)]


def complete_refund(*, refund: Refund, actor) -> Refund:
    """The money has been returned to the payer (by the agency's accountant)."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update(of=("self",)).select_related("payment__dossier").get(pk=refund.pk)
        if not can(actor, Action.ACT, agency_id=refund.payment.dossier.agency_id):
            raise PermissionDenied
        if refund.status == RefundStatus.COMPLETED:
            return refund
        refund.status = RefundStatus.COMPLETED
        refund.completed_at = timezone.now()
        refund.save(update_fields=["status", "completed_at"])
        _set_status(refund.payment, PaymentStatus.REFUNDED, via="refund")
        record(action="update", obj=refund, summary={"event": "refund_completed", "txn_ref": refund.payment.txn_ref})
        return refund
