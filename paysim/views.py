"""A local payment gateway speaking the same protocol as the real one (redirect, notify, query),
so the whole payment flow runs on one machine. Served only when EGOV_SIMULATORS is on."""

import datetime as dt
import json
import logging
import uuid
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import protocol
from .models import GatewayTransaction, SimStatus

logger = logging.getLogger("paysim")

IPN_TIMEOUT = 5  # seconds
BANKS = [("NCB", "Ngân hàng Quốc Dân (NCB)"), ("VCB", "Vietcombank"), ("BIDV", "BIDV"),
         ("AGRIBANK", "Agribank"), ("VIETINBANK", "VietinBank")]
REQUIRED = ("v_Version", "v_Command", "v_Merchant", "v_Amount", "v_CurrCode", "v_TxnRef", "v_OrderInfo",
            "v_ReturnUrl", "v_IpnUrl", "v_IpAddr", "v_CreateDate", "v_ExpireDate", protocol.HASH)


def _enabled():
    if not settings.EGOV_SIMULATORS:
        raise Http404


def _vnd(hundredths: int) -> str:
    return f"{hundredths // 100:,}".replace(",", ".")


def _error(request, message: str, status: int = 400):
    return render(request, "paysim/error.html", {"message": message}, status=status)


def _parse_date(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, protocol.DATE_FORMAT).replace(tzinfo=protocol.TIMEZONE)
    except ValueError:
        return None


def _now_text() -> str:
    return timezone.now().astimezone(protocol.TIMEZONE).strftime(protocol.DATE_FORMAT)


@never_cache
@require_GET
def pay(request):
    """The payment page the merchant sends its payer to, after checking the merchant's signature."""
    _enabled()
    params = request.GET.dict()
    if any(not params.get(name) for name in REQUIRED) or params["v_Command"] != "pay":
        return _error(request, _("The payment request is incomplete."))
    secret = protocol.merchant_secret(params["v_Merchant"])
    if secret is None:
        return _error(request, _("This merchant is not registered with the gateway."))
    if not protocol.matches(params[protocol.HASH], protocol.query_string_hash(secret, params)):
        logger.warning("pay request with an invalid signature (merchant %s)", params["v_Merchant"][:20])
        return _error(request, _("The payment request has an invalid signature."))
    expire_at = _parse_date(params["v_ExpireDate"])
    amount = params["v_Amount"]
    if params["v_CurrCode"] != "VND" or not amount.isdigit() or int(amount) <= 0 or int(amount) % 100:
        return _error(request, _("The amount or currency of the payment request is invalid."))
    if expire_at is None or _parse_date(params["v_CreateDate"]) is None:
        return _error(request, _("The payment request has invalid dates."))
    if expire_at <= timezone.now():
        return _error(request, _("This payment request has expired."))
    try:
        with transaction.atomic():
            txn, _created = GatewayTransaction.objects.get_or_create(
                merchant=params["v_Merchant"], txn_ref=params["v_TxnRef"][:100],
                defaults={"amount": int(amount), "order_info": params["v_OrderInfo"][:255],
                          "return_url": params["v_ReturnUrl"][:500], "ipn_url": params["v_IpnUrl"][:500],
                          "ip": params["v_IpAddr"][:45], "create_date": params["v_CreateDate"][:14],
                          "expire_at": expire_at})
    except IntegrityError:
        txn = GatewayTransaction.objects.get(merchant=params["v_Merchant"], txn_ref=params["v_TxnRef"][:100])
    if txn.amount != int(amount):
        return _error(request, _("This transaction reference was already used for another amount."))
    if txn.status != SimStatus.PENDING:
        return render(request, "paysim/done.html", {"txn": txn, "amount": _vnd(txn.amount)})
    return render(request, "paysim/pay.html", {"txn": txn, "amount": _vnd(txn.amount), "banks": BANKS})


def _result_params(txn: GatewayTransaction) -> dict:
    params = {
        "v_Amount": str(txn.amount), "v_BankCode": txn.bank_code, "v_Merchant": txn.merchant,
        "v_OrderInfo": txn.order_info, "v_PayDate": txn.pay_date, "v_ResponseCode": txn.response_code,
        "v_TransactionNo": txn.transaction_no, "v_TransactionStatus": txn.transaction_status, "v_TxnRef": txn.txn_ref,
    }
    params[protocol.HASH] = protocol.query_string_hash(protocol.merchant_secret(txn.merchant) or b"", params)
    return params


