"""The gateway's side of the protocol: checking merchants' signatures and signing answers.

Written apart from ``payments.gateway`` on purpose: the simulator is a stand-in for another
organisation's system, and the tests only mean something if both sides are built from the
protocol, not from each other.
"""

import hashlib
import hmac
import zoneinfo
from urllib.parse import quote_plus

from django.conf import settings

TIMEZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
HASH = "v_SecureHash"
QUERY_FIELDS = ("v_RequestId", "v_Version", "v_Command", "v_Merchant", "v_TxnRef", "v_TransactionDate",
                "v_CreateDate", "v_IpAddr", "v_OrderInfo")
ANSWER_FIELDS = ("v_ResponseId", "v_Command", "v_ResponseCode", "v_Message", "v_Merchant", "v_TxnRef", "v_Amount",
                 "v_BankCode", "v_PayDate", "v_TransactionNo", "v_TransactionType", "v_TransactionStatus",
                 "v_OrderInfo")


def merchant_secret(merchant: str) -> bytes | None:
    secret = settings.PAYSIM_MERCHANTS.get(merchant or "")
    return secret.encode() if secret else None


def _hmac(secret: bytes, data: str) -> str:
    return hmac.new(secret, data.encode("utf-8"), hashlib.sha512).hexdigest()


def query_string_hash(secret: bytes, params: dict) -> str:
    pairs = sorted((k, v) for k, v in params.items() if k != HASH and v != "")
    return _hmac(secret, "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in pairs))


def pipe_hash(secret: bytes, params: dict, fields: tuple[str, ...]) -> str:
    return _hmac(secret, "|".join(str(params.get(name, "")) for name in fields))


def matches(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.lower(), expected)
