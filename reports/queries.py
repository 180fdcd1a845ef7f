"""Statistics of dossier settlement (báo cáo, thống kê tình hình giải quyết TTHC), counted by the database.

The layout is the provincial periodic report (Circular 01/2020/TT-VPCP, Biểu II.06a): one row per
settling agency, receiving service centre (Decree 118/2025: a dossier received at one centre for an
agency elsewhere counts on both sides), unit, procedure or field. Every column is a ``COUNT(*) FILTER (WHERE …)`` in
ONE aggregate query grouped by the row key; a second one counts the dossiers asked for a
supplement. Dossiers are never loaded into Python. Both queries are narrowed to the reader's
scope (``directory.scope.visible``) and leave drafts out.

With the period [start, end) (local midnights, see ``reports.periods``), a dossier counts as:

* received in the period — ``received_at`` (accepted at the one-stop desk, the legal clock
  starts) in the period: online (channel online or api), at the counter, or by public post (Decree
  118/2025/NĐ-CP channels);
* carried over — received before ``start`` and still pending at ``start``: neither settled
  (``result_ready_at``) nor ended (``finished_at``) before it;
* received, total — carried over + received in the period (as Biểu II.06a: "tổng số hồ sơ
  nhận giải quyết");
* settled — its outcome is early / on time / late and ``result_ready_at`` is in the period;
* in progress at the end — received before ``end`` and still pending at ``end``; overdue when
  ``due_at`` < ``end``, unless its legal clock stopped (supplement, pause) before the due
  moment and had not restarted by ``end``: the deadline moves on when the clock restarts;
  within time otherwise;
* supplements requested — at least one event "supplement" in the period (once per dossier);
* refused, withdrawn — ``finished_at`` in the period with that outcome (including refusals and
  withdrawals before intake, which were never received);
* on-time rate — (early + on time) / settled, in percent with one decimal; empty if none settled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Value
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from directory.models import Agency, OrgUnit, ServiceCentre
from directory.scope import Action, scope_of, visible
from dossiers.models import Channel, Dossier, DossierEvent, Outcome
from dossiers.states import Status
from procedures.models import Procedure, ProcedureField

from .periods import Period


class Grouping(models.TextChoices):
    AGENCY = "agency", _("Settling agency")
    CENTRE = "centre", _("Receiving centre")
    UNIT = "unit", _("Unit")
    PROCEDURE = "procedure", _("Procedure")
    FIELD = "field", _("Field")


# The row key of each grouping, as a path from Dossier.
KEYS = {
    Grouping.AGENCY: "agency_id",
    Grouping.CENTRE: "receiving_centre_id",
    Grouping.UNIT: "unit_id",
    Grouping.PROCEDURE: "procedure_version__procedure_id",
    Grouping.FIELD: "procedure_version__field_id",
}

TOTAL = pgettext_lazy("report column", "Total")
RECEIVED = _("Dossiers received")
SETTLED = _("Dossiers settled in the period")
IN_PROGRESS = _("In progress at the end of the period")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str | None = None  # the merged header above it, if any


COLUMNS = [
    Column("received_total", TOTAL, RECEIVED),
    Column("received_online", _("Online"), RECEIVED),
    Column("received_counter", _("At the counter"), RECEIVED),
    Column("received_post", _("By public post"), RECEIVED),
    Column("carried_over", _("Carried over from the previous period"), RECEIVED),
    Column("settled_total", TOTAL, SETTLED),
    Column("settled_early", _("Early"), SETTLED),
    Column("settled_on_time", _("On time"), SETTLED),
    Column("settled_late", _("Late"), SETTLED),
    Column("in_progress_total", TOTAL, IN_PROGRESS),
    Column("in_progress_within", _("Within time"), IN_PROGRESS),
    Column("in_progress_overdue", _("Overdue"), IN_PROGRESS),
    Column("supplements", _("Supplements requested")),
    Column("refused", _("Refused")),
    Column("withdrawn", _("Withdrawn")),
]
RATE_LABEL = _("On-time rate (%)")
COUNT_KEYS = [column.key for column in COLUMNS]


@dataclass(frozen=True)
class HeaderGroup:
    """A cell of the first header row: a group over its columns, or a column spanning both rows."""

    label: str
    columns: tuple[Column, ...]

    @property
    def span(self) -> int:
        return len(self.columns)

    @property
    def grouped(self) -> bool:
        return self.columns[0].group is not None


def header_groups() -> list[HeaderGroup]:
    groups: list[HeaderGroup] = []
    for column in COLUMNS:
        if column.group is not None and groups and groups[-1].columns[0].group == column.group:
            groups[-1] = HeaderGroup(groups[-1].label, (*groups[-1].columns, column))
        else:
            groups.append(HeaderGroup(column.group or column.label, (column,)))
    return groups


@dataclass
class Row:
    key: int | None
    code: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))

    @property
    def on_time_rate(self) -> Decimal | None:
        settled = self.counts["settled_total"]
        if not settled:
            return None
        share = Decimal(100 * (self.counts["settled_early"] + self.counts["settled_on_time"])) / settled
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def values(self) -> list[int]:
        return [self.counts[key] for key in COUNT_KEYS]


@dataclass
class Report:
    period: Period
    grouping: str
    rows: list[Row]
    total: Row

    @property
    def key_label(self) -> str:
        return str(Grouping(self.grouping).label)


# COUNT(1) rather than COUNT(id): the row itself, so that an index holding the columns the
# filters read can answer without the table (index-only scan).
ROW = Value(1)


def _pending_at(moment) -> Q:
    """Received before ``moment`` and neither settled nor ended before it."""
    return (Q(received_at__lt=moment)
            & (Q(result_ready_at__isnull=True) | Q(result_ready_at__gte=moment))
            & (Q(finished_at__isnull=True) | Q(finished_at__gte=moment)))


def _columns(start, end) -> dict[str, Count]:
    received = Q(received_at__gte=start, received_at__lt=end)
    settled = Q(result_ready_at__gte=start, result_ready_at__lt=end)
    ended = Q(finished_at__gte=start, finished_at__lt=end)
    in_progress = _pending_at(end)
    # The clock stopped before the due moment and still stopped at the end: not overdue (yet).
    clock_running = (Q(clock_stopped_at__isnull=True) | Q(clock_stopped_at__gte=end)
                     | Q(clock_stopped_at__gte=F("due_at")))
    return {
        "received_online": Count(ROW, filter=received & Q(channel__in=[Channel.ONLINE, Channel.API])),
        "received_counter": Count(ROW, filter=received & Q(channel=Channel.COUNTER)),
        "received_post": Count(ROW, filter=received & Q(channel=Channel.POST)),
        "carried_over": Count(ROW, filter=_pending_at(start)),
        "settled_early": Count(ROW, filter=settled & Q(outcome=Outcome.EARLY)),
        "settled_on_time": Count(ROW, filter=settled & Q(outcome=Outcome.ON_TIME)),
        "settled_late": Count(ROW, filter=settled & Q(outcome=Outcome.LATE)),
        "in_progress_total": Count(ROW, filter=in_progress),
        "in_progress_overdue": Count(ROW, filter=in_progress & Q(due_at__lt=end) & clock_running),
        "refused": Count(ROW, filter=ended & Q(outcome=Outcome.REFUSED)),
        "withdrawn": Count(ROW, filter=ended & Q(outcome=Outcome.WITHDRAWN)),
    }


def _relevant(start, end) -> Q:
    """Every dossier that can count in some column: submitted before the period ends and not
    ended before it starts (every moment counted above comes after submission and before the
    end). Lets the database skip what ended before the period or arrived after it."""
    return ((Q(submitted_at__lt=end) | Q(submitted_at__isnull=True))
            & (Q(finished_at__isnull=True) | Q(finished_at__gte=start)))


def report_dossiers(user, *, agency_id: int | None = None, grouping: str = Grouping.AGENCY) -> QuerySet[Dossier]:
    """The dossiers a report may count for ``user``, no drafts: settled by an agency in their scope
    and, counted by receiving centre, also those received at a centre staffed by one (Decree
    118/2025: the receiving and the settling side each see the dossier). ``agency_id`` narrows to
    one agency's side: the dossiers it settles, or (by centre) those its centres received."""
    base = Dossier.objects.exclude(status=Status.DRAFT)
    dossiers = visible(user, base, Action.VIEW)
    if grouping == Grouping.CENTRE:
        at_centres = visible(user, base, Action.VIEW, agency_field="receiving_centre__agency", unit_field=None)
        dossiers = base.filter(Q(pk__in=dossiers.values("pk")) | Q(pk__in=at_centres.values("pk")))
        return dossiers.filter(receiving_centre__agency_id=agency_id) if agency_id else dossiers
    return dossiers.filter(agency_id=agency_id) if agency_id else dossiers


