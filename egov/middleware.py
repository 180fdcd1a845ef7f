"""The shell's middleware: one structured log line per request (method, route, status, duration;
never query strings or bodies, which may carry personal data), and the refusal of a NUL character."""

import logging
import time

from django.core.exceptions import BadRequest
from django.http import Http404

from api.errors import invalid
from api.main import api as ninja
from api.middleware import PREFIX

from .text import NUL, holds_nul, nul_refused

logger = logging.getLogger("egov.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "route": match.route if match else "",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": getattr(getattr(request, "user", None), "pk", None),
            },
        )
        return response


def _fields_with_nul(values, *, json: bool = False) -> list[str]:
    return sorted({name for name, items in values.lists()
                   if holds_nul(name, json=json) or any(holds_nul(item, json=json) for item in items)})


class NulCharacterMiddleware:
    """No text holds a NUL character, and PostgreSQL refuses one in a query: a request carrying one
    in its address, its query, its form fields or its JSON body is refused here, for every page
    and endpoint, rather than reaching a query as a server error.

    Pages answer 400 (their forms refuse a NUL too, field by field) or 404 for an address. Under
    ``/api/`` the refusal is answered by the API's own handlers (:mod:`api.errors`): 404, or 422
    naming the fields. Multipart fields are left to the readers that take them (a page's form,
    ``api.inputs``): a part may be a file's bytes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self._refuse_nul(request)
        except Exception as refused:
            if not request.path_info.startswith(PREFIX):
                raise
            return ninja.on_exception(request, refused)  # the API's answer to it, or raised again
        return self.get_response(request)

    def _refuse_nul(self, request) -> None:
        if NUL in request.path_info:
            raise Http404
        api = request.path_info.startswith(PREFIX)
        fields = _fields_with_nul(request.GET) + self._body_fields(request, api)  # an unreadable body raises
        if fields and not api:
            raise BadRequest("a NUL character in the query or the fields")
        if fields:
            raise invalid({name.replace(NUL, "\\0"): [nul_refused()] for name in fields})

    @staticmethod
    def _body_fields(request, api: bool) -> list[str]:
        if request.method not in ("POST", "PUT", "PATCH"):
            return []
        if request.content_type == "application/x-www-form-urlencoded":
            return _fields_with_nul(request.POST, json=api)
        if api and request.content_type == "application/json":
            return ["body"] if holds_nul(request.body.decode("utf-8", "replace"), json=True) else []
        return []
