"""Lịch làm việc: the one service that says which days and hours are working time.

Every deadline of the platform (time limits for settling a dossier, replies, reminders) is
counted in working days or working hours with this module; nothing else decides it.

The rules
---------
* **Weekly rest.** State agencies work a 40-hour week, Monday to Friday; Saturday and
  Sunday are days off (Decision 188/1999/QĐ-TTg on the 40-hour working week). When a public
  holiday falls on a weekly rest day, the next working day is taken off instead (nghỉ bù,
  Labour Code 2019 art. 111(3)).
* **Public holidays** (ngày nghỉ lễ, tết), Labour Code 2019 (Law 45/2019/QH14) art. 112(1):
  1 January (Tết Dương lịch); Tết Âm lịch, five days; Hùng Kings' day, the 10th day of the
  3rd lunar month; 30 April; 1 May; 2 September and one adjacent day (1 or 3 September).
  The Prime Minister fixes each year which days of Tết and which day beside 2 September
  (art. 112(3)). From 2026, 24 November, Vietnam Culture Day (Ngày Văn hóa Việt Nam), is also
  a day off, as the ``holidays`` package records.
* **Swapped days** (hoán đổi ngày làm việc): each year the government moves working days
  around holidays so that the days off are contiguous; a Saturday then becomes a working day
  (ngày làm bù) and a weekday a day off.
* **The province's decisions** (``CalendarOverride``) are the final word on the days they name:
  a *day off* override makes any day off; a *working day* override makes any day working,
  even a Saturday, a Sunday or a public holiday.

The national part (lunar dates, observed days, known swaps) comes from the ``holidays``
package (``holidays.Vietnam``); the province's part from the database.

Time
----
All rules apply to the calendar and clock of Vietnam (``Asia/Ho_Chi_Minh``, UTC+7, no summer
time), whatever the time zone of the datetimes given: a moment stored in UTC is converted first.
Every datetime returned is aware and in ``Asia/Ho_Chi_Minh``. Naive datetimes are refused with
``ValueError``: guessing their zone would move deadlines by seven hours.

Office hours (giờ hành chính) are the sessions of ``settings.EGOV_OFFICE_HOURS``, by default
07:30–11:30 and 13:30–17:00; a session includes its opening minute and excludes its closing
one, so a moment at 11:30 is in the lunch break.

Time-of-day convention for deadlines
------------------------------------
A moment received outside office hours (at night, during the lunch break, on a day off) counts
from the next opening: 17:30 on Friday counts as 07:30 on Monday, 12:00 as 13:30.
Adding *n working days* then keeps that time of day on the n-th following working day:
received on Monday at 10:00, one working day later is Tuesday at 10:00; received on Friday at
17:30, one working day later is Tuesday at 07:30. Adding *working hours* counts office time
only and may end exactly at a closing time (17:00), which is when the time runs out.

Performance
-----------
These functions run in hot loops (deadlines of every dossier of a list), so the set of days off
of a year is computed once per process and kept in memory: the package is asked once per year,
the database once per year. Saving or deleting a ``CalendarOverride`` forgets the cached years
(signals, see ``workdays.models``) in this process at once and again after the transaction
commits; until then the thread that made the change reads its year uncached, so that a rollback
leaves nothing wrong behind. Other processes (web workers, Celery workers) learn of the change
through a token in Django's cache, which they check at most every ``RECHECK_SECONDS``.
Bulk ``QuerySet.update()`` sends no signal: call :func:`invalidate_cache` after one.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import translation

from .models import CalendarOverride

logger = logging.getLogger(__name__)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SATURDAY = 5
# The years the national calendar is known for (observed days since 1995; lunar tables to 2100).
MIN_YEAR, MAX_YEAR = 1995, 2100
RECHECK_SECONDS = 30
GENERATION_KEY = "workdays:calendar-generation"
# A calendar with no working day for three years is a configuration error, not a long holiday.
_SEARCH_LIMIT_DAYS = 3 * 366
_ONE_DAY = dt.timedelta(days=1)

Session = tuple[dt.datetime, dt.datetime]
T = TypeVar("T")


# --- Office hours ---------------------------------------------------------------------------


def _clock(text: str) -> dt.time:
    return dt.datetime.strptime(text.strip(), "%H:%M").time()


@lru_cache(maxsize=8)
def _parse_sessions(spec: tuple[str, ...]) -> tuple[tuple[dt.time, dt.time], ...]:
    sessions = []
    for item in spec:
        try:
            opening, closing = (_clock(part) for part in item.split("-"))
        except ValueError as exc:
            raise ImproperlyConfigured(f"EGOV_OFFICE_HOURS: {item!r} is not like 07:30-11:30") from exc
        if opening >= closing:
            raise ImproperlyConfigured(f"EGOV_OFFICE_HOURS: {item!r} closes before it opens")
        sessions.append((opening, closing))
    if not sessions:
        raise ImproperlyConfigured("EGOV_OFFICE_HOURS names no office hours")
    sessions.sort()
    for earlier, later in zip(sessions, sessions[1:], strict=False):
        if later[0] < earlier[1]:
            raise ImproperlyConfigured("EGOV_OFFICE_HOURS: sessions overlap")
    return tuple(sessions)


def office_sessions() -> tuple[tuple[dt.time, dt.time], ...]:
    """The daily office sessions (opening, closing) of ``settings.EGOV_OFFICE_HOURS``, in order."""
    spec = settings.EGOV_OFFICE_HOURS
    if isinstance(spec, str):
        spec = spec.split(",")
    return _parse_sessions(tuple(spec))


def working_hours_per_day() -> Decimal:
    """Office hours of an ordinary working day (the sessions of EGOV_OFFICE_HOURS): 7.5 by default."""
    seconds = sum((closing.hour * 3600 + closing.minute * 60) - (opening.hour * 3600 + opening.minute * 60)
                  for opening, closing in office_sessions())
    return Decimal(seconds) / Decimal(3600)


def _sessions_on(day: dt.date) -> list[Session]:
    return [
        (dt.datetime.combine(day, opening, tzinfo=VN_TZ), dt.datetime.combine(day, closing, tzinfo=VN_TZ))
        for opening, closing in office_sessions()
    ]


# --- Arguments ------------------------------------------------------------------------------


def _local(moment: dt.datetime, name: str = "moment") -> dt.datetime:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime; got the naive {moment.isoformat()}")
    return moment.astimezone(VN_TZ)


def _day(day: dt.date, name: str = "day") -> dt.date:
    if isinstance(day, dt.datetime):  # a datetime is a date too: take its day in Vietnam
        return _local(day, name).date()
    if not isinstance(day, dt.date):
        raise TypeError(f"{name} must be a date, not {type(day).__name__}")
    return day


def _duration(hours: float | Decimal | dt.timedelta) -> dt.timedelta:
    if isinstance(hours, dt.timedelta):
        duration = hours
    elif isinstance(hours, bool):
        raise TypeError("hours must be a number of hours or a timedelta")
    elif isinstance(hours, Decimal):
        if not hours.is_finite():
            raise ValueError("hours must be finite")
        duration = dt.timedelta(microseconds=int((hours * 3_600_000_000).to_integral_value()))
    elif isinstance(hours, int | float):
        duration = dt.timedelta(hours=hours)
    else:
        raise TypeError("hours must be a number of hours or a timedelta")
    if duration < dt.timedelta(0):
        raise ValueError("hours must not be negative")
    return duration


# --- The national calendar (holidays package) -------------------------------------------------


@dataclass(frozen=True)
class NationalCalendar:
    days_off: dict[dt.date, str]  # public holidays, observed and swapped days off, with names
    working_days: frozenset[dt.date]  # weekend days the government made working (làm bù)


def _package_language(language: str | None) -> str:
    language = (language or translation.get_language() or "vi").lower()
    return "en_US" if language.startswith("en") else "vi"


def national_calendar(year: int, *, language: str | None = None) -> NationalCalendar:
    """The national days off (with names in ``language``, default the active one) and the weekend
    days made working, of ``year``, from the ``holidays`` package; province overrides not applied."""
    return _national(year, _package_language(language))


@lru_cache(maxsize=64)
def _national(year: int, language: str) -> NationalCalendar:
    # Neighbouring years too: a swap may move a working day across New Year (2015: 2 January
    # off, 27 December 2014 working), and the package files it under the year of the day off.
    source = holidays.Vietnam(years=(year - 1, year, year + 1), language=language)
    return NationalCalendar(
        days_off={day: name for day, name in sorted(source.items()) if day.year == year},
        working_days=frozenset(day for day in source.weekend_workdays if day.year == year),
    )


# --- The per-year cache of days off -----------------------------------------------------------


class _CacheState:
    epoch = 0  # bumped whenever the cached years are forgotten
    generation: str | None = None  # the last change token seen in the shared cache
    checked_at = float("-inf")  # time.monotonic() of the last look at that token


_lock = threading.Lock()
_cached: dict[object, object] = {}  # ("days_off", year) and other calendar data, see cached()
_state = _CacheState()
# Set in a thread that changed overrides inside a transaction not yet committed: that thread
# reads its own rows uncached, since a rollback would otherwise leave them in the cache.
_uncommitted = threading.local()


def _forget() -> None:
    with _lock:
        _cached.clear()
        _state.epoch += 1


def _announce() -> None:
    token = uuid.uuid4().hex
    try:
        cache.set(GENERATION_KEY, token, timeout=None)
    except Exception:  # the shared cache is down: other processes catch up when it is back
        logger.warning("workdays: could not announce a calendar change", exc_info=True)
        return
    _state.generation = token


def _committed() -> None:
    _uncommitted.pending = False
    _forget()  # again: another thread may have cached the old rows before the commit
    _announce()


def invalidate_cache() -> None:
    """Forget every cached year, here and now, and in every process once the change commits.

    Called by the ``CalendarOverride`` signals; call it yourself after a bulk update.
    """
    _forget()
    if transaction.get_connection().in_atomic_block:
        _uncommitted.pending = True
    transaction.on_commit(_committed)


def clear_cache() -> None:
    """Forget every cached year and any pending change of this thread (tests, after a rollback)."""
    _uncommitted.pending = False
    _forget()


def _check_generation() -> None:
    now = time.monotonic()
    if now - _state.checked_at < RECHECK_SECONDS:
        return
    _state.checked_at = now
    try:
        token = cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("workdays: could not check for calendar changes", exc_info=True)
        return
    if token != _state.generation:
        _forget()
        _state.generation = token


def _load_year(year: int) -> frozenset[dt.date]:
    national = _national(year, "vi")
    off = set()
    day = dt.date(year, 1, 1)
    while day.year == year:
        if day.weekday() >= SATURDAY:
            off.add(day)
        day += _ONE_DAY
    off |= national.days_off.keys()
    off -= national.working_days
    overrides = CalendarOverride.objects.filter(date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    for date, kind in overrides.values_list("date", "kind"):
        if kind == CalendarOverride.Kind.DAY_OFF:
            off.add(date)
        else:
            off.discard(date)
    return frozenset(off)


def cached(key, load: Callable[[], T]) -> T:
    """``load()``, kept in this process until the calendar changes (an override or a confirmed year
    saved here or, through the shared cache, in another process). A thread that changed the calendar
    inside a transaction not yet committed reads afresh."""
    if getattr(_uncommitted, "pending", False):
        if transaction.get_connection().in_atomic_block:
            return load()
        _uncommitted.pending = False  # the transaction ended without commit: nothing was cached
    _check_generation()
    found = _cached.get(key)
    if found is not None:
        return found  # type: ignore[return-value]
    epoch = _state.epoch
    loaded = load()
    with _lock:
        if _state.epoch == epoch:  # not invalidated while we were reading
            _cached[key] = loaded
    return loaded


def _days_off_in(year: int) -> frozenset[dt.date]:
    return cached(("days_off", year), lambda: _load_year(year))


# --- Days ---------------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day (ngày làm việc) of the province's agencies.

    Saturdays, Sundays and the public holidays of Labour Code 2019 art. 112 (with their observed
    and swapped days) are off, unless a ``CalendarOverride`` says otherwise. An aware datetime
    is taken as its day in Vietnam.
    """
    day = _day(day)
    return day not in _days_off_in(day.year)