def settlement_counts(user, *, period: Period, grouping: str = Grouping.AGENCY,
                      agency_id: int | None = None) -> dict[int | None, dict[str, int]]:
    """{row key: {column: count}}: two aggregate queries, whatever the number of dossiers.

    The supplements are counted apart, from the period's "supplement" events joined to their
    dossiers: inside the main query they would need a subquery per row or a hashed subplan, and
    PostgreSQL runs neither in parallel workers."""
    start, end = period.start, period.end
    key = KEYS[Grouping(grouping)]
    aggregated = (report_dossiers(user, agency_id=agency_id, grouping=grouping).filter(_relevant(start, end)).order_by()
                  .values(key).annotate(**_columns(start, end)))
    counts: dict[int | None, dict[str, int]] = {}
    for line in aggregated:
        row = counts[line.pop(key)] = dict.fromkeys(COUNT_KEYS, 0)
        row.update(line)
        row["received_total"] = (row["received_online"] + row["received_counter"] + row["received_post"]
                                 + row["carried_over"])
        row["settled_total"] = row["settled_early"] + row["settled_on_time"] + row["settled_late"]
        row["in_progress_within"] = row["in_progress_total"] - row["in_progress_overdue"]
    # A request to supplement is the event that moved the dossier into "supplement": a timeline line
    # written while it waits (a new appointment, an apology) is not another request.
    events = (DossierEvent.objects.filter(status=Status.SUPPLEMENT_REQUESTED, at__gte=start, at__lt=end)
              .exclude(dossier__status=Status.DRAFT).exclude(from_status=Status.SUPPLEMENT_REQUESTED))
    if grouping == Grouping.CENTRE:
        events = events.filter(dossier__in=report_dossiers(user, agency_id=agency_id, grouping=grouping))
    else:
        events = visible(user, events, Action.VIEW, agency_field="dossier__agency", unit_field="dossier__unit")
        if agency_id:
            events = events.filter(dossier__agency_id=agency_id)
    for line in events.order_by().values(f"dossier__{key}").annotate(n=Count("dossier_id", distinct=True)):
        counts.setdefault(line[f"dossier__{key}"], dict.fromkeys(COUNT_KEYS, 0))["supplements"] = line["n"]
    return counts


