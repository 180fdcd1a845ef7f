"""Limits on how often one client address may do something (ADR 0052), counted in the shared cache:
Redis in production, so that every worker process of every server adds to the same counter (egov
check refuses a cache private to each process). An IPv6 address counts by its /64 network, one
subscriber's share, as the public lookup's limit does.

The caller passes the address the audit trail believes (``audit.middleware.client_ip``): the
client's own, or X-Forwarded-For behind the province's proxy only."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Limit:
    """At most ``count`` within ``seconds`` (a fixed window that opens with the first one)."""

    name: str
    count: int
    seconds: int

    def key(self, address: str | None) -> str:
        return f"limit:{self.name}:{network(address)}"


def network(address: str | None) -> str:
    """The address that counts: IPv4 as is, IPv6 by its /64 network."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def used(limit: Limit, address: str | None) -> int:
    return int(cache.get(limit.key(address), 0))


def reached(limit: Limit, address: str | None) -> bool:
    return used(limit, address) >= limit.count


def tally(key: str, seconds: int) -> int:
    """One more in the shared counter ``key``, whose window of ``seconds`` opens with its first
    count (atomic in Redis: add then incr); the total within the window. Every counter of failures
    or requests in the platform counts through here."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window closed between add and incr
        cache.add(key, 1, seconds)
        return 1


def count(limit: Limit, address: str | None) -> int:
    """One more from this client address; the total within the limit's window."""
    return tally(limit.key(address), limit.seconds)


def spend(limit: Limit, address: str | None) -> bool:
    """Count one and say whether it is still within the limit."""
    return count(limit, address) <= limit.count


TOO_MANY = (_("Too many requests"),
            _("Too many requests came from your network in a short time. Wait a few minutes and try again."))


def refused(request: HttpRequest, limit: Limit) -> HttpResponse:
    """The portal's error page with status 429 and the window as Retry-After."""
    title, message = TOO_MANY
    body = loader.render_to_string("errors/portal.html", {"status": 429, "title": title, "message": message,
                                                           "shell": "portal"}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(limit.seconds)
    response["Cache-Control"] = "no-store"
    return response
