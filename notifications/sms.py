"""Adapter for an SMS brand-name gateway (tin nhắn thương hiệu) speaking the HTTP JSON protocol of
Vietnamese providers: POST ``{"ApiKey", "SecretKey", "Phone", "Content", "Brandname", "SmsType"}``,
answer ``{"CodeResult": "100", "SMSID": "..."}`` where "100" means accepted.

Settings: ``SMS_GATEWAY_URL`` (empty: SMS is off), ``SMS_API_KEY``, ``SMS_SECRET_KEY``,
``SMS_BRANDNAME``, ``SMS_TYPE`` (the provider's type for brand-name customer-care messages).

Every failure raises :class:`SmsError`, an ``OSError``, so that Celery tasks retrying on
``OSError`` retry it. Messages of these errors never contain the phone number or the content.
"""

import logging
import re
import unicodedata

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

ACCEPTED = "100"
TIMEOUT = (5, 15)  # seconds to connect, to read the answer
# Brand-name SMS without unicode is limited to GSM characters; three parts of 153 at most.
MAX_LENGTH = 459

_PUNCTUATION = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " "})


class SmsError(OSError):
    """The message was not accepted by the gateway (retrying may help)."""


class SmsUnavailable(SmsError):
    """The gateway could not be reached or gave no usable answer."""


class SmsRejected(SmsError):
    """The gateway answered with a code other than "100" (bad credentials, invalid number…)."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(f"SMS gateway refused the message: CodeResult {code}")


def enabled() -> bool:
    return bool(getattr(settings, "SMS_GATEWAY_URL", ""))


def plain(text: str) -> str:
    """Vietnamese without diacritics, case kept: "Hồ sơ Đức Xuân" -> "Ho so Duc Xuan"."""
    text = (text or "").translate(_PUNCTUATION).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = stripped.encode("ascii", "ignore").decode("ascii")
    return " ".join(ascii_only.split())


def normalise_phone(phone: str) -> str:
    """Digits only, the national form: "+84 912 345 678" -> "0912345678"."""
    digits = re.sub(r"[\s.()-]", "", phone or "")
    for prefix in ("+84", "0084"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix):]
    return digits


def send(phone: str, content: str) -> str:
    """Send ``content`` (folded to plain ASCII, shortened if needed) to ``phone``; returns the
    gateway's SMSID."""
    url = getattr(settings, "SMS_GATEWAY_URL", "")
    if not url:
        raise SmsUnavailable("SMS gateway is not configured")
    text = plain(content)
    if len(text) > MAX_LENGTH:
        text = text[: MAX_LENGTH - 3].rstrip() + "..."
    payload = {
        "ApiKey": getattr(settings, "SMS_API_KEY", ""),
        "SecretKey": getattr(settings, "SMS_SECRET_KEY", ""),
        "Phone": normalise_phone(phone),
        "Content": text,
        "Brandname": getattr(settings, "SMS_BRANDNAME", ""),
        "SmsType": str(getattr(settings, "SMS_TYPE", "2")),
    }
    try:
        response = requests.post(url, json=payload, timeout=TIMEOUT)
    except requests.RequestException as error:
        # The exception's text names the URL only, but keep our own wording everywhere.
        raise SmsUnavailable(f"SMS gateway unreachable: {type(error).__name__}") from None
    if response.status_code != 200:
        raise SmsUnavailable(f"SMS gateway answered HTTP {response.status_code}")
    try:
        answer = response.json()
        code = str(answer.get("CodeResult", ""))
    except (ValueError, AttributeError):
        raise SmsUnavailable("SMS gateway answer is not the expected JSON") from None
    if code != ACCEPTED:
        raise SmsRejected(code[:20])
    sms_id = str(answer.get("SMSID") or "")[:100]
    logger.info("sms accepted by the gateway", extra={"sms_id": sms_id})
    return sms_id
