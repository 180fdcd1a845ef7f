"""The national document exchange axis behind one interface (send, pending, fetch, acknowledge).

``current()`` gives the adapter configured by ``EXCHANGE_AXIS_URL``, ``EXCHANGE_SYSTEM_ID`` and
``EXCHANGE_SECRET``; the local simulator (``simulators.axis``) speaks the same protocol (decision 0033):
every request signed with HMAC-SHA256 over its method, path, time and body. Failures come in two kinds
the outbox treats differently: ``AxisUnavailable`` (try again later) and ``AxisRejected`` (never
succeeds as it is: dead letter). The secret never appears in a log, a message or a ``repr``."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
# Answers that say "not now" rather than "never": the outbox tries again.
TRANSIENT = {408, 425, 429}


class AxisUnavailable(Exception):
    """Transient: the axis did not answer or answered 5xx; try again later."""


class AxisRejected(Exception):
    """Permanent: the axis refused the package (unknown recipient, too large, bad credentials…)."""


@dataclass(frozen=True)
class Pending:
    axis_id: str
    package_id: str
    size: int
    from_system: str = ""


class Axis:
    def send(self, package_id: str, data: bytes) -> str:
        """Hand a package over; returns its id on the axis. Sending the same ``package_id`` again
        returns the same id and delivers nothing twice."""
        raise NotImplementedError

    def pending(self, limit: int = 100) -> list[Pending]:
        """Packages waiting for this system, oldest first."""
        raise NotImplementedError

    def fetch(self, axis_id: str) -> bytes:
        raise NotImplementedError

    def ack(self, axis_id: str) -> None:
        """The package is stored here: the axis stops offering it."""
        raise NotImplementedError


def signature(secret: bytes, method: str, path: str, timestamp: str, body: bytes) -> str:
    """hex HMAC-SHA256(secret, "METHOD\\nPATH\\nTIMESTAMP\\nsha256hex(body)"); PATH with its query."""
    message = f"{method}\n{path}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _reason(response: requests.Response) -> str:
    """What the axis said, in words a clerk's dead-letter list can show."""
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    error = answer.get("error") if isinstance(answer, dict) else None
    if response.status_code == 401:
        return "the axis refused this system's credentials (system id, secret or clock)"
    if error == "unknown_recipient":
        return "unknown recipient: " + ", ".join(str(code) for code in answer.get("codes", []))
    if response.status_code == 413:
        limit = answer.get("max_bytes") if isinstance(answer, dict) else None
        return f"package too large for the axis (at most {limit} bytes)" if limit else "package too large for the axis"
    if error == "not_xml":
        return f"the axis could not read the package: {answer.get('detail', 'not XML')}"
    if error == "no_recipient":
        return "the package names no recipient (To/OrganId)"
    return f"the axis refused the request ({response.status_code} {error or response.reason})"


class HttpAxis(Axis):
    def __init__(self, url: str, system_id: str, secret: str, timeout: float = DEFAULT_TIMEOUT):
        self.url = url.rstrip("/")
        self.system_id = system_id
        self._secret = secret.encode()
        self.timeout = timeout
        self._session = requests.Session()

    def __repr__(self) -> str:
        return f"HttpAxis({self.url!r}, system_id={self.system_id!r})"

    def _request(self, method: str, path: str, *, body: bytes = b"", headers: dict[str, str] | None = None,
                 params: str = "") -> requests.Response:
        url = f"{self.url}{path}" + (f"?{params}" if params else "")
        split = urlsplit(url)
        target = split.path + (f"?{split.query}" if split.query else "")
        timestamp = str(int(time.time()))
        signed = {
            "X-System-Id": self.system_id,
            "X-Timestamp": timestamp,
            "X-Signature": signature(self._secret, method, target, timestamp, body),
            **(headers or {}),
        }
        try:
            response = self._session.request(method, url, data=body or None, headers=signed, timeout=self.timeout,
                                             allow_redirects=False)
        except requests.RequestException as error:
            log.warning("exchange axis %s %s: %s", method, split.path, type(error).__name__)
            raise AxisUnavailable(f"the exchange axis at {self.url} did not answer ({type(error).__name__})") from None
        if response.status_code >= 500 or response.status_code in TRANSIENT:
            log.warning("exchange axis %s %s: %s", method, split.path, response.status_code)
            raise AxisUnavailable(f"the exchange axis answered {response.status_code}; try again later")
        if response.status_code >= 300:
            reason = _reason(response)
            log.info("exchange axis %s %s refused: %s", method, split.path, response.status_code)
            raise AxisRejected(reason)
        return response

    def send(self, package_id: str, data: bytes) -> str:
        response = self._request("POST", "/api/v1/packages", body=data, headers={
            "X-Package-Id": package_id, "Content-Type": "application/xml"})
        return str(_json(response)["id"])

    def pending(self, limit: int = 100) -> list[Pending]:
        response = self._request("GET", "/api/v1/packages/pending", params=f"limit={int(limit)}")
        return [Pending(axis_id=str(item["id"]), package_id=str(item["package_id"]), size=int(item["size"]),
                        from_system=str(item.get("from_system", "")))
                for item in _json(response)["packages"]]

    def fetch(self, axis_id: str) -> bytes:
        return self._request("GET", f"/api/v1/packages/{_safe(axis_id)}").content

    def ack(self, axis_id: str) -> None:
        self._request("POST", f"/api/v1/packages/{_safe(axis_id)}/ack")


def _json(response: requests.Response) -> dict:
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise AxisUnavailable("the exchange axis answered something that is not its JSON; try again later")
    return answer


def _safe(axis_id: str) -> str:
    """An axis id goes into a URL path: refuse anything that could change the path."""
    if not axis_id or not all(ch.isalnum() or ch == "-" for ch in axis_id):
        raise AxisRejected(f"not an axis id: {axis_id!r}")
    return axis_id


def current() -> Axis:
    """The axis this installation is registered on (settings ``EXCHANGE_AXIS_URL``,
    ``EXCHANGE_SYSTEM_ID``, ``EXCHANGE_SECRET``; the demo fills them in for its local simulator)."""
    url = getattr(settings, "EXCHANGE_AXIS_URL", "") or ""
    system_id = getattr(settings, "EXCHANGE_SYSTEM_ID", "") or ""
    secret = getattr(settings, "EXCHANGE_SECRET", "") or ""
    missing = [name for name, value in (("EXCHANGE_AXIS_URL", url), ("EXCHANGE_SYSTEM_ID", system_id),
                                        ("EXCHANGE_SECRET", secret)) if not value]
    if missing:
        raise AxisUnavailable("the exchange axis is not configured: set " + ", ".join(missing))
    return HttpAxis(url, system_id, secret, timeout=float(getattr(settings, "EXCHANGE_AXIS_TIMEOUT", DEFAULT_TIMEOUT)))