def _labels(grouping: str, keys: set) -> dict[int | None, tuple[str, str]]:
    """{key: (sort code, label)}: one small query for the names of the rows."""
    ids = keys - {None}
    if grouping == Grouping.AGENCY:
        labels = {pk: (code, name) for pk, code, name in
                  Agency.objects.filter(pk__in=ids).values_list("pk", "code", "name")}
    elif grouping == Grouping.CENTRE:
        labels = {pk: (f"{level} {name}", name) for pk, level, name in
                  ServiceCentre.objects.filter(pk__in=ids).values_list("pk", "level", "name")}
    elif grouping == Grouping.UNIT:
        labels = {pk: (f"{code} {name}", f"{name} – {abbreviation}") for pk, code, name, abbreviation in
                  OrgUnit.objects.filter(pk__in=ids).values_list("pk", "agency__code", "name",
                                                                 "agency__abbreviation")}
    elif grouping == Grouping.PROCEDURE:
        labels = {pk: (code, f"{code} – {name}" if name else code) for pk, code, name in
                  Procedure.objects.filter(pk__in=ids).values_list("pk", "code", "current__name")}
    else:
        labels = {pk: (name, name) for pk, name in ProcedureField.objects.filter(pk__in=ids).values_list("pk", "name")}
    if None in keys:
        none = gettext("At the settling agency's own desk") if grouping == Grouping.CENTRE else gettext(
            "No unit assigned")
        labels[None] = ("\uffff", none)  # sorts last
    return labels


def settlement_report(user, *, period: Period, grouping: str = Grouping.AGENCY,
                      agency_id: int | None = None) -> Report:
    counts = settlement_counts(user, period=period, grouping=grouping, agency_id=agency_id)
    labels = _labels(grouping, set(counts)) if counts else {}
    rows = []
    for key, values in counts.items():
        code, label = labels.get(key, (str(key), str(key)))
        rows.append(Row(key=key, code=code, label=label, counts=values))
    rows.sort(key=lambda row: (row.code, row.label))
    total = Row(key=None, code="", label=gettext("Grand total"))
    for row in rows:
        for column in COUNT_KEYS:
            total.counts[column] += row.counts[column]
    return Report(period=period, grouping=grouping, rows=rows, total=total)


def agencies_in_scope(user) -> QuerySet[Agency]:
    """Agencies the reader may filter the report on: those they see whole, and those of the units they see."""
    scope = scope_of(user, Action.VIEW)
    if scope.everything:
        return Agency.objects.all()
    if scope.empty:
        return Agency.objects.none()
    return Agency.objects.filter(Q(pk__in=scope.agency_ids) | Q(units__in=scope.unit_ids)).distinct()