def _notify(txn: GatewayTransaction, params: dict) -> None:
    """Server-to-server notification (IPN) to the merchant, once, with a timeout; a lost one is
    what the query API is for."""
    try:
        response = requests.get(txn.ipn_url, params=params, timeout=IPN_TIMEOUT)
        answer = f"{response.status_code} {response.text[:150]}"
    except requests.RequestException as error:
        answer = f"error: {type(error).__name__}"
    GatewayTransaction.objects.filter(pk=txn.pk).update(ipn_attempts=txn.ipn_attempts + 1, ipn_answer=answer[:200])


def _with_query(url: str, params: dict) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


@never_cache
@require_POST
def complete(request, token: uuid.UUID):
    """The payer paid or cancelled: notify the merchant, then send the browser back to it."""
    _enabled()
    get_object_or_404(GatewayTransaction, token=token)
    action = request.POST.get("action")
    bank = request.POST.get("bank", "")
    if action not in ("pay", "cancel") or (action == "pay" and bank not in dict(BANKS)):
        return _error(request, _("Choose a bank, then pay or cancel."))
    with transaction.atomic():
        txn = GatewayTransaction.objects.select_for_update().get(token=token)
        if txn.status != SimStatus.PENDING:
            return render(request, "paysim/done.html", {"txn": txn, "amount": _vnd(txn.amount)})
        if txn.expire_at <= timezone.now():
            return _error(request, _("This payment request has expired."))
        txn.pay_date = _now_text()
        txn.bank_code = bank or "NCB"
        if action == "pay":
            txn.status, txn.response_code, txn.transaction_status = SimStatus.SUCCESS, "00", "00"
            txn.save()
            txn.transaction_no = str(14000000 + txn.pk)
        else:
            txn.status, txn.response_code, txn.transaction_status = SimStatus.CANCELLED, "24", "02"
            txn.transaction_no = "0"
        txn.save()
    params = _result_params(txn)
    _notify(txn, params)
    return HttpResponseRedirect(_with_query(txn.return_url, params))


def _answer(secret: bytes | None, **values) -> JsonResponse:
    body = {"v_ResponseId": uuid.uuid4().hex[:32], "v_Command": "querydr", "v_ResponseCode": "99",
            "v_Message": "", "v_Merchant": "", "v_TxnRef": "", "v_Amount": "", "v_BankCode": "", "v_PayDate": "",
            "v_TransactionNo": "", "v_TransactionType": "01", "v_TransactionStatus": "", "v_OrderInfo": ""}
    body.update(values)
    if secret is not None:
        body[protocol.HASH] = protocol.pipe_hash(secret, body, protocol.ANSWER_FIELDS)
    return JsonResponse(body)


@csrf_exempt
@require_POST
def querydr(request):
    """Query API: what became of a merchant's transaction, signed."""
    _enabled()
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _answer(None, v_ResponseCode="03", v_Message="Invalid format")
    body = {str(k): str(v) for k, v in body.items()}
    secret = protocol.merchant_secret(body.get("v_Merchant", ""))
    if secret is None:
        return _answer(None, v_ResponseCode="02", v_Message="Invalid merchant")
    common = {"v_Merchant": body["v_Merchant"], "v_TxnRef": body.get("v_TxnRef", "")}
    if not protocol.matches(body.get(protocol.HASH, ""), protocol.pipe_hash(secret, body, protocol.QUERY_FIELDS)):
        return _answer(secret, v_ResponseCode="97", v_Message="Invalid checksum", **common)
    if body.get("v_Command") != "querydr" or any(not body.get(name) for name in ("v_TxnRef", "v_TransactionDate")):
        return _answer(secret, v_ResponseCode="03", v_Message="Invalid format", **common)
    txn = GatewayTransaction.objects.filter(merchant=body["v_Merchant"], txn_ref=body["v_TxnRef"],
                                            create_date=body["v_TransactionDate"]).first()
    if txn is None:
        return _answer(secret, v_ResponseCode="91", v_Message="Transaction not found", **common)
    return _answer(secret, v_ResponseCode="00", v_Message="Query success", v_Amount=str(txn.amount),
                   v_BankCode=txn.bank_code, v_PayDate=txn.pay_date, v_TransactionNo=txn.transaction_no,
                   v_TransactionStatus=txn.transaction_status, v_OrderInfo=txn.order_info, **common)
