"""Reads of the working calendar for people (the calendar page); rules live in ``calendar``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .calendar import national_calendar
from .models import CalendarOverride


@dataclass(frozen=True)
class CalendarDay:
    NATIONAL = "national"
    PROVINCE = "province"

    date: dt.date
    name: str
    source: str  # NATIONAL (law and government swaps, from the holidays package) or PROVINCE
    basis: str = ""  # the province's decision, for PROVINCE days

    @property
    def source_label(self) -> str:
        return str(_("National calendar") if self.source == self.NATIONAL else _("Province decision"))


@dataclass(frozen=True)
class YearCalendar:
    year: int
    days_off: list[CalendarDay] = field(default_factory=list)  # holidays and extra days off
    working_days: list[CalendarDay] = field(default_factory=list)  # compensatory working days


def year_calendar(year: int, *, language: str | None = None) -> YearCalendar:
    """The days off and compensatory working days of ``year``, with names, for display.

    Names of national holidays are in ``language`` (default: the active language). Weekends are
    not listed; a holiday falling on a weekend is, with its observed day. A province override
    replaces the national entry of its day, as it does in ``workdays.calendar``.
    """
    national = national_calendar(year, language=language)
    days_off = {day: CalendarDay(day, name, CalendarDay.NATIONAL) for day, name in national.days_off.items()}
    swapped = str(_("Compensatory working day (national swap of working days)"))
    working = {day: CalendarDay(day, swapped, CalendarDay.NATIONAL) for day in national.working_days}
    overrides = CalendarOverride.objects.filter(date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    for override in overrides:
        entry = CalendarDay(override.date, override.name, CalendarDay.PROVINCE, override.basis)
        if override.kind == CalendarOverride.Kind.DAY_OFF:
            working.pop(override.date, None)
            days_off[override.date] = entry
        else:
            days_off.pop(override.date, None)
            working[override.date] = entry
    return YearCalendar(
        year=year,
        days_off=sorted(days_off.values(), key=lambda d: d.date),
        working_days=sorted(working.values(), key=lambda d: d.date),
    )
