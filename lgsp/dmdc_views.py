"""``/dmdc``: the shared categories served the LGSP way, to client systems holding a token.

Answers are JSON with ``status`` 1 (done) or 0 (refused, with ``errorCode`` and ``message``):
100 authentication, 101 address not allowed, 103 service not granted, 404 unknown category,
429 too many calls (with ``Retry-After``), 500 data incorrect."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from audit.middleware import client_ip

from . import categories, gateway
from .openapi import dmdc_openapi

UNKNOWN = 404
DATA_INCORRECT = 500


def answer(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def refusal(status: int, code: int, message: str, retry_after: int | None = None) -> JsonResponse:
    response = answer({"status": 0, "errorCode": code, "message": message}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="lgsp"'
    return response


def through_gateway(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Admit the call (``dmdc.read`` to read, ``dmdc.write`` to add), run the view, log the call."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        scope = "dmdc.read" if request.method in ("GET", "HEAD") else "dmdc.write"
        try:
            call = gateway.admit(request, scope)
        except gateway.Refused as refused:
            response: HttpResponse = refusal(refused.status, refused.code, refused.message, refused.retry_after)
        else:
            response = view(request, call, *args, **kwargs)
        gateway.finish(request, response)
        return response

    return wrapped


def _unknown(code: str) -> JsonResponse:
    return refusal(404, UNKNOWN, _("There is no shared category named %(code)s.") % {"code": code[:40]})


@require_GET
@through_gateway
def metadata(request: HttpRequest, call: gateway.Call, category: str) -> HttpResponse:
    found = categories.find(category)
    if found is None:
        return _unknown(category)
    return answer({"status": 1, **categories.metadata(found)})


@require_http_methods(["GET", "HEAD", "POST"])
@through_gateway
def category(request: HttpRequest, call: gateway.Call, category: str) -> HttpResponse:
    found = categories.find(category)
    if found is None:
        return _unknown(category)
    if request.method != "POST":
        return answer({"status": 1, **categories.rows(found, history=request.GET.get("lichSu") == "1")})
    try:
        body = json.loads(request.body or b"null")
        data = body.get("data") if isinstance(body, dict) else None
        added = categories.add_rows(client=call.client, category=found, data=data, ip=client_ip(request))
    except (ValueError, categories.BadRows) as error:
        message = str(error) if isinstance(error, categories.BadRows) else _("The body is not JSON.")
        return refusal(400, DATA_INCORRECT, message)
    return answer({"status": 1, "category": found.code, "version": categories.version(found),
                   "added": len(added.added), "duplicates": len(added.duplicates),
                   "duplicateCodes": added.duplicates, "message": added.message})


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    return answer(dmdc_openapi(request.build_absolute_uri("/")[:-1]))

