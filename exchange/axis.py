"""The national document exchange axis behind one interface (send, pending, fetch, acknowledge).

``current()`` gives the adapter configured by ``EXCHANGE_AXIS_URL``, ``EXCHANGE_SYSTEM_ID`` and
``EXCHANGE_SECRET``; the local simulator (``simulators.axis``) speaks the same protocol."""

from __future__ import annotations

from dataclasses import dataclass


class AxisUnavailable(Exception):
    """Transient: the axis did not answer or answered 5xx; try again later."""


class AxisRejected(Exception):
    """Permanent: the axis refused the package (unknown recipient, too large, bad credentials…)."""


@dataclass(frozen=True)
class Pending:
    axis_id: str
    package_id: str
    size: int


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


def current() -> Axis:
    raise NotImplementedError