def _working_day_after(day: dt.date) -> dt.date:
    for _step in range(_SEARCH_LIMIT_DAYS):
        day += _ONE_DAY
        if is_working_day(day):
            return day
    raise ImproperlyConfigured(f"No working day within {_SEARCH_LIMIT_DAYS} days after {day}")


def working_days_between(start_date: dt.date, end_date: dt.date) -> int:
    """The number of working days after ``start_date`` up to and including ``end_date``.

    Received on Monday and returned on Wednesday of an ordinary week: 2. The same day: 0.
    Negative when ``end_date`` is before ``start_date`` (days overdue). Aware datetimes are
    taken as their days in Vietnam.
    """
    start, end = _day(start_date, "start_date"), _day(end_date, "end_date")
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        count += is_working_day(day)
        day += _ONE_DAY
    return count


# --- Moments ------------------------------------------------------------------------------


def office_hours(day: dt.date) -> list[Session]:
    """The office sessions of ``day`` as (opening, closing) aware datetimes in Asia/Ho_Chi_Minh;
    an empty list when ``day`` is not a working day."""
    day = _day(day)
    return _sessions_on(day) if is_working_day(day) else []


def next_working_moment(moment: dt.datetime) -> dt.datetime:
    """``moment`` itself when it falls in office hours, otherwise the next opening.

    Opening minute included, closing minute excluded: 07:30 stays 07:30, 11:30 becomes 13:30,
    17:00 on Friday becomes 07:30 on the next working day. Returned in Asia/Ho_Chi_Minh.
    """
    local = _local(moment)
    for opening, closing in office_hours(local.date()):
        if local < opening:
            return opening
        if local < closing:
            return local
    return _sessions_on(_working_day_after(local.date()))[0][0]


