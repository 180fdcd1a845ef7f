"""Diagrams of the model drawn by Graphviz (``dot`` from Debian's ``graphviz`` package).

We write the DOT source ourselves from the frozen model (``architecture.versions.freeze``), every
label escaped as a DOT string; ``dot`` renders SVG, which we check before it is shown inline on a
page or embedded in the PDF: no script, no foreign object, no event handler, no outside link."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable

from .models import FlowDirection, Layer

FONT = "Liberation Serif"
ROW = 6  # components per row of a layer
LAYER_COLOURS = {
    Layer.BUSINESS: "#fdf2e0", Layer.DATA: "#e6f0fa", Layer.APPLICATION: "#eaf5ea",
    Layer.TECHNOLOGY: "#f1f1f1", Layer.SECURITY: "#fbe9e9",
}


class DiagramError(RuntimeError):
    pass


def quote(text: object) -> str:
    """``text`` as a DOT double-quoted string: backslashes first (DOT reads ``\\N``, ``\\G``… as
    escapes), then quotes; line breaks become DOT's centred line break."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def _node_id(key: str, ids: dict[str, str]) -> str:
    return ids.setdefault(key, f"n{len(ids)}")


def source(content: dict, *, keys: set[str] | None = None, link: Callable[[dict], str] | None = None,
           edge_labels: bool = False, include_retired: bool = False) -> str:
    """The DOT source: one cluster per layer, a node per component, an edge per connection.
    ``keys`` limits the drawing to those components (and the connections between them)."""
    components = {key: item for key, item in content.get("components", {}).items()
                  if (include_retired or item["status"] != "retired") and (keys is None or key in keys)}
    ids: dict[str, str] = {}
    font = quote(FONT)
    lines = ["digraph architecture {",
             f"  graph [rankdir=TB, compound=true, fontname={font}, fontsize=12, nodesep=0.25, "
             "ranksep=0.6];",
             f'  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname={font}, fontsize=10];',
             f'  edge [fontname={font}, fontsize=8, color="#555555"];']
    previous: str | None = None
    for number, layer in enumerate(Layer):
        members = sorted(((key, item) for key, item in components.items() if item["layer"] == layer.value),
                         key=lambda pair: (pair[1]["group"], pair[1]["name"]))
        if not members:
            continue
        lines.append(f"  subgraph cluster_{number} {{")
        lines.append(f"    label={quote(layer.label)}; style=filled; color=\"#999999\"; "
                     f"fillcolor=\"{LAYER_COLOURS[layer]}\";")
        for key, item in members:
            attributes = [f"label={quote(item['name'])}"]
            if item["status"] == "planned":
                attributes.append('style="rounded,dashed"')
            if link is not None:
                attributes += [f"URL={quote(link(item))}", f"tooltip={quote(item['name'])}"]
            lines.append(f"    {_node_id(key, ids)} [{', '.join(attributes)}];")
        # Rows of ROW nodes (invisible edges), the layers stacked top to bottom in the framework's order.
        names = [ids[key] for key, _item in members]
        lines += [f"    {names[i]} -> {names[i + ROW]} [style=invis];" for i in range(len(names) - ROW)]
        if previous is not None:
            lines.append(f"    {previous} -> {names[0]} [style=invis];")
        previous = names[(len(names) - 1) // ROW * ROW]
        lines.append("  }")
    for item in content.get("connections", {}).values():
        if item["source"] not in components or item["target"] not in components:
            continue
        if not include_retired and item["status"] == "retired":
            continue
        attributes = ["constraint=false"]
        if item["direction"] == FlowDirection.TWO_WAY:
            attributes.append("dir=both")
        if item["status"] == "planned":
            attributes.append("style=dashed")
        if edge_labels and item["protocol"]:
            attributes.append(f"label={quote(item['protocol'])}")
        lines.append(f"  {ids[item['source']]} -> {ids[item['target']]} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_available() -> bool:
    return shutil.which("dot") is not None


SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_FORBIDDEN = {"script", "foreignObject", "iframe", "object", "embed"}


def svg(dot_source: str, *, timeout: float = 60) -> str:
    """Render ``dot_source`` as SVG and return it ready to be placed inside HTML."""
    dot = shutil.which("dot")
    if dot is None:
        raise DiagramError("Graphviz (dot) is not installed")
    completed = subprocess.run([dot, "-Tsvg"], input=dot_source.encode(), capture_output=True, timeout=timeout,
                               check=False)
    if completed.returncode != 0:
        raise DiagramError(completed.stderr.decode(errors="replace")[:500])
    text = completed.stdout.decode()
    # Only the <svg> element: no XML declaration, doctype or comments.
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    start = text.find("<svg")
    if start < 0:
        raise DiagramError("dot gave no SVG")
    text = text[start:].strip()
    _check(text)
    return text


def _check(text: str) -> None:
    root = ET.fromstring(text)  # noqa: S314 - dot's output from DOT we wrote: no entities, no DTD
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in _FORBIDDEN:
            raise DiagramError(f"unexpected <{name}> in the diagram")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise DiagramError("unexpected event handler in the diagram")
            if local == "href" and not value.startswith("/"):
                raise DiagramError("unexpected outside link in the diagram")
