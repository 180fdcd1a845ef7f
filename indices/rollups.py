"""The counts the indicators need, defined once, and the daily roll-ups kept of them.

Each count is a pair: the moment that places a dossier on a day, and the condition it must meet.
``raw_counts`` counts straight from the dossiers of a period; ``rebuild`` writes the same counts per
(settling agency, receiving centre, procedure, local day) into ``DailyCount``; the indices read the
roll-ups (``rolled_counts``), which agree with the raw counts exactly because both use these
definitions and the period is a range of whole local days (``workdays.report_periods``). ADR 0038.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from datastore.models import Reuse, Source, StoredItem
from dossiers.models import Channel, Dossier, DossierFile, FilePurpose, Outcome
from dossiers.states import Status
from payments.models import Payment, PaymentStatus
from workdays.report_periods import Days, local_midnight

from .models import DailyCount, MonthlyCount, RollupState

SETTLED_OUTCOMES = [Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE]
PAPER_CHANNELS = [Channel.COUNTER, Channel.POST]
ONLINE_CHANNELS = [Channel.ONLINE, Channel.API]


@dataclass(frozen=True)
class CountRule:
    moment: str  # the Dossier field whose local day the count sits on
    condition: Q


def _digitised() -> Exists:
    # Digitised: a scan the desk officer confirmed faithful to the original paper, which went into the
    # applicant's data store (datastore, ADR 0044) — a scan alone is not a digitised paper.
    return Exists(StoredItem.objects.filter(dossier=OuterRef("pk"), source=Source.DIGITISED))


def _reused() -> Exists:
    # A paper taken from the data store whose copy is still the dossier's paper, or a datum taken from a
    # national database (ADR 0044).
    return Exists(Reuse.objects.filter(dossier=OuterRef("pk")).filter(
        Q(dossier_file__isnull=True) | Q(dossier_file__replaced=False)))


def _paid_online() -> Exists:
    # Refunded later or not, the fee was paid online.
    return Exists(Payment.objects.filter(dossier=OuterRef("pk"), status__in=[PaymentStatus.PAID,
                                                                              PaymentStatus.REFUNDED]))


def _issued_result() -> Exists:
    # Issued electronically: the current result file numbered and sealed (dossiers.result_state.is_issued).
    return Exists(DossierFile.objects.filter(dossier=OuterRef("pk"), purpose=FilePurpose.RESULT, replaced=False)
                  .exclude(issue_number=""))


RECEIVED, SETTLED = "received_at", "result_ready_at"
COUNTS: dict[str, CountRule] = {
    "received": CountRule(RECEIVED, Q()),
    "received_online": CountRule(RECEIVED, Q(channel__in=ONLINE_CHANNELS)),
    "received_coded": CountRule(RECEIVED, Q(code__isnull=False) & ~Q(code="")),
    "received_paper": CountRule(RECEIVED, Q(channel__in=PAPER_CHANNELS)),
    "paper_digitised": CountRule(RECEIVED, Q(_digitised(), channel__in=PAPER_CHANNELS)),
    "payable": CountRule(RECEIVED, Q(fee_amount__gt=0)),
    "paid_online": CountRule(RECEIVED, Q(_paid_online(), fee_amount__gt=0)),
    "settled": CountRule(SETTLED, Q(outcome__in=SETTLED_OUTCOMES)),
    "settled_on_time": CountRule(SETTLED, Q(outcome__in=[Outcome.EARLY, Outcome.ON_TIME])),
    "settled_late": CountRule(SETTLED, Q(outcome=Outcome.LATE)),
    "settled_electronic": CountRule(SETTLED, Q(_issued_result(), outcome__in=SETTLED_OUTCOMES)),
    "reused_online": CountRule(RECEIVED, Q(_reused(), channel__in=ONLINE_CHANNELS)),
}
COUNT_KEYS = list(COUNTS)
ROW = Value(1)
EVERYTHING = Q()


def dossiers() -> Any:
    """Every dossier a count may read: no drafts."""
    return Dossier.objects.exclude(status=Status.DRAFT)


def behind(key: str, days: Days, where: Q = EVERYTHING) -> Any:
    """The dossiers behind one count of a period (the drill-down)."""
    rule = COUNTS[key]
    return dossiers().filter(where, rule.condition, **{f"{rule.moment}__gte": days.start,
                                                       f"{rule.moment}__lt": days.end})


def raw_counts(days: Days, where: Q = EVERYTHING) -> dict[str, int]:
    """Every count of the period straight from the dossiers, in one aggregate query."""
    in_period = {moment: Q(**{f"{moment}__gte": days.start, f"{moment}__lt": days.end})
                 for moment in (RECEIVED, SETTLED)}
    relevant = in_period[RECEIVED] | in_period[SETTLED]
    totals = dossiers().filter(where).filter(relevant).aggregate(**{
        key: Count(ROW, filter=in_period[rule.moment] & rule.condition) for key, rule in COUNTS.items()})
    return {key: totals[key] or 0 for key in COUNT_KEYS}


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def split(days: Days) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The whole calendar months inside ``days`` as (first month, last month), and the days left at the
    edges as [(first day, last day)]: a month, a quarter or a year is whole months only."""
    first_month = days.first_day if days.first_day.day == 1 else _next_month(days.first_day)
    after_last = days.last_day + dt.timedelta(days=1)
    end_month = _month_start(after_last)  # months before this one may be whole
    if first_month >= end_month:
        return None, [(days.first_day, days.last_day)]
    edges = []
    if days.first_day < first_month:
        edges.append((days.first_day, first_month - dt.timedelta(days=1)))
    if end_month <= days.last_day:
        edges.append((end_month, days.last_day))
    last_month = _month_start(end_month - dt.timedelta(days=1))
    return (first_month, last_month), edges


