"""When a one-stop desk is open: office hours on working days, and, where an agency holds one, a
Saturday-morning session (a desk's own arrangement to receive and return; decision 0017).

A Saturday session changes when the desk is open, never how time limits count: Saturday stays a
day of weekly rest (Decision 188/1999/QĐ-TTg, the 40-hour week), time limits count working days
(``workdays.calendar``), so a dossier received during the session counts from the next opening,
as one received after office hours does (``workdays.periods``).

The session is held on a Saturday that is off only because of the weekly rest: not on a public
holiday or an observed or swapped day off (Tết falling on a Saturday, a province's day off), and a
Saturday made a working day (làm bù) has the full office hours instead.
"""

from __future__ import annotations

import datetime as dt

from . import calendar
from .models import CalendarOverride

SATURDAY = calendar.SATURDAY


def _province_days_off(year: int) -> frozenset[dt.date]:
    return calendar.cached(("override_days_off", year), lambda: frozenset(
        CalendarOverride.objects.filter(date__year=year, kind=CalendarOverride.Kind.DAY_OFF)
        .values_list("date", flat=True)))


def is_plain_saturday(day: dt.date) -> bool:
    """A Saturday that is off only for the weekly rest (no holiday, no province day off, not made
    a working day)."""
    day = calendar._day(day)
    if day.weekday() != SATURDAY or calendar.is_working_day(day):
        return False
    if day in calendar.national_calendar(day.year, language="vi").days_off:
        return False
    return day not in _province_days_off(day.year)


def desk_sessions(day: dt.date, *, saturday: tuple[dt.time, dt.time] | None = None) -> list[calendar.Session]:
    """The desk's opening hours of ``day`` (aware, Asia/Ho_Chi_Minh): office hours on a working
    day; the ``saturday`` session (opening, closing) on a plain Saturday; else none."""
    day = calendar._day(day)
    sessions = calendar.office_hours(day)
    if sessions or saturday is None or not all(saturday) or not is_plain_saturday(day):
        return sessions
    opening, closing = saturday
    if opening >= closing:
        return []
    tz = calendar.VN_TZ
    return [(dt.datetime.combine(day, opening, tzinfo=tz), dt.datetime.combine(day, closing, tzinfo=tz))]


def desk_open(moment: dt.datetime, *, saturday: tuple[dt.time, dt.time] | None = None) -> bool:
    """Whether the desk is open at ``moment`` (opening minute included, closing excluded)."""
    local = calendar._local(moment)
    return any(opening <= local < closing for opening, closing in desk_sessions(local.date(), saturday=saturday))


def in_saturday_session(moment: dt.datetime, *, saturday: tuple[dt.time, dt.time] | None) -> bool:
    """Whether ``moment`` falls in the desk's Saturday session (the desk is open, the clock is not)."""
    local = calendar._local(moment)
    return not calendar.is_working_day(local.date()) and desk_open(local, saturday=saturday)
