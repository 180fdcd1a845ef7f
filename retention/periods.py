"""When a record is due: the end of its retention period, in the province's days.

A record whose reference moment falls on local day ``d`` is due on ``d + period`` (the Civil Code's
way, 2015 art. 147–148: the period ends with its last day, so the record is kept through the day
before). With ``from_year_end`` the period starts at the end of the year of ``d`` (Circular
10/2022/TT-BNV counts retention "from the year the work ended"), so it is due on 1 January of year
``d.year + years + 1``. Everything is reduced to one cut-off moment: a record is due on ``today``
exactly when its reference moment is earlier than ``cutoff(policy, today)``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def last_day_kept(*, years: int, days: int, from_year_end: bool, today: dt.date) -> dt.date:
    """The latest local day of a reference moment whose record is due on ``today``."""
    earlier = today - dt.timedelta(days=days)
    if from_year_end:
        # Due on 1 January of (Y + years + 1), plus the days ⟺ Y ≤ (today − days).year − years − 1.
        return dt.date(earlier.year - years - 1, 12, 31)
    return _years_before(earlier, years)


def cutoff(policy, today: dt.date) -> dt.datetime:
    """Records whose reference moment is before this instant are due on ``today``."""
    last = last_day_kept(years=policy.years, days=policy.days, from_year_end=policy.from_year_end, today=today)
    return _midnight(last + dt.timedelta(days=1))


def due_on(policy, moment: dt.datetime) -> dt.date:
    """The day a record of ``moment`` becomes due (shown on pages and in tests)."""
    day = timezone.localdate(moment)
    if policy.from_year_end:
        return dt.date(day.year + policy.years + 1, 1, 1) + dt.timedelta(days=policy.days)
    try:
        later = day.replace(year=day.year + policy.years)
    except ValueError:
        later = day.replace(year=day.year + policy.years, day=28)
    return later + dt.timedelta(days=policy.days)
