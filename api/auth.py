"""Bearer tokens only: a session cookie is never accepted by the API, so no request made by
someone else's page can act for a signed-in citizen (no CSRF to worry about)."""

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from audit.context import acting_as
from audit.middleware import client_ip
from lgsp import gateway

from . import services


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = services.authenticate(token.strip())
        if found is None:
            return _agency_system(request, token.strip())
        if not services.may_use(found, request.method):
            raise AuthenticationError(message=_("An official's access token only reads; sign in to make changes."))
        request.user = found.user  # for the request log; the session's user never acts here
        return found


def _agency_system(request, raw):
    """An agency system's OAuth token (ADR 0043): through the integration platform's door — the
    route's scope, the client's status, address and quota — and logged there."""
    try:
        client = gateway.admit_api(request, raw)
    except gateway.Refused as refused:
        if refused.status == 429:
            raise Throttled(refused.retry_after) from None
        if refused.status == 401:
            raise AuthenticationError(message=_("The access token is unknown, revoked or expired.")) from None
        raise HttpError(403, refused.message) from None
    if request.method.upper() not in services.SAFE_METHODS and client.user.is_official:
        raise AuthenticationError(message=_("An official's access token only reads; sign in to make changes."))
    request.user = client.user
    return client


bearer = BearerToken()


def acting(request):
    """The audit trail names the token's user (the middleware only knew the session's)."""
    return acting_as(request.auth.user, client_ip(request))


class UserThrottle(SimpleRateThrottle):
    """Per account, for calls made with a token."""

    def get_cache_key(self, request):
        auth = getattr(request, "auth", None)
        if auth is None:
            return None
        return self.cache_format % {"scope": "api-user", "ident": auth.user_id}


class AddressThrottle(SimpleRateThrottle):
    """Per client address, for public calls; the address is the one the audit trail believes
    (X-Forwarded-For only behind the province's proxy)."""

    def get_cache_key(self, request):
        if getattr(request, "auth", None) is not None:
            return None
        return self.cache_format % {"scope": "api-anon", "ident": client_ip(request)}
