"""Versions as plain data: the model frozen as JSON (:func:`freeze`) and the difference between
two frozen models (:func:`compare`): what was added, removed and changed, by stable key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import Component, Connection, FlowDirection, Kind, Layer, Status

COMPONENT_FIELDS = ("name", "layer", "kind", "group", "owner", "status", "description", "generated")
CONNECTION_FIELDS = ("source", "target", "protocol", "data_flow", "direction", "status", "generated")


def freeze() -> dict[str, Any]:
    """The whole model now: ``{"components": {key: {...}}, "connections": {key: {...}}}``."""
    components = {}
    for component in Component.objects.select_related("owner").order_by("id"):
        components[component.snapshot_key] = {
            "id": component.pk, "name": component.name, "layer": component.layer, "kind": component.kind,
            "group": component.group, "owner": component.owner.name if component.owner else "",
            "status": component.status, "description": component.description, "generated": component.generated}
    connections = {}
    for connection in Connection.objects.select_related("source", "target").order_by("id"):
        connections[connection.snapshot_key] = {
            "id": connection.pk, "source": connection.source.snapshot_key, "target": connection.target.snapshot_key,
            "source_name": connection.source.name, "target_name": connection.target.name,
            "protocol": connection.protocol, "data_flow": connection.data_flow, "direction": connection.direction,
            "status": connection.status, "generated": connection.generated}
    return {"components": components, "connections": connections}


@dataclass
class Change:
    key: str
    label: str
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, before, after)


@dataclass
class Difference:
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def label_of(kind: str, item: dict[str, Any]) -> str:
    if kind == "components":
        return str(item.get("name", ""))
    return f"{item.get('source_name', '')} → {item.get('target_name', '')}"


def _compare(kind: str, fields: tuple[str, ...], before: dict, after: dict) -> Difference:
    result = Difference()
    for key in sorted(after.keys() - before.keys(), key=lambda k: label_of(kind, after[k])):
        result.added.append(Change(key, label_of(kind, after[key])))
    for key in sorted(before.keys() - after.keys(), key=lambda k: label_of(kind, before[k])):
        result.removed.append(Change(key, label_of(kind, before[key])))
    for key in sorted(before.keys() & after.keys(), key=lambda k: label_of(kind, after[k])):
        changes = [(name, before[key].get(name), after[key].get(name)) for name in fields
                   if before[key].get(name) != after[key].get(name)]
        if changes:
            result.changed.append(Change(key, label_of(kind, after[key]), changes))
    return result


def compare(before: dict | None, after: dict | None) -> dict[str, Difference]:
    """What changed from ``before`` to ``after`` (either may be ``None``: an empty model)."""
    before, after = before or {}, after or {}
    return {
        "components": _compare("components", COMPONENT_FIELDS, before.get("components", {}),
                               after.get("components", {})),
        "connections": _compare("connections", CONNECTION_FIELDS, before.get("connections", {}),
                                after.get("connections", {})),
    }


def by_layer(content: dict, *, include_retired: bool = True) -> list[tuple[str, str, list[dict]]]:
    """``[(layer, layer label, [components sorted by subsystem and name])]`` for every layer."""
    rows = []
    for layer in Layer:
        items = [labelled(dict(item, key=key)) for key, item in content.get("components", {}).items()
                 if item["layer"] == layer.value and (include_retired or item["status"] != "retired")]
        items.sort(key=lambda item: (item["group"], item["name"]))
        rows.append((layer.value, str(layer.label), items))
    return rows


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def labelled(item: dict) -> dict:
    """``item`` with the display labels of its choices, in the reader's language."""
    item["status_label"] = _label(Status, item.get("status"))
    if "kind" in item:
        item["kind_label"] = _label(Kind, item["kind"])
    if "direction" in item:
        item["direction_label"] = _label(FlowDirection, item["direction"])
    return item


def connections(content: dict, *, include_retired: bool = True) -> list[dict]:
    rows = [labelled(dict(item, key=key)) for key, item in content.get("connections", {}).items()
            if include_retired or item["status"] != "retired"]
    return sorted(rows, key=lambda item: (item["source_name"], item["target_name"]))
