"""Reads of the retention page, for readers ``retention.policy`` lets in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from . import periods, policy
from .models import Disposal, Kind, LegalHold, RetentionPolicy, RetentionRun

PAST: dict[str, str] = {Disposal.ARCHIVE: "archived", Disposal.ERASE: "erased", Disposal.ANONYMISE: "anonymised"}


@dataclass(frozen=True)
class PolicyRow:
    policy: RetentionPolicy
    in_force: bool
    kept_since: dt.date  # records of this day or later are kept today (from the end of its year: that year)


def _reader(user) -> None:
    if not policy.decide(user, "view"):
        raise Http404


def policies(user, today: dt.date) -> list[PolicyRow]:
    _reader(user)
    rows = []
    for item in RetentionPolicy.objects.all():
        last = periods.last_day_kept(years=item.years, days=item.days, from_year_end=item.from_year_end, today=today)
        rows.append(PolicyRow(policy=item, in_force=item.in_force(today), kept_since=last + dt.timedelta(days=1)))
    return rows


def recent_runs(user, limit: int = 20) -> QuerySet[RetentionRun]:
    _reader(user)
    return RetentionRun.objects.select_related("started_by")[:limit]


def run_for(user, pk: int) -> RetentionRun:
    _reader(user)
    found = RetentionRun.objects.select_related("started_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def active_holds(user) -> QuerySet[LegalHold]:
    _reader(user)
    return LegalHold.objects.filter(released_at__isnull=True).select_related("dossier", "person", "placed_by")


def hold_for(user, pk: int) -> LegalHold:
    _reader(user)
    found = LegalHold.objects.filter(pk=pk, released_at__isnull=True).first()
    if found is None:
        raise Http404
    return found


def lines(run: RetentionRun) -> list[dict]:
    """The report as table lines: kind (its label), due, done, held, failed, left."""
    labels = dict(Kind.choices)
    result = []
    for kind, tally in run.counts.items():
        done = sum(tally.get(word, 0) for word in PAST.values())
        action = next((str(Disposal(d).label) for d, word in PAST.items() if word in tally), "")
        result.append({"kind": labels.get(kind, kind), "due": tally.get("due", 0), "done": done, "action": action,
                       "held": tally.get("held", 0), "failed": tally.get("failed", 0), "left": tally.get("left", 0)})
    return result
