"""Logs the calls the gateway admitted or refused (``lgsp.gateway.finish``) once their answer is
known; other requests pass untouched."""

from django.http import HttpRequest, HttpResponse

from .gateway import finish


class GatewayLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "lgsp_call", None) is not None:
            finish(request, response)
        return response