def _roll_up_rows(days: Days, where: Q) -> list[Any]:
    months, edges = split(days)
    parts: list[Any] = []
    if months:
        parts.append(MonthlyCount.objects.filter(where, month__gte=months[0], month__lte=months[1]))
    parts += [DailyCount.objects.filter(where, day__gte=first, day__lte=last) for first, last in edges]
    return parts


def rolled_counts(days: Days, where: Q = EVERYTHING, *, by: str | None = None) -> Any:
    """The counts of the period summed from the roll-ups (monthly for its whole months, daily for the
    rest); ``where`` uses the roll-up's fields (agency, receiving_centre, procedure). With ``by``,
    {value of that field: counts}."""
    sums = {key: Sum(key) for key in COUNT_KEYS}
    totals: dict = {}
    for rows in _roll_up_rows(days, where):
        rows = rows.order_by()
        lines = [rows.aggregate(**sums)] if by is None else list(rows.values(by).annotate(**sums))
        for line in lines:
            counts = totals.setdefault(line[by] if by else None, dict.fromkeys(COUNT_KEYS, 0))
            for key in COUNT_KEYS:
                counts[key] += line[key] or 0
    if by is None:
        return totals.get(None, dict.fromkeys(COUNT_KEYS, 0))
    return totals


def procedures_received(days: Days, where: Q = EVERYTHING) -> set[int]:
    """The procedures with a dossier received in the period (from the roll-ups)."""
    found: set[int] = set()
    for rows in _roll_up_rows(days, where):
        found |= set(rows.filter(received__gt=0).order_by().values_list("procedure_id", flat=True).distinct())
    return found


# --- Maintaining the roll-ups --------------------------------------------------------------------------

