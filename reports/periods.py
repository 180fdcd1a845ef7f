"""Reporting periods (kỳ báo cáo): a month, a quarter, a year or any range of calendar days.

Days are Vietnamese calendar days: a period runs from local midnight (Asia/Ho_Chi_Minh, the
project's TIME_ZONE) of its first day to local midnight after its last day; the database
compares those two moments in UTC, as a half-open interval [start, end).
"""

import calendar
import datetime as dt
from dataclasses import dataclass
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


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE)).astimezone(dt.UTC)


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: dt.date
    last_day: dt.date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(PeriodKind.MONTH, dt.date(year, month, 1),
                   dt.date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first_month = 3 * (quarter - 1) + 1
        last_month = first_month + 2
        return cls(PeriodKind.QUARTER, dt.date(year, first_month, 1),
                   dt.date(year, last_month, calendar.monthrange(year, last_month)[1]))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def days(cls, first_day: dt.date, last_day: dt.date) -> "Period":
        return cls(PeriodKind.RANGE, first_day, last_day)

    @property
    def start(self) -> dt.datetime:
        """Local midnight opening the first day, in UTC."""
        return _local_midnight(self.first_day)

    @property
    def end(self) -> dt.datetime:
        """Local midnight closing the last day, in UTC (excluded from the period)."""
        return _local_midnight(self.last_day + dt.timedelta(days=1))

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
        return f"{self.first_day:%Y%m%d}-{self.last_day:%Y%m%d}"
