"""A range of Vietnamese calendar days, compared in UTC as [start, end) (as reports.periods does
for the settlement report, which this layer may not import)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE)).astimezone(dt.UTC)


@dataclass(frozen=True)
class Days:
    first_day: dt.date
    last_day: dt.date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> Days:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(dt.date(year, month, 1), following - dt.timedelta(days=1))

    @property
    def start(self) -> dt.datetime:
        return _local_midnight(self.first_day)

    @property
    def end(self) -> dt.datetime:
        return _local_midnight(self.last_day + dt.timedelta(days=1))

    @property
    def label(self) -> str:
        return gettext("from %(first)s to %(last)s") % {"first": f"{self.first_day:%d/%m/%Y}",
                                                         "last": f"{self.last_day:%d/%m/%Y}"}

    @property
    def slug(self) -> str:
        return f"{self.first_day:%Y%m%d}-{self.last_day:%Y%m%d}"
