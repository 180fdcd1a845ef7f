"""The one door to a national system: timeouts, retries with back-off, a circuit breaker shared by
the platform's processes (through the cache), and two exceptions the callers turn into what the
official or citizen reads.

    from national.base import call, Unavailable, Refused
    answer = call("population", "GET", "/citizens/001090000001", purpose="prefill")

``settings.NATIONAL_SYSTEMS[system]`` gives ``url`` and ``token`` (and optionally ``timeout`` in
seconds). A system that is not configured, does not answer, answers 5xx or whose breaker is open
raises :class:`Unavailable`; the caller keeps the work going and tries again later (the dossier is
never lost nor blocked). A 4xx answer raises :class:`Refused` with the system's code and message.
The log names the system, the path's first segment, the status and the latency — never a body,
an identification number or a name.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Mapping
from typing import Any

import pybreaker
import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = logging.getLogger("national")

SYSTEM_NAMES = {
    "population": _("National population database"),
    "npsp": _("National Public Service Portal"),
    "payment": _("National payment platform"),
    "business": _("National business registration database"),
    "civil_status": _("Civil status database"),
}
FAIL_MAX = 3  # consecutive failures that open the breaker
RESET_SECONDS = 30  # an open breaker lets one call through after this
DEFAULT_TIMEOUT = (2.0, 8.0)  # connect, read (seconds)


class Unavailable(Exception):
    """The national system cannot be reached now; the work continues and is synchronised later."""

    def __init__(self, system: str, reason: str = ""):
        self.system, self.reason = system, reason
        super().__init__(f"{system} unavailable: {reason}")

    @property
    def message(self) -> str:
        return str(_("%(system)s is not answering at the moment. Your work is kept; the check is made "
                     "automatically when it answers again.") % {"system": SYSTEM_NAMES.get(self.system, self.system)})


class Refused(Exception):
    """The national system answered and refused (a 4xx, or a refusal in its own envelope)."""

    def __init__(self, system: str, status: int, code: str = "", detail: str = ""):
        self.system, self.status, self.code, self.detail = system, status, code, detail
        super().__init__(f"{system} refused ({status} {code}): {detail}")


class CacheStorage(pybreaker.CircuitBreakerStorage):
    """The breaker's state in the Django cache, so that every worker of one installation agrees."""

    def __init__(self, name: str):
        super().__init__(name)
        self._key = f"national:breaker:{name}:"

    @property
    def state(self) -> str:
        return cache.get(self._key + "state", pybreaker.STATE_CLOSED)

    @state.setter
    def state(self, state: str) -> None:
        cache.set(self._key + "state", state, None)

    def _incr(self, field: str) -> None:
        try:
            cache.incr(self._key + field)
        except ValueError:
            cache.set(self._key + field, 1, None)

    def increment_counter(self) -> None:
        self._incr("fails")

    def reset_counter(self) -> None:
        cache.set(self._key + "fails", 0, None)

    def increment_success_counter(self) -> None:
        self._incr("successes")

    def reset_success_counter(self) -> None:
        cache.set(self._key + "successes", 0, None)

    @property
    def counter(self) -> int:
        return int(cache.get(self._key + "fails", 0))

    @property
    def success_counter(self) -> int:
        return int(cache.get(self._key + "successes", 0))

    @property
    def opened_at(self) -> dt.datetime | None:
        return cache.get(self._key + "opened_at")

    @opened_at.setter
    def opened_at(self, moment: dt.datetime) -> None:
        cache.set(self._key + "opened_at", moment, None)


class _Transient(Exception):
    """A failure that counts against the breaker (no answer, or a 5xx)."""


_breakers: dict[str, pybreaker.CircuitBreaker] = {}
_sessions: dict[str, requests.Session] = {}


