"""Every change of the architecture model: one door each, checked by ``architecture.policy``.

Rows are audited by ``audit.registry.audited``; the acting user is passed explicitly (``None`` is
the platform itself: the demo loader or a scheduled synchronisation)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from . import discovery, policy, versions
from .models import ArchitectureVersion, Component, Connection, Status


@dataclass
class SyncResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)


def _upsert(model, key: str, values: dict, result: SyncResult, label: str):
    row = model.objects.filter(key=key).first()
    if row is None:
        row = model.objects.create(key=key, generated=True, updated_at=timezone.now(), **values)
        result.created.append(label)
        return row
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(row, name, value)
        row.updated_at = timezone.now()
        row.save()
        result.updated.append(label)
    return row


def synchronise(*, acting_user) -> SyncResult:
    """Bring the generated part of the model in line with the configuration now: create or update
    every discovered component and connection, retire the generated ones no longer discovered.
    Hand-entered rows are never touched. Names are written in the platform's language, whoever
    synchronises, so that a synchronisation in English does not show as a change."""
    policy.require_edit(acting_user)
    result = SyncResult()
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        found = discovery.discover()
        by_key: dict[str, Component] = {}
        for item in found.components:
            values = {"layer": item.layer, "kind": item.kind, "name": item.name, "group": item.group,
                      "description": item.description, "status": item.status, "owner_id": item.owner_id}
            by_key[item.key] = _upsert(Component, item.key, values, result, item.name)
        links = set()
        for link in found.connections:
            source, target = by_key.get(link.source), by_key.get(link.target)
            if source is None or target is None:
                continue
            link_values: dict[str, object] = {"source": source, "target": target, "protocol": link.protocol, "data_flow": link.data_flow,
                      "direction": link.direction, "status": link.status}
            _upsert(Connection, link.key, link_values, result, f"{source.name} → {target.name}")
            links.add(link.key)
        for model, seen in ((Connection, links), (Component, set(by_key))):
            for row in model.objects.filter(generated=True).exclude(key__in=seen).exclude(status=Status.RETIRED):
                row.status, row.updated_at = Status.RETIRED, timezone.now()
                row.save(update_fields=["status", "updated_at"])
                result.retired.append(str(row))
    return result


def publish_version(*, acting_user, note: str = "") -> ArchitectureVersion:
    """Freeze the model as it stands into the next version."""
    policy.require_edit(acting_user)
    with transaction.atomic():
        last = ArchitectureVersion.objects.select_for_update().aggregate(last=Max("number"))["last"] or 0
        return ArchitectureVersion.objects.create(
            number=last + 1, published_by=acting_user, note=note.strip()[:500], content=versions.freeze())


def save_component(*, acting_user, component: Component) -> Component:
    """Create or change a hand-entered component (generated ones belong to the synchronisation)."""
    policy.require_edit(acting_user)
    if component.generated:
        raise ValueError("A generated component is changed by synchronising, not by hand.")
    component.updated_at = timezone.now()
    component.full_clean()
    component.save()
    return component


def save_connection(*, acting_user, connection: Connection) -> Connection:
    """Create or change a hand-entered connection."""
    policy.require_edit(acting_user)
    if connection.generated:
        raise ValueError("A generated connection is changed by synchronising, not by hand.")
    connection.updated_at = timezone.now()
    connection.full_clean()
    connection.save()
    return connection
