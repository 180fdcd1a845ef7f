"""The token endpoint's rules (django-oauth-toolkit, client credentials grant): a client gets a
token only while it is active, from an allowed address, for scopes the province granted it."""

from __future__ import annotations

import json
from types import SimpleNamespace

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.views import TokenView as BaseTokenView

from audit.middleware import client_ip
from egov import limits

from .models import Client
from .scopes import SCOPES


def _client_of(application) -> Client | None:
    if application is None:
        return None
    try:
        return Client.objects.get(application=application)
    except Client.DoesNotExist:
        return None


class ClientScopes(BaseScopes):
    """All scopes are those of :mod:`lgsp.scopes`; a client may ask for those it was granted, and
    gets all of them when it asks for none."""

    def get_all_scopes(self):
        return {name: str(label) for name, label in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        client = _client_of(application)
        return list(client.scopes) if client is not None else []

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)


class ClientValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs):
        # The same address the audit trail believes (X-Forwarded-For only behind the province's proxy).
        address = client_ip(SimpleNamespace(META=request.headers))
        if not super().authenticate_client(request, *args, **kwargs):
            limits.count(FAILED_CLIENT_AUTHENTICATIONS, address)
            return False
        client = _client_of(request.client)
        if client is None or not client.is_active or (client.sandbox and settings.PRODUCTION):
            limits.count(FAILED_CLIENT_AUTHENTICATIONS, address)
            return False  # the sandbox's secret is public: it is for the demonstration only
        return client.address_allowed(address)


# Guessing a client's secret: ten failed authentications from one address within 15 minutes close
# the token endpoint to that address for the rest of the window, the right secret included (ADR 0052).
FAILED_CLIENT_AUTHENTICATIONS = limits.Limit("oauth-token-failures", 10, 15 * 60)


class TokenView(BaseTokenView):
    """django-oauth-toolkit's token endpoint, closed to an address that failed too often."""

    def post(self, request, *args, **kwargs):
        if limits.reached(FAILED_CLIENT_AUTHENTICATIONS, client_ip(request)):
            body = {"error": "invalid_client",
                    "error_description": _("Too many failed client authentications from this address; try again "
                                           "later.")}
            response = HttpResponse(json.dumps(body), status=429, content_type="application/json")
            response["Retry-After"] = str(FAILED_CLIENT_AUTHENTICATIONS.seconds)
            response["Cache-Control"] = "no-store"
            return response
        return super().post(request, *args, **kwargs)
