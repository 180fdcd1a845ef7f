"""The network side of a B-LT signature: revocation data (OCSP responses, CRLs) kept while valid,
and one HTTP session per signing run for them and the timestamp authority.

Every B-LT signature used to fetch the same revocation data again: the signer's OCSP response,
the issuing CA's and the timestamp authority's CRLs, four or five round trips, each through a new
HTTP session (and a new TLS context: ~20 ms of reading the CA bundle). Now

* :class:`RevocationCache` keeps what was fetched, per certificate, in the process, until the
  data's own ``nextUpdate`` and at most ``SIGNING_REVOCATION_CACHE_SECONDS`` (300) after it was
  fetched; data without ``nextUpdate`` (RFC 6960 2.4: newer information is always available) is
  never kept. A certificate revoked meanwhile is therefore refused at the latest when the data
  that said "good" expires, and is never reported "good" past that moment; a "revoked" answer is
  kept the same way. Concurrent signatures waiting for the same data share one request.
* :func:`http_session` opens one ``aiohttp`` session (TLS context made once per process) for a
  signing run, used by the timestamper (:func:`timestamper`) and the fetchers (:func:`fetchers`).

The public verifier does not use this cache: it fetches under its own rules (``verify_fetch``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import functools
import ssl
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import aiohttp
from asn1crypto import crl, ocsp, x509
from django.conf import settings
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
from pyhanko_certvalidator.fetchers.aiohttp_fetchers.util import LazySession
from pyhanko_certvalidator.fetchers.api import CRLFetcher, Fetchers, OCSPFetcher

_session: contextvars.ContextVar[aiohttp.ClientSession | None] = contextvars.ContextVar(
    "signing_http_session", default=None)


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@contextlib.asynccontextmanager
async def http_session():
    """The HTTP session of this signing run: the current one, or a new one closed at the end."""
    if _session.get() is not None:
        yield _session.get()
        return
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=_tls_context(), limit=32))
    token = _session.set(session)
    try:
        yield session
    finally:
        _session.reset(token)
        await session.close()


class _RunSession(LazySession):
    """pyHanko's lazy session slot filled with the run's session (:func:`http_session`)."""

    def get_session(self):
        session = _session.get()
        if session is None:
            raise RuntimeError("no HTTP session: sign inside signing.revocation.http_session()")
        return session

    async def close(self):
        return None  # the run's session is closed by http_session()


def timestamper(url: str, timeout: float = 10) -> HTTPTimeStamper:
    return HTTPTimeStamper(url, timeout=timeout, session=_RunSession())


# --- the cache ----------------------------------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "SIGNING_REVOCATION_CACHE_SECONDS", 300)))


def ocsp_next_update(response: ocsp.OCSPResponse) -> dt.datetime | None:
    """The earliest ``nextUpdate`` of a successful response's answers (None: not to be kept)."""
    if response["response_status"].native != "successful":
        return None
    answers = response["response_bytes"]["response"].parsed["tbs_response_data"]["responses"]
    updates = [answer["next_update"].native for answer in answers]
    return min(updates) if updates and None not in updates else None


def crl_next_update(crls: Iterable[crl.CertificateList]) -> dt.datetime | None:
    updates = [item["tbs_cert_list"]["next_update"].native for item in crls]
    return min(updates) if updates and None not in updates else None


@dataclass(frozen=True)
class _Entry:
    value: object
    fetched_at: dt.datetime
    until: dt.datetime


