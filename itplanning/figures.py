"""The figures of IT planning: a project's budget by source and year, disbursement against plan,
a plan's totals, spending by agency, source and year, and the duplicate investments.

Amounts are ``Decimal`` đồng and are summed here in Python, the same way on every database
(SQLite would sum a decimal column as a float).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from .models import ZERO, BudgetLine, Disbursement, Project, Source

SOURCES = list(Source)


def rate(done: Decimal, planned: Decimal) -> Decimal | None:
    """Disbursed as a share of planned, in per cent with one decimal; None without a plan."""
    if not planned:
        return None
    return (done * 100 / planned).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Against:
    """An amount planned and the amount disbursed against it."""

    label: str
    planned: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.disbursed

    @property
    def rate(self) -> Decimal | None:
        return rate(self.disbursed, self.planned)


@dataclass
class BudgetTable:
    """Rows: sources; columns: years; each cell the amount planned."""

    years: list[int]
    rows: list[tuple[str, list[Decimal], Decimal]]  # (source label, amount per year, row total)
    year_totals: list[Decimal]
    total: Decimal


def budget_table(project: Project) -> BudgetTable:
    lines = list(project.budget_lines.all())
    years = sorted({line.year for line in lines})
    cells: dict[tuple[str, int], Decimal] = {(line.source, line.year): line.amount for line in lines}
    rows = []
    for source in SOURCES:
        amounts = [cells.get((source.value, year), ZERO) for year in years]
        if any(amounts):
            rows.append((str(source.label), amounts, sum(amounts, ZERO)))
    year_totals = [sum((cells.get((s.value, year), ZERO) for s in SOURCES), ZERO) for year in years]
    return BudgetTable(years=years, rows=rows, year_totals=year_totals, total=sum(year_totals, ZERO))


def against_plan(projects: Iterable[Project] | QuerySet) -> dict[str, list[Against] | Against]:
    """Disbursement against plan for ``projects`` together: by source, by year and in total."""
    ids = [p.pk for p in projects]
    planned = list(BudgetLine.objects.filter(project_id__in=ids).values_list("source", "year", "amount"))
    paid = list(Disbursement.objects.filter(project_id__in=ids).values_list("source", "disbursed_on", "amount"))
    by_source = {s.value: Against(str(s.label)) for s in SOURCES}
    by_year: dict[int, Against] = {}
    total = Against("")
    for source, year, amount in planned:
        by_source[source].planned += amount
        by_year.setdefault(year, Against(str(year))).planned += amount
        total.planned += amount
    for source, day, amount in paid:
        by_source[source].disbursed += amount
        by_year.setdefault(day.year, Against(str(day.year))).disbursed += amount
        total.disbursed += amount
    return {"by_source": [a for a in by_source.values() if a.planned or a.disbursed],
            "by_year": [by_year[y] for y in sorted(by_year)], "total": total}


def project_totals(projects: Iterable[Project]) -> dict[int, Against]:
    """Planned and disbursed per project (for the lists)."""
    projects = list(projects)
    totals = {p.pk: Against(p.name) for p in projects}
    for project_id, amount in BudgetLine.objects.filter(project_id__in=totals).values_list("project_id", "amount"):
        totals[project_id].planned += amount
    for project_id, amount in Disbursement.objects.filter(project_id__in=totals).values_list("project_id", "amount"):
        totals[project_id].disbursed += amount
    return totals


# --- spending by agency, source and year -----------------------------------------------------


@dataclass
class SpendingRow:
    agency: str
    source: str
    year: int
    planned: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def rate(self) -> Decimal | None:
        return rate(self.disbursed, self.planned)


@dataclass
class Spending:
    rows: list[SpendingRow] = field(default_factory=list)
    by_agency: list[Against] = field(default_factory=list)
    total: Against = field(default_factory=lambda: Against(""))


def spending(projects: QuerySet[Project], year: int | None = None) -> Spending:
    """Planned (budget lines of the year) and disbursed (payments dated in the year) for each
    responsible agency, source and year."""
    ids = list(projects.values_list("pk", flat=True))
    labels = dict(Source.choices)
    cells: dict[tuple[str, str, int], SpendingRow] = {}
    lines = BudgetLine.objects.filter(project_id__in=ids)
    payments = Disbursement.objects.filter(project_id__in=ids)
    if year is not None:
        lines, payments = lines.filter(year=year), payments.filter(disbursed_on__year=year)

    def cell(agency: str, source: str, year: int) -> SpendingRow:
        key = (agency, source, year)
        if key not in cells:
            cells[key] = SpendingRow(agency=agency, source=str(labels[source]), year=year)
        return cells[key]

    for agency, source, line_year, amount in lines.values_list("project__agency__name", "source", "year", "amount"):
        cell(agency, source, line_year).planned += amount
    for agency, source, day, amount in payments.values_list("project__agency__name", "source", "disbursed_on",
                                                            "amount"):
        cell(agency, source, day.year).disbursed += amount
    order = {str(label): index for index, (_v, label) in enumerate(Source.choices)}
    rows = sorted(cells.values(), key=lambda r: (r.agency, r.year, order[r.source]))
    agencies: dict[str, Against] = defaultdict(lambda: Against(""))
    total = Against("")
    for row in rows:
        agencies[row.agency].label = row.agency
        agencies[row.agency].planned += row.planned
        agencies[row.agency].disbursed += row.disbursed
        total.planned += row.planned
        total.disbursed += row.disbursed
    return Spending(rows=rows, by_agency=[agencies[a] for a in sorted(agencies)], total=total)


# --- duplicate investments -------------------------------------------------------------------


def overlap(a: Project, b: Project) -> bool:
    """Periods overlap when they share at least one day (both ends included)."""
    return a.starts_on <= b.ends_on and b.starts_on <= a.ends_on


def duplicates(projects: Iterable[Project]) -> list[tuple[Project, Project]]:
    """Pairs of projects of two different agencies building the same kind of system over periods
    that share at least one day (Decree 73/2019 as amended by Decree 82/2024 asks to avoid
    scattered, overlapping investment; decision 0036)."""
    by_kind: dict[int, list[Project]] = defaultdict(list)
    for project in projects:
        if project.system_kind_id is not None:
            by_kind[project.system_kind_id].append(project)
    pairs = []
    for group in by_kind.values():
        group.sort(key=lambda p: (p.starts_on, p.pk))
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                if first.agency_id != second.agency_id and overlap(first, second):
                    pairs.append((first, second))
    return pairs


def duplicates_of(project: Project, projects: Iterable[Project]) -> list[Project]:
    return [other for pair in duplicates(projects) if project in pair for other in pair if other != project]
