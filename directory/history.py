"""The directory through time: what was in force on a day, and what became of a row that ended.

Agencies and administrative units are never edited into something else: a row that ends keeps its
dates and names its successors (``successors``; a merger names one, a split several). Reading the
chain tells, for a record of 2024, who holds it today: Bắc Kạn's Sở Kế hoạch và Đầu tư (until
28 February 2025) → Bắc Kạn's Sở Tài chính (1 March 2025) → Thái Nguyên's Sở Tài chính (1 July 2025).
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.utils import timezone

from .models import AdministrativeUnit, Agency

Row = TypeVar("Row", Agency, AdministrativeUnit)


def successors_in_force(row: Row, day: dt.date | None = None) -> list[Row]:
    """The rows in force on ``day`` that took ``row`` over, following the chain of successors
    through rows that had themselves ended by then; ``[row]`` while it is still in force; ``[]``
    for a day before it began, or when its line ended without successor (a district in 2025)."""
    day = day or timezone.localdate()
    if row.is_valid_on(day):
        return [row]
    if row.valid_from is not None and day < row.valid_from:
        return []
    found: dict[int, Row] = {}
    seen, frontier = {row.pk}, [row]
    while frontier:
        following = []
        for current in frontier:
            for successor in current.successors.all():
                if successor.pk in seen:
                    continue
                seen.add(successor.pk)
                if successor.is_valid_on(day):
                    found[successor.pk] = successor
                elif successor.valid_to is not None and successor.valid_to < day:
                    following.append(successor)
        frontier = following
    return sorted(found.values(), key=lambda r: r.code)


def predecessors_of(row: Row) -> list[Row]:
    """Every row that ended into ``row``, directly or through other rows, the most recent first."""
    found: dict[int, Row] = {}
    frontier = [row]
    while frontier:
        following = []
        for current in frontier:
            for predecessor in current.predecessors.all():
                if predecessor.pk not in found and predecessor.pk != row.pk:
                    found[predecessor.pk] = predecessor
                    following.append(predecessor)
        frontier = following
    return sorted(found.values(), key=lambda r: (r.valid_to or dt.date.max, r.code), reverse=True)
