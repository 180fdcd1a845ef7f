"""The DTI total of a year from its indicator tree: a leaf scores the points the province entered
(capped at its maximum), a parent the sum of its children (capped at its own maximum), the total
the sum of the pillars. A leaf without an input scores nothing and is named as missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .models import DtiIndicator, DtiInput

ZERO = Decimal(0)


@dataclass
class Node:
    indicator: DtiIndicator
    points: Decimal = ZERO
    input: DtiInput | None = None
    children: list[Node] = field(default_factory=list)
    missing: int = 0  # leaves under it (itself included) without an input

    @property
    def max_points(self) -> Decimal:
        return self.indicator.max_points

    @property
    def share(self) -> Decimal | None:
        return (100 * self.points / self.max_points).quantize(Decimal("0.1")) if self.max_points else None


@dataclass
class Tree:
    year: int
    pillars: list[Node]

    @property
    def points(self) -> Decimal:
        return sum((pillar.points for pillar in self.pillars), ZERO)

    @property
    def max_points(self) -> Decimal:
        return sum((pillar.max_points for pillar in self.pillars), ZERO)

    @property
    def missing(self) -> int:
        return sum(pillar.missing for pillar in self.pillars)

    def walk(self) -> list[tuple[int, Node]]:
        """Every node with its depth (0 for a pillar), in the tree's order."""
        found: list[tuple[int, Node]] = []

        def visit(node: Node, depth: int) -> None:
            found.append((depth, node))
            for child in node.children:
                visit(child, depth + 1)

        for pillar in self.pillars:
            visit(pillar, 0)
        return found


def _score(node: Node) -> None:
    if not node.children:
        node.points = min(node.input.points, node.max_points) if node.input else ZERO
        node.missing = 0 if node.input else 1
        return
    for child in node.children:
        _score(child)
    node.points = min(sum((child.points for child in node.children), ZERO), node.max_points)
    node.missing = sum(child.missing for child in node.children)


def tree(year: int) -> Tree:
    indicators = list(DtiIndicator.objects.filter(year=year).select_related("input"))
    nodes = {indicator.pk: Node(indicator, input=getattr(indicator, "input", None)) for indicator in indicators}
    roots = []
    for indicator in indicators:  # ordered by (order, code): children keep that order
        node = nodes[indicator.pk]
        if indicator.parent_id in nodes:
            nodes[indicator.parent_id].children.append(node)
        else:
            roots.append(node)
    for root in roots:
        _score(root)
    return Tree(year=year, pillars=roots)


def years() -> list[int]:
    return sorted(set(DtiIndicator.objects.values_list("year", flat=True)), reverse=True)