def _local_day(moment: str) -> TruncDate:
    return TruncDate(moment, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as runs of consecutive days [(first, last), …]."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _rebuild_run(first: dt.date, last: dt.date) -> None:
    """One INSERT … SELECT: the days' counts grouped in the database, never loaded into Python."""
    start, end = local_midnight(first), local_midnight(last + dt.timedelta(days=1))
    parts, params = [], []
    for moment in (RECEIVED, SETTLED):
        grouped = (dossiers().filter(**{f"{moment}__gte": start, f"{moment}__lt": end}).order_by()
                   .annotate(local_day=_local_day(moment), procedure_key=F("procedure_version__procedure_id"))
                   .values("agency_id", "receiving_centre_id", "procedure_key", "local_day")
                   .annotate(**{key: Count(ROW, filter=rule.condition) if rule.moment == moment else Value(0)
                                for key, rule in COUNTS.items()}))
        sql, part_params = grouped.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS {moment}_rows")  # noqa: S608 - the ORM's SQL, its parameters apart
        params += part_params
    counts = ", ".join(COUNT_KEYS)
    sums = ", ".join(f"SUM({key})" for key in COUNT_KEYS)
    DailyCount.objects.filter(day__gte=first, day__lte=last).delete()
    # Names from the models and COUNT_KEYS only; every value is a parameter.
    with connection.cursor() as cursor:
        # Both parts are the same query but for their moment: UNION ALL matches their columns by position.
        cursor.execute(
            f"INSERT INTO {_table(DailyCount)} (agency_id, receiving_centre_id, procedure_id, day, {counts}) "  # noqa: S608
            f"SELECT agency_id, receiving_centre_id, procedure_key, local_day, {sums} "
            f"FROM ({' UNION ALL '.join(parts)}) AS both_moments "
            f"GROUP BY agency_id, receiving_centre_id, procedure_key, local_day", params)


def _rebuild_months(months: set[dt.date]) -> None:
    """Sum the daily roll-ups of these months again, in the database."""
    counts = ", ".join(COUNT_KEYS)
    sums = ", ".join(f"SUM({key})" for key in COUNT_KEYS)
    adapt = connection.ops.adapt_datefield_value
    for month in sorted(months):
        MonthlyCount.objects.filter(month=month).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_table(MonthlyCount)} (month, agency_id, receiving_centre_id, procedure_id, {counts}) "  # noqa: S608
                f"SELECT %s, agency_id, receiving_centre_id, procedure_id, {sums} FROM {_table(DailyCount)} "
                f"WHERE day >= %s AND day < %s GROUP BY agency_id, receiving_centre_id, procedure_id",
                [adapt(month), adapt(month), adapt(_next_month(month))])


def _months(first: dt.date, last: dt.date) -> set[dt.date]:
    months, month = set(), _month_start(first)
    while month <= last:
        months.add(month)
        month = _next_month(month)
    return months


def rebuild(days: Iterable[dt.date]) -> int:
    """Count these days again from the dossiers (whole days, all agencies), then their months; the number of
    daily rows the days now have."""
    for first, last in _runs(days):
        with transaction.atomic():
            _rebuild_run(first, last)
            _rebuild_months(_months(first, last))
    return sum(DailyCount.objects.filter(day__gte=first, day__lte=last).count() for first, last in _runs(days))


def rebuild_range(first: dt.date, last: dt.date) -> int:
    """Every day from ``first`` to ``last`` in one pass over the dossiers (the management command)."""
    return rebuild([first + dt.timedelta(days=n) for n in range((last - first).days + 1)])


def _days_touched_since(since: dt.datetime) -> set[dt.date]:
    """The days on which dossiers changed since ``since`` (or their payments, their files, or their papers
    digitised into the data store) count."""
    touched: set[dt.date] = set()
    for changed in (Q(updated_at__gte=since), Q(payments__updated_at__gte=since), Q(files__uploaded_at__gte=since),
                    Q(stored_items__created_at__gte=since)):
        for moment in (RECEIVED, SETTLED):
            touched |= set(Dossier.objects.filter(changed, **{f"{moment}__isnull": False}).order_by()
                           .annotate(local_day=_local_day(moment)).values_list("local_day", flat=True).distinct())
    return touched


def refresh(*, recent_days: int | None = None) -> int:
    """The periodic refresh: the last ``recent_days`` days (INDICES_REFRESH_DAYS) and every day on which a
    dossier changed since the previous refresh counts."""
    now = timezone.now()
    recent_days = recent_days if recent_days is not None else getattr(settings, "INDICES_REFRESH_DAYS", 7)
    today = timezone.localdate(now)
    days = {today - dt.timedelta(days=n) for n in range(recent_days)}
    state = RollupState.objects.filter(name="daily").first()
    if state is not None:
        days |= _days_touched_since(state.refreshed_at)
    written = rebuild(days)
    RollupState.objects.update_or_create(name="daily", defaults={"refreshed_at": now})
    return written