def add_working_days(moment: dt.datetime, n: int) -> dt.datetime:
    """The deadline ``n`` working days after ``moment`` (thời hạn tính theo ngày làm việc).

    ``moment`` first moves to the next opening when it is outside office hours; the result is
    the n-th following working day at that same time of day, in Asia/Ho_Chi_Minh:

    * Monday 10:00 + 1 → Tuesday 10:00;
    * Friday 17:30 + 1 → counts from Monday 07:30 → Tuesday 07:30;
    * Monday 12:00 (lunch) + 1 → counts from Monday 13:30 → Tuesday 13:30;
    * ``n == 0`` gives that first working moment.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("n must be a whole number of working days")
    if n < 0:
        raise ValueError("n must not be negative")
    start = next_working_moment(moment)
    day = start.date()
    for _step in range(n):
        day = _working_day_after(day)
    return dt.datetime.combine(day, start.time(), tzinfo=VN_TZ)


def add_working_hours(moment: dt.datetime, hours: float | Decimal | dt.timedelta) -> dt.datetime:
    """The moment when ``hours`` of office time have passed since ``moment``.

    Only office hours of working days count: lunch breaks, nights, weekends and holidays are
    skipped. ``hours`` is a number of hours (``1.5``, ``Decimal("0.25")``) or a timedelta,
    never negative. A time that runs out exactly at a closing ends at that closing (Friday
    16:00 + 1 h → Friday 17:00), not at the next opening. Returned in Asia/Ho_Chi_Minh.
    """
    remaining = _duration(hours)
    current = next_working_moment(moment)
    while True:
        closing = next(end for start, end in _sessions_on(current.date()) if start <= current < end)
        if remaining <= closing - current:
            return current + remaining
        remaining -= closing - current
        current = next_working_moment(closing)


def working_time_between(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Office time between two moments: only office hours of working days count.

    Negative when ``end`` is before ``start`` (time overdue).
    """
    start_local, end_local = _local(start, "start"), _local(end, "end")
    if end_local < start_local:
        return -working_time_between(end_local, start_local)
    total = dt.timedelta(0)
    day = start_local.date()
    while day <= end_local.date():
        for opening, closing in office_hours(day):
            overlap = min(closing, end_local) - max(opening, start_local)
            if overlap > dt.timedelta(0):
                total += overlap
        day += _ONE_DAY
    return total
