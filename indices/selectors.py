"""Reads of the Decision 766 indices: :func:`scores` for one scope and period, :func:`ranking` of every
scope of a kind. Both answer from the daily roll-ups (``indices.rollups``), never from the dossiers, and
read no permission: the caller decides who may see which scope (``indices.policy``). ADR 0038."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from directory.models import AdministrativeUnit, Agency, ServiceCentre
from workdays.report_periods import Period

from .formulas import FORMULAS, Context, percent, points
from .models import IndexSet
from .rollups import procedures_received, rolled_counts

PROVINCE, AGENCY, COMMUNE, CENTRE = "province", "agency", "commune", "centre"
KINDS = (PROVINCE, AGENCY, COMMUNE, CENTRE)


@dataclass(frozen=True)
class Scope:
    """Whose indices: the province, a settling agency, a commune (the agencies of the administrative
    unit: its People's Committee) or a service centre (the dossiers it received)."""

    kind: str
    id: int | None = None  # none for the province

    def __post_init__(self):
        if self.kind not in KINDS or (self.kind != PROVINCE and not self.id):
            raise ValueError(f"bad scope {self.kind}:{self.id}")

    @property
    def key(self) -> str:
        return self.kind if self.kind == PROVINCE else f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> Scope:
        kind, _sep, ident = text.partition(":")
        return cls(kind, int(ident) if ident else None)

    def where(self) -> Q:
        """The scope's dossiers, or roll-up rows (both have agency and receiving_centre)."""
        if self.kind == AGENCY:
            return Q(agency_id=self.id)
        if self.kind == COMMUNE:
            return Q(agency__administrative_unit_id=self.id)
        if self.kind == CENTRE:
            return Q(receiving_centre_id=self.id)
        return Q()

    def agency_ids(self) -> list[int] | None:
        """The agencies whose ratings and complaints count for the scope (None: all)."""
        if self.kind == AGENCY:
            return [self.id or 0]
        if self.kind == COMMUNE:
            return list(Agency.objects.filter(administrative_unit_id=self.id).values_list("pk", flat=True))
        if self.kind == CENTRE:
            return list(ServiceCentre.objects.filter(pk=self.id or 0).values_list("agency_id", flat=True))
        return None

    def name(self) -> str:
        if self.kind == PROVINCE:
            from directory.selectors import province_name

            return province_name()
        model: Any = {AGENCY: Agency, COMMUNE: AdministrativeUnit, CENTRE: ServiceCentre}[self.kind]
        return model.objects.filter(pk=self.id or 0).values_list("name", flat=True).first() or ""


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    name: str
    value: Decimal | None  # percent, one decimal
    points: Decimal | None
    max: Decimal
    missing: str | None
    numerator: int | None = None
    denominator: int | None = None
    drill: tuple[str, str] | None = None


@dataclass(frozen=True)
class GroupScore:
    code: int
    name: str
    points: Decimal  # of the indicators that have data
    max_points: Decimal
    indicators: list[IndicatorScore]

    @property
    def complete(self) -> bool:
        return all(indicator.missing is None for indicator in self.indicators)


def index_set_for(period: Period) -> IndexSet | None:
    """The rules in force on the period's last day."""
    return (IndexSet.objects.filter(valid_from__lte=period.last_day).order_by("-valid_from")
            .prefetch_related("groups__indicators").first())


def _evaluate(index_set: IndexSet, context: Context) -> list[GroupScore]:
    groups = []
    for group in index_set.groups.all():
        indicators = []
        for indicator in group.indicators.all():
            measure = FORMULAS[indicator.formula](context, indicator.parameters)
            indicators.append(IndicatorScore(
                code=indicator.code, name=indicator.name, value=percent(measure),
                points=points(measure, indicator.max_points, indicator.parameters), max=indicator.max_points,
                missing=measure.missing, numerator=measure.numerator, denominator=measure.denominator,
                drill=measure.drill))
        earned = sum((item.points for item in indicators if item.points is not None), Decimal(0))
        groups.append(GroupScore(code=group.code, name=group.name, points=earned, max_points=group.max_points,
                                 indicators=indicators))
    return groups


def scores(scope: Scope, period: Period) -> list[GroupScore]:
    """The six groups with their indicators for ``scope`` in ``period``, from the roll-ups."""
    index_set = index_set_for(period)
    if index_set is None:
        return []
    where = scope.where()
    context = Context(counts=rolled_counts(period, where), procedure_ids=procedures_received(period, where),
                      agency_ids=scope.agency_ids(), first_day=period.first_day, last_day=period.last_day)
    return _evaluate(index_set, context)


@dataclass(frozen=True)
class Ranked:
    scope: Scope
    name: str
    points: Decimal
    max_points: Decimal
    groups: list[GroupScore]


def _members(kind: str, period: Period) -> list:
    """The scopes of ``kind`` that have roll-ups in the period."""
    if kind == AGENCY:
        return list(rolled_counts(period, by="agency_id"))
    if kind == CENTRE:
        return [pk for pk in rolled_counts(period, by="receiving_centre_id") if pk is not None]
    if kind == COMMUNE:
        return list(rolled_counts(period, Q(agency__administrative_unit__level=AdministrativeUnit.Level.COMMUNE),
                                  by="agency__administrative_unit_id"))
    return []


def ranking(kind: str, period: Period) -> list[Ranked]:
    """Every scope of ``kind`` (agency, commune, centre) with data in the period, best first."""
    index_set = index_set_for(period)
    if index_set is None or kind not in (AGENCY, COMMUNE, CENTRE):
        return []
    ranked = []
    for member in _members(kind, period):
        scope = Scope(kind, member)
        groups = scores(scope, period)
        ranked.append(Ranked(scope=scope, name=scope.name(), points=sum((g.points for g in groups), Decimal(0)),
                             max_points=sum((g.max_points for g in groups), Decimal(0)), groups=groups))
    ranked.sort(key=lambda item: (-item.points, item.name))
    return ranked
