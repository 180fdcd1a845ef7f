"""Provisional years: the days off of a future year come from the ``holidays`` package and the
province's overrides, but the government announces that year's plan (Tết, swapped days) only months
before. Until the province enters the official notice (``CalendarYear``), a deadline that falls in
such a year is provisional and is shown as such. The current year and the past count as known."""

import datetime as dt

from django.utils import timezone

from . import calendar
from .models import CalendarYear


def provisional_years(start: dt.date, end: dt.date, *, today: dt.date | None = None) -> list[int]:
    """The years from ``start`` to ``end`` whose official calendar is not entered yet."""
    today = today or timezone.localdate()
    future = [year for year in range(max(start.year, today.year + 1), end.year + 1)]
    if not future:
        return []
    # Kept in memory with the calendar (no query per dossier of a list); saving a year invalidates it.
    confirmed = calendar.cached("confirmed_years",
                                lambda: frozenset(CalendarYear.objects.values_list("year", flat=True)))
    return [year for year in future if year not in confirmed]


def is_provisional(due_at: dt.datetime | None, *, since: dt.datetime | None = None) -> bool:
    """Whether a due moment depends on a year whose official calendar is not entered yet."""
    if due_at is None:
        return False
    end = timezone.localtime(due_at).date()
    start = timezone.localtime(since).date() if since else end
    return bool(provisional_years(start, end))
