"""What a dashboard shows, read through the reader's scope: Decision 766 scores and the dossiers
settled on time and late, both from the indices' daily roll-ups (``indices``: never a scan of the
dossiers, whatever their number), documents (``documents.statistics``), tasks (``work.selectors``),
the ranked communes, the alerts and the province's published indices."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from directory.models import AdministrativeUnit, Agency
from documents import statistics as document_statistics
from indices.rollups import rolled_counts
from work.models import UNFINISHED, TaskStatus
from work.selectors import visible_tasks
from workdays.report_periods import Period

from .models import Alert, IndexKind, PublishedScore

logger = logging.getLogger(__name__)


def _indices_function(name: str):
    """``indices.selectors.<name>``, or None while that app does not offer it."""
    try:
        from indices import selectors
    except ImportError:
        return None, None
    return getattr(selectors, name, None), getattr(selectors, "Scope", None)


def decision766(kind: str, scope_id: int | None, period: Period) -> list[Any] | None:
    """The Decision 766 group scores of a scope, or None when the indices are not available."""
    scores, scope = _indices_function("scores")
    if scores is None or scope is None:
        return None
    try:
        return list(scores(scope(kind, scope_id), period))
    except (TypeError, ValueError, AttributeError, LookupError):
        logger.exception("decision 766 scores unavailable", extra={"kind": kind})
        return None


@dataclass(frozen=True)
class Settled:
    """Dossiers settled in a period (result ready), early or on time and late: the roll-ups' counts,
    by the one rule of ``dossiers.deadlines``."""

    on_time: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> Decimal | None:
        """Percent settled early or on time, one decimal rounded half up; None when none was settled."""
        if not self.total:
            return None
        return (Decimal(100 * self.on_time) / self.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _settled(counts: dict[str, int]) -> Settled:
    return Settled(on_time=counts["settled_on_time"], late=counts["settled_late"])


def settled(period: Period, where: Q | None = None) -> Settled:
    return _settled(rolled_counts(period, where if where is not None else Q()))


def settled_by_agency(period: Period) -> dict[int, Settled]:
    """{settling agency id: its dossiers settled in the period}, agencies that settled any."""
    return {pk: _settled(counts) for pk, counts in rolled_counts(period, by="agency_id").items()}


@dataclass
class Ranked:
    name: str
    value: Decimal | None
    settled: int = 0


def commune_agencies() -> QuerySet[Agency]:
    return Agency.objects.valid_on().filter(administrative_unit__level=AdministrativeUnit.Level.COMMUNE,
                                            parent__isnull=False, administrative_unit__valid_to__isnull=True)


def is_commune(agency: Agency) -> bool:
    return agency.administrative_unit.level == AdministrativeUnit.Level.COMMUNE


def ranked_communes(period: Period) -> tuple[str, list[Ranked]]:
    """("766", ranked) from the indices when available, else ("on_time", ranked by on-time rate)."""
    ranking, _scope = _indices_function("ranking")
    if ranking is not None:
        try:
            found = [Ranked(str(getattr(item, "name", item)), getattr(item, "points", None))
                     for item in ranking("commune", period)]
            if found:  # none while no rules are in force or nothing is rolled up for the period
                return "766", found
        except (TypeError, ValueError, AttributeError, LookupError):
            logger.exception("decision 766 ranking unavailable")
    figures = settled_by_agency(period)
    rows = []
    for agency in commune_agencies():
        done = figures.get(agency.pk, Settled())
        rows.append(Ranked(agency.name, done.on_time_rate, done.total))
    rows.sort(key=lambda r: (r.value is None, -(r.value or 0), r.name))
    return "on_time", rows


@dataclass
class Tasks:
    open: int = 0
    overdue: int = 0
    done_on_time: int = 0
    done_late: int = 0


def tasks_of(user, agency_ids: set[int] | None, period: Period, today: dt.date) -> Tasks:
    tasks = visible_tasks(user).filter(parent__isnull=True)
    if agency_ids is not None:
        tasks = tasks.filter(agency_id__in=agency_ids)
    figures = Tasks()
    for status, due_on, completed_at in tasks.values_list("status", "due_on", "completed_at"):
        if status in UNFINISHED:
            figures.open += 1
            figures.overdue += due_on < today
        elif status == TaskStatus.DONE and completed_at and period.start <= completed_at < period.end:
            if timezone.localdate(completed_at) > due_on:
                figures.done_late += 1
            else:
                figures.done_on_time += 1
    return figures


@dataclass
class Dashboard:
    kind: str  # "province", "agency", "commune"
    agency: Agency
    period: Period
    groups: list[Any] | None
    settled: Settled
    documents: document_statistics.Statistics
    tasks: Tasks
    alerts: list[Alert]
    ranking_basis: str = ""
    ranking: list[Ranked] = field(default_factory=list)
    indices: list[PublishedScore] = field(default_factory=list)


def latest_scores() -> list[PublishedScore]:
    """Each index's latest published score."""
    latest: dict[str, PublishedScore] = {}
    for score in PublishedScore.objects.order_by("kind", "year"):
        latest[score.kind] = score
    return [latest[kind] for kind in IndexKind.values if kind in latest]


def dashboard(user, *, agency: Agency, province: bool, period: Period, today: dt.date | None = None) -> Dashboard:
    """The figures of the province's dashboard (``agency`` is the provincial People's Committee) or
    of one agency's; the caller has asked ``dashboards.policy``."""
    today = today or timezone.localdate()
    alerts = Alert.objects.select_related("rule", "agency", "official")
    if not province:
        alerts = alerts.filter(agency=agency)
    kind = "province" if province else ("commune" if is_commune(agency) else "agency")
    # A commune's figures are its administrative unit's (every agency of the commune), an agency's its own.
    scope_id = None if province else (agency.administrative_unit_id if kind == "commune" else agency.pk)
    where = Q() if province else (Q(agency__administrative_unit_id=scope_id) if kind == "commune"
                                  else Q(agency_id=agency.pk))
    board = Dashboard(
        kind=kind, agency=agency, period=period, groups=decision766(kind, scope_id, period) or None,
        settled=settled(period, where),
        documents=document_statistics.compute(user, agency=agency, period=period, today=today),
        tasks=tasks_of(user, None if province else {agency.pk}, period, today),
        alerts=list(alerts[:20]))
    if province:
        board.ranking_basis, board.ranking = ranked_communes(period)
        board.indices = latest_scores()
    return board


@dataclass
class PlatformFigures:
    """The platform's own figures of the province for a year, beside the DTI tree they feed: the
    Decision 766 groups (None while no rules are in force) and the dossiers settled on time."""

    year: int
    groups: list[Any] | None
    settled: Settled


def platform_figures(year: int) -> PlatformFigures:
    period = Period.year(year)
    return PlatformFigures(year=year, groups=decision766("province", None, period), settled=settled(period))
