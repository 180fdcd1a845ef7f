"""Deadlines of dossiers and of their steps, always from the working calendar (workdays.calendar).

* The dossier's due moment is the legal time limit in working days counted from receipt of a
  complete, valid dossier (Decree 61/2018/NĐ-CP art. 18); a fraction of a day is counted in
  working hours.
* While the dossier waits for the applicant's supplement, or is paused for a legal reason, the
  clock stops: on resumption every open deadline moves on by the working time that passed.
* The outcome: settled early (before the due day), on time (on the due day, not after the due
  moment) or late.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from processes.services import working_hours_per_day
from workdays import calendar

from .models import Outcome


def due_from(received_at: dt.datetime, days: Decimal | float | int) -> dt.datetime:
    days = Decimal(str(days))
    whole = int(days)
    due = calendar.add_working_days(received_at, whole) if whole else calendar.next_working_moment(received_at)
    fraction = days - whole
    if fraction:
        due = calendar.add_working_hours(due, fraction * working_hours_per_day())
    return due


def extend(deadline: dt.datetime | None, stopped_at: dt.datetime, resumed_at: dt.datetime) -> dt.datetime | None:
    """Move ``deadline`` on by the working time between stopping and resuming the clock."""
    if deadline is None:
        return None
    stopped_for = calendar.working_time_between(stopped_at, resumed_at)
    return calendar.add_working_hours(deadline, stopped_for) if stopped_for > dt.timedelta(0) else deadline


def classify(done_at: dt.datetime, due_at: dt.datetime) -> str:
    done_day, due_day = timezone.localdate(done_at), timezone.localdate(due_at)
    if done_day < due_day:
        return Outcome.EARLY
    return Outcome.ON_TIME if done_at <= due_at else Outcome.LATE


def remaining(due_at: dt.datetime, now: dt.datetime | None = None) -> dt.timedelta:
    """Working time left before ``due_at`` (negative when overdue)."""
    return calendar.working_time_between(now or timezone.now(), due_at)
