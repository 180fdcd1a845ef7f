"""Adapter for the payment gateway (cổng thanh toán), a redirect-and-notify protocol modelled on
the public API 2.1 of VNPAY, which Vietnamese public-service payment platforms use.

Three exchanges, all signed with HMAC-SHA512 and the merchant's secret:

1. **Pay**: the applicant's browser is sent to ``{PAYMENT_GATEWAY_URL}pay?<params>``; the hash
   covers the parameters sorted by name, each ``name=value`` URL-encoded (``quote_plus``) and
   joined with ``&``, leaving out the hash itself and empty values (:func:`canonical`).
2. **Notify / return**: the gateway calls our IPN URL server to server, then sends the browser
   to our return URL, both with the same parameters and a hash built the same way.
3. **Query** (querydr): ``POST {PAYMENT_GATEWAY_URL}querydr`` with JSON; request and answer
   are signed over their values joined with ``|`` in a fixed order (:data:`QUERY_FIELDS`,
   :data:`QUERY_ANSWER_FIELDS`).

Settings: ``PAYMENT_GATEWAY_URL``, ``PAYMENT_MERCHANT_ID``, ``PAYMENT_SECRET``. Nothing here
knows whether the gateway is the real one or the local simulator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlencode

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "2.1.0"
HASH_PARAM = "v_SecureHash"
TIMEZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
TIMEOUT = 10  # seconds, for the query API

SUCCESS = "00"  # v_ResponseCode / v_TransactionStatus of a completed payment
CANCELLED_BY_PAYER = "24"
QUERY_NOT_FOUND = "91"
STATUS_NOT_COMPLETED = "01"

QUERY_FIELDS = ("v_RequestId", "v_Version", "v_Command", "v_Merchant", "v_TxnRef", "v_TransactionDate",
                "v_CreateDate", "v_IpAddr", "v_OrderInfo")
QUERY_ANSWER_FIELDS = ("v_ResponseId", "v_Command", "v_ResponseCode", "v_Message", "v_Merchant", "v_TxnRef",
                       "v_Amount", "v_BankCode", "v_PayDate", "v_TransactionNo", "v_TransactionType",
                       "v_TransactionStatus", "v_OrderInfo")


class GatewayError(Exception):
    """The gateway could not be reached or gave an answer we cannot trust."""


def _secret() -> bytes:
    secret = settings.PAYMENT_SECRET or ""
    if not secret:
        # An empty key would make every signature forgeable: refuse rather than sign with it.
        raise ImproperlyConfigured("PAYMENT_SECRET is not set")
    return secret.encode()


def hmac_sha512(data: str, secret: bytes | None = None) -> str:
    return hmac.new(secret if secret is not None else _secret(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def canonical(params: Mapping[str, object]) -> str:
    """``k=v&k=v`` over the non-empty parameters sorted by name, without the hash."""
    items = sorted((k, str(v)) for k, v in params.items() if k != HASH_PARAM and v not in (None, ""))
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in items)


def sign(params: Mapping[str, object], secret: bytes | None = None) -> str:
    return hmac_sha512(canonical(params), secret)


def verify(params: Mapping[str, object]) -> bool:
    """Whether the parameters of a notification or return carry our merchant's valid hash."""
    given = str(params.get(HASH_PARAM, "")).lower()
    return bool(given) and hmac.compare_digest(given, sign(params))


def format_date(moment: dt.datetime) -> str:
    return moment.astimezone(TIMEZONE).strftime(DATE_FORMAT)


def parse_date(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, DATE_FORMAT).replace(tzinfo=TIMEZONE)
    except (TypeError, ValueError):
        return None


def to_gateway_amount(vnd: int) -> str:
    """The gateway counts in hundredths of a đồng."""
    return str(int(vnd) * 100)


def from_gateway_amount(value: object) -> int | None:
    try:
        hundredths = int(str(value))
    except ValueError:
        return None
    return hundredths // 100 if hundredths % 100 == 0 else None


def _base_url() -> str:
    url = settings.PAYMENT_GATEWAY_URL
    return url if url.endswith("/") else url + "/"


