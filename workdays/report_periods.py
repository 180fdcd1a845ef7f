"""Periods of Vietnamese calendar days, the one door for "which days does this count": a range of
days (:class:`Days`, the e-office's statistics and search) and a reporting period (kỳ báo cáo,
:class:`Period`: a month, a quarter, a year or a range, the settlement report and the portal).

Days are Vietnamese calendar days: a period runs from local midnight (Asia/Ho_Chi_Minh, the
project's TIME_ZONE) of its first day to local midnight after its last day; the database
compares those two moments in UTC, as a half-open interval [start, end).

Unlike ``workdays.periods`` (time limits counted in working days), every calendar day counts here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Self
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    RANGE = "range", _("Date range")


def local_midnight(day: dt.date) -> dt.datetime:
    """Local midnight opening ``day``, in UTC."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE)).astimezone(dt.UTC)


def _month_days(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Days:
    """Any range of calendar days, its last day included."""

    first_day: dt.date
    last_day: dt.date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> Self:
        return cls(*_month_days(year, month))

    @property
    def start(self) -> dt.datetime:
        """Local midnight opening the first day, in UTC."""
        return local_midnight(self.first_day)

    @property
    def end(self) -> dt.datetime:
        """Local midnight closing the last day, in UTC (excluded from the period)."""
        return local_midnight(self.last_day + dt.timedelta(days=1))

    @property
    def span(self) -> str:
        """"từ ngày 01/01/2026 đến ngày 31/03/2026"."""
        return gettext("from %(first)s to %(last)s") % {"first": f"{self.first_day:%d/%m/%Y}",
                                                         "last": f"{self.last_day:%d/%m/%Y}"}

    @property
    def label(self) -> str:
        return self.span

    @property
    def slug(self) -> str:
        """For file names: 20260101-20260315."""
        return f"{self.first_day:%Y%m%d}-{self.last_day:%Y%m%d}"


@dataclass(frozen=True)
class Period(Days):
    """A reporting period (kỳ báo cáo): its kind names it ("Quý I năm 2026")."""

    kind: str = PeriodKind.RANGE

    @classmethod
    def month(cls, year: int, month: int) -> Self:
        return cls(*_month_days(year, month), kind=PeriodKind.MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Self:
        first_month = 3 * (quarter - 1) + 1
        first_day, _last = _month_days(year, first_month)
        _first, last_day = _month_days(year, first_month + 2)
        return cls(first_day, last_day, kind=PeriodKind.QUARTER)

    @classmethod
    def year(cls, year: int) -> Self:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), kind=PeriodKind.YEAR)

    @classmethod
    def days(cls, first_day: dt.date, last_day: dt.date) -> Self:
        return cls(first_day, last_day, kind=PeriodKind.RANGE)

    @property
    def name(self) -> str:
        year = self.first_day.year
        if self.kind == PeriodKind.MONTH:
            return gettext("Month %(month)d of %(year)d") % {"month": self.first_day.month, "year": year}
        if self.kind == PeriodKind.QUARTER:
            quarter = (self.first_day.month - 1) // 3 + 1
            return gettext("Quarter %(quarter)s of %(year)d") % {"quarter": ROMAN[quarter], "year": year}
        if self.kind == PeriodKind.YEAR:
            return gettext("Year %(year)d") % {"year": year}
        return gettext("Custom period")

    @property
    def label(self) -> str:
        """"Quý I năm 2026 (từ ngày 01/01/2026 đến ngày 31/03/2026)"."""
        return gettext("%(name)s (from %(first)s to %(last)s)") % {
            "name": self.name, "first": f"{self.first_day:%d/%m/%Y}", "last": f"{self.last_day:%d/%m/%Y}"}

    @property
    def slug(self) -> str:
        """For file names: 2026-01, 2026-q1, 2026, 20260101-20260315."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.first_day:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.first_day.year}-q{(self.first_day.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return str(self.first_day.year)
        return super().slug
