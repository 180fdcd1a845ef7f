"""Reads of the architecture model, for pages and the export; each asks ``architecture.policy``."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from . import policy
from .models import ArchitectureVersion, Component, Connection


def _require_read(user) -> None:
    if not policy.can_read(user):
        raise Http404


def component_for(user, pk: int) -> Component:
    _require_read(user)
    try:
        return Component.objects.select_related("owner").get(pk=pk)
    except Component.DoesNotExist:
        raise Http404 from None


def connections_of(user, component: Component) -> QuerySet[Connection]:
    _require_read(user)
    return (Connection.objects.filter(Q(source=component) | Q(target=component))
            .select_related("source", "target").order_by("status", "source__name", "target__name"))


def connection_for(user, pk: int) -> Connection:
    _require_read(user)
    try:
        return Connection.objects.select_related("source", "target").get(pk=pk)
    except Connection.DoesNotExist:
        raise Http404 from None


def versions_for(user) -> QuerySet[ArchitectureVersion]:
    _require_read(user)
    return ArchitectureVersion.objects.select_related("published_by").defer("content")


def version_for(user, number: int) -> ArchitectureVersion:
    _require_read(user)
    try:
        return ArchitectureVersion.objects.select_related("published_by").get(number=number)
    except ArchitectureVersion.DoesNotExist:
        raise Http404 from None