def payment_url(*, txn_ref: str, amount: int, order_info: str, return_url: str, ipn_url: str, ip: str,
                created: dt.datetime, expires: dt.datetime) -> str:
    """Where to send the payer's browser. Built from stored values only, so the same payment
    always gives the same URL."""
    params = {
        "v_Version": VERSION,
        "v_Command": "pay",
        "v_Merchant": settings.PAYMENT_MERCHANT_ID,
        "v_Amount": to_gateway_amount(amount),
        "v_CurrCode": "VND",
        "v_TxnRef": txn_ref,
        "v_OrderInfo": order_info,
        "v_ReturnUrl": return_url,
        "v_IpnUrl": ipn_url,
        "v_IpAddr": ip or "127.0.0.1",
        "v_CreateDate": format_date(created),
        "v_ExpireDate": format_date(expires),
        "v_Locale": "vn",
    }
    params[HASH_PARAM] = sign(params)
    return f"{_base_url()}pay?{urlencode(params)}"


@dataclass(frozen=True)
class QueryAnswer:
    response_code: str  # of the query: "00" found, "91" not found, others are errors
    transaction_status: str  # of the payment: "00" paid, "01" not completed, "02" failed...
    amount: int | None  # VND
    transaction_no: str
    bank_code: str
    pay_date: dt.datetime | None
    raw: dict = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.response_code == SUCCESS

    @property
    def paid(self) -> bool:
        return self.found and self.transaction_status == SUCCESS


def query(*, txn_ref: str, transaction_date: dt.datetime, order_info: str, ip: str = "127.0.0.1") -> QueryAnswer:
    """Ask the gateway what became of a payment (querydr). Raises :class:`GatewayError` when
    the gateway cannot be reached or its answer is not signed with our secret."""
    body = {
        "v_RequestId": uuid.uuid4().hex[:32],
        "v_Version": VERSION,
        "v_Command": "querydr",
        "v_Merchant": settings.PAYMENT_MERCHANT_ID,
        "v_TxnRef": txn_ref,
        "v_TransactionDate": format_date(transaction_date),
        "v_CreateDate": format_date(dt.datetime.now(TIMEZONE)),
        "v_IpAddr": ip or "127.0.0.1",
        "v_OrderInfo": order_info,
    }
    body[HASH_PARAM] = hmac_sha512("|".join(body[name] for name in QUERY_FIELDS))
    try:
        response = requests.post(f"{_base_url()}querydr", json=body, timeout=TIMEOUT)
        response.raise_for_status()
        answer = response.json()
    except (requests.RequestException, ValueError) as error:
        raise GatewayError(f"query failed: {type(error).__name__}") from error
    if not isinstance(answer, dict):
        raise GatewayError("query answer is not an object")
    answer = {str(k): "" if v is None else str(v) for k, v in answer.items()}
    expected = hmac_sha512("|".join(answer.get(name, "") for name in QUERY_ANSWER_FIELDS))
    if not hmac.compare_digest(answer.get(HASH_PARAM, "").lower(), expected):
        raise GatewayError("query answer has an invalid signature")
    if answer.get("v_TxnRef") not in ("", txn_ref):
        raise GatewayError("query answer is about another transaction")
    return QueryAnswer(
        response_code=answer.get("v_ResponseCode", ""),
        transaction_status=answer.get("v_TransactionStatus", ""),
        amount=from_gateway_amount(answer.get("v_Amount", "")) if answer.get("v_Amount") else None,
        transaction_no=answer.get("v_TransactionNo", ""),
        bank_code=answer.get("v_BankCode", ""),
        pay_date=parse_date(answer.get("v_PayDate", "")),
        raw=answer,
    )


def new_txn_ref(moment: dt.datetime) -> str:
    """Our reference for a payment: the day and eight random letters (no long digit runs, so
    log redaction never mistakes it for an ID or phone number)."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return moment.astimezone(TIMEZONE).strftime("%y%m%d") + "".join(secrets.choice(letters) for _ in range(8))
