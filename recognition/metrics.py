"""The metrics an automatic criterion may read (the registry): each computes one share, in percent,
for one agency over one year, from the platform's own data, by calling the app that owns the rule
(never a second copy of it):

- ``documents_electronic`` — incoming documents received through the inter-agency exchange /
  incoming documents received (``documents.statistics``);
- ``documents_signed`` — outgoing documents issued with a digital signature / issued
  (``documents.statistics``);
- ``dossiers_online`` — dossiers received online (portal or API) / dossiers received in the year
  (``reports.queries.settlement_counts``: online + counter + post);
- ``dossiers_on_time`` — dossiers settled early or on time / dossiers settled in the year
  (``reports.queries``, the on-time rate of the settlement report);
- ``staff_trained`` — officials holding every mandatory course / officials obliged, on the last
  day of the year or today if earlier (``training.selectors.trained_share``).

Counts are what ``reader`` may read (the apps' own scoping): the agency's leaders and
administrators, and the province's, read the whole agency. A metric without data says which data
is missing (``Value.missing``) rather than giving 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workdays.report_periods import Period


@dataclass(frozen=True)
class Value:
    percent: Decimal | None
    missing: str = ""


def _share(part: int | float, whole: int | float) -> Decimal:
    return (Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _documents(reader, agency, year: int):
    from documents.statistics import compute

    return compute(reader, agency=agency, period=Period.year(year))


def documents_electronic(reader, agency, year: int) -> Value:
    stats = _documents(reader, agency, year)
    if not stats.received:
        return Value(None, gettext("No incoming document was received in the year."))
    return Value(_share(stats.received_electronically, stats.received))


def documents_signed(reader, agency, year: int) -> Value:
    stats = _documents(reader, agency, year)
    if not stats.issued:
        return Value(None, gettext("No outgoing document was issued in the year."))
    return Value(_share(stats.issued_signed, stats.issued))


def _settlement(reader, agency, year: int) -> dict[str, int]:
    from reports.queries import settlement_counts

    counts = settlement_counts(reader, period=Period.year(year), agency_id=agency.pk)
    return counts.get(agency.pk, {})


def dossiers_online(reader, agency, year: int) -> Value:
    row = _settlement(reader, agency, year)
    received = sum(row.get(k, 0) for k in ("received_online", "received_counter", "received_post"))
    if not received:
        return Value(None, gettext("No dossier was received in the year."))
    return Value(_share(row["received_online"], received))


def dossiers_on_time(reader, agency, year: int) -> Value:
    row = _settlement(reader, agency, year)
    settled = row.get("settled_total", 0)
    if not settled:
        return Value(None, gettext("No dossier was settled in the year."))
    return Value(_share(row["settled_early"] + row["settled_on_time"], settled))


def staff_trained(reader, agency, year: int) -> Value:
    from training.selectors import staff_trained as counts

    on = min(timezone.localdate(), dt.date(year, 12, 31))
    figures = counts(agency, on=on)
    if not figures.obliged:
        return Value(None, gettext("No official of the agency is obliged to a mandatory course."))
    return Value(_share(figures.trained, figures.obliged))


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    compute: Callable[..., Value]


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("documents_electronic", _("Share of incoming documents received electronically"), documents_electronic),
    Metric("documents_signed", _("Share of outgoing documents signed digitally"), documents_signed),
    Metric("dossiers_online", _("Share of dossiers received online"), dossiers_online),
    Metric("dossiers_on_time", _("Share of dossiers settled on time"), dossiers_on_time),
    Metric("staff_trained", _("Share of staff holding the mandatory training"), staff_trained),
)}


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, str(m.label)) for m in METRICS.values()]


def compute(key: str, *, reader, agency, year: int) -> Value:
    return METRICS[key].compute(reader, agency, year)


def points_for(value: Decimal | None, *, points: Decimal, target: Decimal) -> Decimal | None:
    """``points × min(1, value / target)``, to two decimals; None without a value."""
    if value is None:
        return None
    earned = points * min(Decimal(1), Decimal(value) / Decimal(target))
    return earned.quantize(Decimal("0.01"), ROUND_HALF_UP)
