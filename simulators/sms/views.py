"""The simulated gateway: ``POST send`` answers like a provider; ``GET`` lists what it received.

Answer codes (JSON ``CodeResult``, always with HTTP 200 as the providers do): "100" accepted
(with ``SMSID``), "101" wrong ApiKey/SecretKey, "104" invalid phone number, "99" malformed request.
"""

import functools
import hmac
import json
import logging
import re
import uuid

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import SimulatedSms

logger = logging.getLogger(__name__)

# Vietnamese mobile numbers: 0 or 84, then a mobile prefix (3, 5, 7, 8, 9) and eight digits.
MOBILE = re.compile(r"^(?:0|84)[35789]\d{8}$")
MAX_CONTENT = 612  # four concatenated parts


def simulator_only(view):
    """Simulators exist only when ``EGOV_SIMULATORS`` is on (off by default in production): 404 otherwise."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not getattr(settings, "EGOV_SIMULATORS", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _answer(code: str, **extra) -> JsonResponse:
    return JsonResponse({"CodeResult": code, **extra})


def _same(given, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


@csrf_exempt  # a server-to-server API authenticated by its keys, as the real gateway
@simulator_only
@require_POST
def send(request):
    try:
        data = json.loads(request.body)
    except ValueError:
        return _answer("99", ErrorMessage="Invalid JSON")
    if not isinstance(data, dict):
        return _answer("99", ErrorMessage="Invalid JSON")
    if not (_same(data.get("ApiKey"), getattr(settings, "SMS_SIMULATOR_API_KEY", "demo-key"))
            and _same(data.get("SecretKey"), getattr(settings, "SMS_SIMULATOR_SECRET_KEY", "demo-secret"))):
        return _answer("101", ErrorMessage="Authorize Failed")
    phone = str(data.get("Phone") or "")
    if not MOBILE.match(phone):
        return _answer("104", ErrorMessage="Phone number invalid")
    content = str(data.get("Content") or "")
    if not content.strip() or len(content) > MAX_CONTENT:
        return _answer("99", ErrorMessage="Content empty or too long")
    message = SimulatedSms.objects.create(phone=phone, content=content, brandname=str(data.get("Brandname") or "")[:20],
                                          sms_type=str(data.get("SmsType") or "")[:4], sms_id=uuid.uuid4().hex)
    logger.info("simulated sms accepted", extra={"sms_id": message.sms_id})
    return _answer("100", SMSID=message.sms_id)


@simulator_only
@require_GET
def inbox(request):
    return render(request, "simulators/sms/inbox.html", {"messages_received": SimulatedSms.objects.all()[:100]})
