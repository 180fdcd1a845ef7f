"""The gateway's one door (cổng kết nối): every call of a client system, to ``/dmdc`` or to
``/api/v1``, is admitted here — token, status, address, scope, quota — and logged by
:func:`finish`. Refusals carry the LGSP error codes (100 authentication, 101 address not allowed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken

from accounts.models import User
from audit.middleware import client_ip
from egov import limits

from .models import CallLog, Client, ClientStatus
from .scopes import api_scope, service_of

AUTHENTICATION = 100  # LGSP: token missing, unknown, expired, or its client stopped
ADDRESS = 101  # LGSP: address not allowed
SCOPE = 103  # not granted this service
QUOTA = 429  # rate limit or daily quota reached


@dataclass
class Refused(Exception):
    status: int
    code: int
    message: str
    retry_after: int | None = None


@dataclass
class Call:
    client: Client
    scopes: frozenset[str]
    started: float
    logged: bool = False
    code: int | None = None
    retry_after: int | None = None


@dataclass
class ApiClient:
    """``request.auth`` of ``/api/v1`` for a client system's token: the routes read ``user``
    (the account the client acts as) through the same selectors as for a person's token."""

    client: Client
    user: User

    @property
    def user_id(self) -> int:
        return self.user.pk


def bearer(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _sep, value = header.partition(" ")
    return value.strip() if kind.lower() == "bearer" else ""


def token_client(raw: str) -> tuple[Client, frozenset[str]] | None:
    """The client and scopes of a valid token, or None. Read from the database at every call, so a
    suspension or a revocation (which also deletes the tokens) holds at once."""
    if not raw or len(raw) > 255:
        return None
    checksum = hashlib.sha256(raw.encode()).hexdigest()
    token = (AccessToken.objects.select_related("application__lgsp_client")
             .filter(token_checksum=checksum).first())
    if token is None or token.is_expired() or token.application is None:
        return None
    client = getattr(token.application, "lgsp_client", None)
    if client is None:
        return None
    return client, frozenset(token.scope.split())




def _counts(counters: list[tuple[str, int]]) -> list[int]:
    """One more in each counter, shared by every worker: with Redis (production) in one round trip —
    INCR and EXPIRE pipelined — rather than Django's two per counter."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return [limits.tally(key, timeout) for key, timeout in counters]
    pipe = backend._cache.get_client(write=True).pipeline(transaction=False)
    for key, timeout in counters:
        full = backend.make_and_validate_key(key)
        pipe.incr(full)
        pipe.expire(full, timeout)
    return pipe.execute()[0::2]


def _quota(client: Client) -> None:
    now = time.time()
    local = timezone.localtime()
    minute, day = _counts([(f"lgsp:m:{client.pk}:{int(now // 60)}", 120),
                           (f"lgsp:d:{client.pk}:{local.date().isoformat()}", 90_000)])
    if minute > client.per_minute:
        raise Refused(429, QUOTA, _("Too many calls this minute for this client system."),
                      retry_after=max(1, math.ceil(60 - now % 60)))
    if day > client.per_day:
        midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=local.tzinfo)
        raise Refused(429, QUOTA, _("This client system has used its calls for today."),
                      retry_after=max(1, math.ceil((midnight - local).total_seconds())))


def admit(request: HttpRequest, scope: str | None, *, raw: str | None = None) -> Call:
    """Admit the call or raise :class:`Refused`. Once the client is known the call is logged,
    refused or not (``request.lgsp_call``)."""
    found = token_client(bearer(request) if raw is None else raw)
    if found is None:
        raise Refused(401, AUTHENTICATION, _("The access token is missing, unknown or expired."))
    client, scopes = found
    call = Call(client=client, scopes=scopes, started=time.perf_counter())
    request.lgsp_call = call  # type: ignore[attr-defined]
    try:
        if client.status != ClientStatus.ACTIVE:
            raise Refused(401, AUTHENTICATION, _("This client system is suspended or revoked."))
        if not client.address_allowed(client_ip(request)):
            raise Refused(403, ADDRESS, _("Calls from this address are not allowed for this client system."))
        if scope is None or scope not in scopes or scope not in client.scopes:
            raise Refused(403, SCOPE, _("This client system is not allowed this service."))
        _quota(client)
    except Refused as refused:
        call.code, call.retry_after = refused.code, refused.retry_after
        raise
    return call


def admit_api(request: HttpRequest, raw: str) -> ApiClient:
    """The door for ``/api/v1``: the route's scope (:func:`lgsp.scopes.api_scope`; a route not
    listed is closed to clients), then the account the client acts as."""
    call = admit(request, api_scope(request.method or "", request.path_info), raw=raw)
    user = call.client.acting_user
    if user is None or not user.is_active:
        call.code = SCOPE
        raise Refused(403, SCOPE, _("This client system acts as no active account."))
    return ApiClient(client=call.client, user=user)


def finish(request: HttpRequest, response: HttpResponse) -> None:
    """Write the call's log row: one INSERT, outside any transaction of the view."""
    call: Call | None = getattr(request, "lgsp_call", None)
    if call is None or call.logged:
        return
    call.logged = True
    if response.status_code == 429 and call.retry_after and not response.has_header("Retry-After"):
        response["Retry-After"] = str(call.retry_after)
    size = 0 if response.streaming else len(response.content)
    try:
        request_bytes = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        request_bytes = 0
    row = CallLog(
        client_id=call.client.pk, method=request.method or "", service=service_of(request.path_info)[:80],
        status=response.status_code, request_bytes=request_bytes, response_bytes=size,
        duration_ms=round((time.perf_counter() - call.started) * 1000), lgsp_code=call.code)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        _insert_async(row)
    else:
        row.save(force_insert=True)


LOGGED_FIELDS = ("client_id", "at", "method", "service", "status", "request_bytes", "response_bytes", "duration_ms",
                 "lgsp_code")


def _insert_async(row: CallLog) -> None:
    """One round trip, and the answer does not wait for the log's flush to disk (PostgreSQL's
    asynchronous commit, for this transaction only): a crash may lose the last fraction of a second
    of log rows, never corrupt them."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in LOGGED_FIELDS)  # the columns are named as the attributes
    placeholders = ", ".join(["%s"] * len(LOGGED_FIELDS))
    with connection.cursor() as cursor:
        cursor.execute(f"BEGIN; SET LOCAL synchronous_commit TO OFF; "  # noqa: S608 - names from the model
                       f"INSERT INTO {quote(CallLog._meta.db_table)} ({columns}) VALUES ({placeholders}); COMMIT",
                       [getattr(row, name) for name in LOGGED_FIELDS])
