"""Time limits by kind and the end of a period: the one door for "when is this due".

A procedure's time limit (thời hạn giải quyết) has a **kind**:

* ``working_days`` — N working days (ngày làm việc), the usual case;
* ``working_hours`` — N office hours (giờ làm việc), hour-precise;
* ``calendar_days`` — N days of the calendar (ngày), e.g. judicial-record certificates;
* ``same_day`` — settled on the day of receipt, or on the next working day when the dossier is
  received after a cut-off hour (chứng thực: received after 15:00 → next working day).

The end of a period counted in days is a documented policy (``settings.EGOV_PERIOD_END``):

* ``end_of_day`` (the legal default): the first day is not counted and the period ends at the end
  of its last day; when that day is a day off it ends at the end of the next working day
  (Civil Code 2015, art. 147(1), 148(1) and 148(5)). The due moment is the closing time of the
  last working day (what the appointment slip shows), and a dossier settled any time on that day
  is on time.
* ``exact``: hour-precise appointments: N working days later at the time of day of receipt, and a
  dossier settled after that moment is late (a province may choose this).

Periods in hours are always hour-precise. A fraction of a working day is counted in office hours
(half a day = half of the day's office hours) and is therefore hour-precise too.

A moment outside office hours counts from the next opening (workdays.calendar): a dossier
received at 17:30 on Friday is received, for counting, at 07:30 on Monday, and Monday is the
day that is not counted. So is a dossier received at a desk's Saturday-morning session
(``workdays.sessions``): the desk is open, but Saturday is not a working day.

A time limit may carry an **extension** (``TimeLimit.extension``), in the unit of its kind, e.g.
the extra time a procedure grants to communes with special difficulty (decision 0017); for a
same-day limit the extension is a number of whole working days after the same-day due day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import calendar


class LimitKind(models.TextChoices):
    WORKING_DAYS = "working_days", gettext_lazy("working days")
    WORKING_HOURS = "working_hours", gettext_lazy("working hours")
    CALENDAR_DAYS = "calendar_days", gettext_lazy("calendar days")
    SAME_DAY = "same_day", gettext_lazy("same day (with a cut-off hour)")


class PeriodEnd(models.TextChoices):
    END_OF_DAY = "end_of_day", gettext_lazy("end of the last day (Civil Code art. 147–148)")
    EXACT = "exact", gettext_lazy("hour-precise appointment")


DEFAULT_CUTOFF = dt.time(15, 0)


@dataclass(frozen=True)
class TimeLimit:
    kind: str
    amount: Decimal = Decimal(0)
    cutoff: dt.time | None = None  # same-day only; None means DEFAULT_CUTOFF
    # Extra time granted on top of ``amount`` (a commune with special difficulty), same unit.
    extension: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if self.kind not in LimitKind.values:
            raise ValueError(_("unknown kind of time limit: %(kind)s") % {"kind": self.kind})
        amount = Decimal(str(self.amount))
        object.__setattr__(self, "amount", amount)
        extension = Decimal(str(self.extension or 0))
        object.__setattr__(self, "extension", extension)
        if amount < 0 or extension < 0:
            raise ValueError(_("a time limit cannot be negative"))
        if self.kind in (LimitKind.SAME_DAY, LimitKind.CALENDAR_DAYS) and extension != extension.to_integral_value():
            raise ValueError(_("this time limit can only be extended by whole days"))
        if self.kind != LimitKind.SAME_DAY and amount == 0:
            # Zero days would make every dossier due at its own receipt (always late).
            raise ValueError(_("a time limit in days or hours must be more than zero; use the same-day kind"))
        if self.kind == LimitKind.CALENDAR_DAYS and amount != amount.to_integral_value():
            raise ValueError(_("a time limit in calendar days is a whole number of days"))

    @property
    def total(self) -> Decimal:
        """The amount with its extension."""
        return self.amount + self.extension

    @property
    def hour_precise(self) -> bool:
        """Whether the due moment is a moment (hours) rather than a day."""
        if self.kind == LimitKind.WORKING_HOURS:
            return True
        return self.kind == LimitKind.WORKING_DAYS and self.total != self.total.to_integral_value()

    def extended(self, extra: Decimal) -> TimeLimit:
        """This limit with ``extra`` more time in the unit of its kind."""
        return replace(self, extension=self.extension + Decimal(str(extra)))


def period_end_policy() -> str:
    policy = getattr(settings, "EGOV_PERIOD_END", PeriodEnd.END_OF_DAY)
    if policy not in PeriodEnd.values:
        raise ValueError(f"EGOV_PERIOD_END must be one of {PeriodEnd.values}, not {policy!r}")
    return policy


def closing_of(day: dt.date) -> dt.datetime:
    """The last closing time of a working day (end of its office hours)."""
    return calendar.office_hours(day)[-1][1]


def _next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _working_day_on_or_after(day: dt.date) -> dt.date:
    return day if calendar.is_working_day(day) else _next_working_day(day)


def due(received_at: dt.datetime, limit: TimeLimit, *, policy: str | None = None) -> dt.datetime:
    """The due moment of a dossier received (complete and valid) at ``received_at``."""
    policy = policy or period_end_policy()
    start = calendar.next_working_moment(received_at)
    if limit.kind == LimitKind.WORKING_HOURS:
        return calendar.add_working_hours(start, limit.total)
    if limit.kind == LimitKind.WORKING_DAYS:
        if limit.hour_precise:
            return calendar.add_working_hours(start, limit.total * calendar.working_hours_per_day())
        days = int(limit.total)
        if policy == PeriodEnd.EXACT:
            return calendar.add_working_days(start, days)
        day = start.date()
        for _step in range(days):
            day = _next_working_day(day)
        return closing_of(day)
    if limit.kind == LimitKind.CALENDAR_DAYS:
        last = _working_day_on_or_after(start.date() + dt.timedelta(days=int(limit.total)))
        if policy == PeriodEnd.EXACT:
            moment = dt.datetime.combine(last, start.timetz())
            return calendar.next_working_moment(moment) if moment < closing_of(last) else closing_of(last)
        return closing_of(last)
    # Same day: before the cut-off, today; after it, the next working day.
    cutoff = limit.cutoff or DEFAULT_CUTOFF
    day = start.date()
    if start.time() >= cutoff:
        day = _next_working_day(day)
    for _step in range(int(limit.extension)):
        day = _next_working_day(day)
    return closing_of(day)


def classify(done_at: dt.datetime, due_at: dt.datetime, limit: TimeLimit, *, policy: str | None = None) -> str:
    """``early`` (before the due day), ``on_time`` or ``late``.

    A period in days under the end-of-day policy is met by anything done on its last day; an
    hour-precise period (hours, or the exact policy) is met only up to the due moment.
    """
    policy = policy or period_end_policy()
    done_day = calendar._day(done_at, "done_at")
    due_day = calendar._day(due_at, "due_at")
    if done_day < due_day:
        return "early"
    if limit.hour_precise or policy == PeriodEnd.EXACT:
        return "on_time" if done_at <= due_at else "late"
    return "on_time" if done_day == due_day else "late"


def amount_text(amount: Decimal) -> str:
    """3 -> "3", 0.5 -> "0,5" (Vietnamese decimal comma)."""
    return format(Decimal(amount).normalize(), "f").replace(".", ",")


def describe(limit: TimeLimit) -> str:
    """The time limit as the catalog states it (without its extension), in the active language."""
    amount = amount_text(limit.amount)
    if limit.kind == LimitKind.WORKING_DAYS:
        return _("%(amount)s working days") % {"amount": amount}
    if limit.kind == LimitKind.WORKING_HOURS:
        return _("%(amount)s working hours") % {"amount": amount}
    if limit.kind == LimitKind.CALENDAR_DAYS:
        return _("%(amount)s days") % {"amount": amount}
    cutoff = (limit.cutoff or DEFAULT_CUTOFF).strftime("%H:%M")
    return _("the same working day (received at or after %(cutoff)s: the next working day)") % {"cutoff": cutoff}


def describe_extension(limit: TimeLimit) -> str:
    """The extension alone, in the unit of the limit's kind ("2 working days"), or ""."""
    if not limit.extension:
        return ""
    amount = amount_text(limit.extension)
    if limit.kind == LimitKind.WORKING_HOURS:
        return _("%(amount)s working hours") % {"amount": amount}
    if limit.kind == LimitKind.CALENDAR_DAYS:
        return _("%(amount)s days") % {"amount": amount}
    return _("%(amount)s working days") % {"amount": amount}


def working_hours_budget(limit: TimeLimit, hours_per_day: Decimal) -> Decimal:
    """Office hours the internal process may allot to its steps (processes.services). Calendar days
    are counted as the working days they contain in an ordinary week (5 of 7), rounded down."""
    if limit.kind == LimitKind.WORKING_HOURS:
        return limit.amount
    if limit.kind == LimitKind.WORKING_DAYS:
        return limit.amount * hours_per_day
    if limit.kind == LimitKind.CALENDAR_DAYS:
        return Decimal(int(limit.amount) * 5 // 7 or 1) * hours_per_day
    return hours_per_day
