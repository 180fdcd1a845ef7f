"""The token endpoint's rules (django-oauth-toolkit, client credentials grant): a client gets a
token only while it is active, from an allowed address, for scopes the province granted it."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from audit.middleware import client_ip

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
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        client = _client_of(request.client)
        if client is None or not client.is_active or (client.sandbox and settings.PRODUCTION):
            return False  # the sandbox's secret is public: it is for the demonstration only
        # The same address the audit trail believes (X-Forwarded-For only behind the province's proxy).
        address = client_ip(SimpleNamespace(META=request.headers))
        return client.address_allowed(address)
