"""Public reads for the portal's home page: nothing here names a person or shows one dossier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from directory.models import Agency
from dossiers.states import Status
from procedures.models import Kind, Procedure
from reports.periods import Period
from reports.queries import COUNT_KEYS, Row, settlement_counts

from .life_events import LifeEvent

POPULAR_COUNT = 6
POPULAR_WINDOW_DAYS = 90
FIGURES_SECONDS = 5 * 60  # the figures may lag the live data by at most five minutes


def _open_procedures() -> QuerySet[Procedure]:
    return (Procedure.objects.filter(active=True, current__isnull=False)
            .select_related("current", "current__field"))


def popular_procedures() -> list[Procedure]:
    """The procedures most applied for in the last 90 days (dossiers submitted, drafts left out);
    while fewer than six have any, full-online procedures fill the list in code order."""
    since = timezone.now() - dt.timedelta(days=POPULAR_WINDOW_DAYS)
    applied = Count("versions__dossiers", filter=Q(versions__dossiers__submitted_at__gte=since)
                    & ~Q(versions__dossiers__status=Status.DRAFT))
    ranked = list(_open_procedures().annotate(applied=applied).filter(applied__gt=0)
                  .order_by("-applied", "code")[:POPULAR_COUNT])
    if len(ranked) < POPULAR_COUNT:
        taken = [procedure.pk for procedure in ranked]
        ranked += list(_open_procedures().filter(current__kind=Kind.FULL).exclude(pk__in=taken)
                       .order_by("code")[:POPULAR_COUNT - len(ranked)])
    return ranked


def agencies_in_force(*, today: dt.date | None = None) -> QuerySet[Agency]:
    """Agencies in force today that settle at least one open procedure (an agency that has ended
    takes no dossier, see procedures.views.detail)."""
    return (Agency.objects.valid_on(today)
            .filter(procedures__procedure__active=True, procedures__procedure__current__isnull=False)
            .distinct().order_by("name"))


def procedures_for(event: LifeEvent) -> QuerySet[Procedure]:
    """The open procedures of a life event: those of its fields, and those it names by code."""
    return (_open_procedures().filter(Q(current__field__code__in=event.fields) | Q(code__in=event.codes))
            .order_by("code"))


@dataclass(frozen=True)
class ServiceFigures:
    """Kết quả giải quyết hồ sơ of the whole province in a month, counted as the statistics count."""

    period: Period
    received: int  # received in the month, every channel
    settled: int
    on_time_rate: Decimal | None  # early + on time, in percent of settled; None when none settled


@dataclass(frozen=True)
class _Province:
    """The reader of the province's totals: the whole province's dossiers, as the statistics of a
    provincial administrator, reduced below to sums that name nobody."""

    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = True


def service_figures(*, today: dt.date | None = None) -> ServiceFigures:
    """This month's figures, from the live data through reports.queries.settlement_counts (the
    statistics' own counting), kept in the cache for five minutes."""
    today = today or timezone.localdate()
    period = Period.month(today.year, today.month)
    key = f"portal:figures:{period.first_day.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        total = Row(key=None, code="", label="")
        for counts in settlement_counts(_Province(), period=period).values():
            for column in COUNT_KEYS:
                total.counts[column] += counts.get(column, 0)
        received = total.counts["received_online"] + total.counts["received_counter"] + total.counts["received_post"]
        figures = ServiceFigures(period=period, received=received, settled=total.counts["settled_total"],
                                 on_time_rate=total.on_time_rate)
        cache.set(key, figures, FIGURES_SECONDS)
    return figures