def breaker(system: str) -> pybreaker.CircuitBreaker:
    if system not in _breakers:
        _breakers[system] = pybreaker.CircuitBreaker(
            fail_max=FAIL_MAX, reset_timeout=RESET_SECONDS, state_storage=CacheStorage(system), name=system,
            throw_new_error_on_trip=False)
    # ``reset_seconds`` in the system's settings shortens the wait (a test, a system known to restart fast).
    config = getattr(settings, "NATIONAL_SYSTEMS", {}).get(system) or {}
    _breakers[system].reset_timeout = float(config.get("reset_seconds") or RESET_SECONDS)
    return _breakers[system]


def breaker_state(system: str) -> str:
    """"closed", "open" or "half-open" (pybreaker's names), as every process of the installation sees it."""
    return str(breaker(system).current_state)


def _session(system: str) -> requests.Session:
    if system not in _sessions:
        session = requests.Session()
        # Back-off 0.2 s, 0.4 s on connection errors and 502/503/504, for idempotent methods only.
        retry = Retry(total=2, connect=2, read=1, backoff_factor=0.2, status_forcelist=(502, 503, 504),
                      allowed_methods=frozenset({"GET", "PUT", "DELETE", "HEAD"}), raise_on_status=False)
        session.mount("http://", HTTPAdapter(max_retries=retry))
        session.mount("https://", HTTPAdapter(max_retries=retry))
        _sessions[system] = session
    return _sessions[system]


def reset(system: str) -> None:
    """Close the system's breaker (an administrator who knows it is back; the tests)."""
    breaker(system).close()


def configured(system: str) -> bool:
    return bool(getattr(settings, "NATIONAL_SYSTEMS", {}).get(system, {}).get("url"))


def is_open(system: str) -> bool:
    """Whether calls to the system are being refused without trying (its breaker is open)."""
    return breaker(system).current_state == pybreaker.STATE_OPEN


def call(system: str, method: str, path: str, *, json: Any = None, params: Mapping[str, str] | None = None,
         idempotency_key: str = "", timeout: float | tuple[float, float] | None = None) -> Any:
    """One request to a national system; its JSON answer. ``idempotency_key`` goes out as
    ``Idempotency-Key`` so that a POST repeated after a lost answer has effect once."""
    config = getattr(settings, "NATIONAL_SYSTEMS", {}).get(system) or {}
    if not config.get("url"):
        raise Unavailable(system, "not configured")
    headers = {"Authorization": f"Bearer {config.get('token', '')}", "Accept": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    url = config["url"].rstrip("/") + path
    timeout = timeout or config.get("timeout") or DEFAULT_TIMEOUT

    def attempt() -> requests.Response:
        try:
            response = _session(system).request(method, url, json=json, params=params, headers=headers,
                                                timeout=timeout)
        except requests.RequestException as error:
            raise _Transient(type(error).__name__) from error
        if response.status_code >= 500:
            raise _Transient(f"HTTP {response.status_code}")
        return response

    started = time.monotonic()
    segment = path.strip("/").split("/", 1)[0]
    try:
        response = breaker(system).call(attempt)
    except pybreaker.CircuitBreakerError as error:
        log.warning("national call refused by the open breaker", extra={"system": system, "segment": segment})
        raise Unavailable(system, "breaker open") from error
    except _Transient as error:
        log.warning("national call failed", extra={"system": system, "segment": segment, "reason": str(error),
                                                   "ms": round((time.monotonic() - started) * 1000)})
        raise Unavailable(system, str(error)) from error
    log.info("national call", extra={"system": system, "segment": segment, "status": response.status_code,
                                     "ms": round((time.monotonic() - started) * 1000)})
    try:
        body = response.json() if response.content else {}
    except ValueError:
        body = {}
    if response.status_code >= 400:
        code = str(body.get("code", "")) if isinstance(body, dict) else ""
        detail = str(body.get("error", "") or body.get("message", "")) if isinstance(body, dict) else ""
        raise Refused(system, response.status_code, code, detail)
    return body