class RevocationCache:
    """Revocation data per certificate, kept while valid (see the module's docstring)."""

    def __init__(self):
        self._entries: dict[tuple, _Entry] = {}
        self._pending: dict[tuple, asyncio.Future] = {}
        self._lock = threading.Lock()
        self.fetches = 0  # requests made (tests, benchmark)
        self.hits = 0

    def get(self, key: tuple):
        now = _now()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.fetched_at <= now < entry.until:
                self.hits += 1
                return entry.value
            self._entries.pop(key, None)
            return None

    async def get_or_fetch(self, key: tuple, fetch: Callable[[], Awaitable], next_update: Callable):
        """The kept value of ``key``, or ``fetch()``'s, kept until ``next_update(value)``."""
        found = self.get(key)
        if found is not None:
            return found
        loop = asyncio.get_running_loop()
        slot = (loop, *key)
        with self._lock:
            pending = self._pending.get(slot)
            if pending is None:
                pending = self._pending[slot] = loop.create_task(self._fetch(key, fetch, next_update))
                pending.add_done_callback(lambda _done: self._pending.pop(slot, None))
        return await asyncio.shield(pending)

    async def _fetch(self, key, fetch, next_update):
        fetched_at = _now()
        with self._lock:
            self.fetches += 1
        value = await fetch()
        expires = next_update(value)
        if expires is not None:
            until = min(expires, fetched_at + max_age())
            with self._lock:
                self._entries[key] = _Entry(value=value, fetched_at=fetched_at, until=until)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.fetches = self.hits = 0


cache = RevocationCache()


def _cert_key(cert) -> bytes | None:
    return cert.sha256 if isinstance(cert, x509.Certificate) else None


def _unique(*groups: Iterable) -> list:
    """The items of ``groups`` once each (by identity: the same parsed response or CRL)."""
    return list({id(item): item for group in groups for item in group}.values())


class CachingOCSPFetcher(OCSPFetcher):
    """An OCSP fetcher of one validation context answering from :data:`cache` when it can."""

    def __init__(self, inner: OCSPFetcher):
        self._inner = inner
        self._used: dict[bytes, list[ocsp.OCSPResponse]] = {}

    async def fetch(self, cert, authority):
        key = _cert_key(cert)
        if key is None:
            return await self._inner.fetch(cert, authority)
        response = await cache.get_or_fetch(("ocsp", key, authority.public_key.sha256),
                                            lambda: self._inner.fetch(cert, authority), ocsp_next_update)
        answers = self._used.setdefault(key, [])
        if response not in answers:
            answers.append(response)
        return response

    def fetched_responses(self):
        return _unique([r for responses in self._used.values() for r in responses],
                       self._inner.fetched_responses())

    def fetched_responses_for_cert(self, cert):
        key = _cert_key(cert)
        return _unique(self._used.get(key, []) if key is not None else [],
                       self._inner.fetched_responses_for_cert(cert))


class CachingCRLFetcher(CRLFetcher):
    """A CRL fetcher of one validation context answering from :data:`cache` when it can."""

    def __init__(self, inner: CRLFetcher):
        self._inner = inner
        self._used: dict[bytes, list[crl.CertificateList]] = {}

    async def fetch(self, cert, *, use_deltas=None):
        key = _cert_key(cert)
        if key is None:
            return await self._inner.fetch(cert, use_deltas=use_deltas)

        async def fetch_list():
            return list(await self._inner.fetch(cert, use_deltas=use_deltas))

        found = await cache.get_or_fetch(("crl", key, use_deltas), fetch_list, crl_next_update)
        self._used[key] = list(found)
        return list(found)

    def fetched_crls(self):
        return _unique([c for crls in self._used.values() for c in crls], self._inner.fetched_crls())

    def fetched_crls_for_cert(self, cert):
        key = _cert_key(cert)
        if key is not None and key in self._used:
            return list(self._used[key])
        return self._inner.fetched_crls_for_cert(cert)  # KeyError when never fetched


def fetchers(timeout: float = 10) -> Fetchers:
    """Fetchers for one validation context: the cache in front of pyHanko's ``aiohttp`` fetchers,
    which use the run's session."""
    inner = AIOHttpFetcherBackend(session=_RunSession(), per_request_timeout=timeout).get_fetchers()
    return Fetchers(ocsp_fetcher=CachingOCSPFetcher(inner.ocsp_fetcher),
                    crl_fetcher=CachingCRLFetcher(inner.crl_fetcher), cert_fetcher=inner.cert_fetcher)
