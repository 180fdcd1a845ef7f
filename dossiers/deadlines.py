"""Deadlines of dossiers and of their steps, always from the working calendar.

* The dossier's due moment comes from the procedure's time limit and its kind (working days,
  working hours, calendar days, same day with a cut-off), counted from receipt of a complete,
  valid dossier, with the province's end-of-period policy: ``workdays.periods`` is the one door.
* While the dossier waits for the applicant's supplement, or is paused for a legal reason, the
  clock stops: on resumption every open deadline moves on by the working time that passed.
* A step's due moment is hour-precise (the process allots office hours to each step).
* The outcome (early, on time, late) is fixed when the result is available to the applicant:
  at issuance for a result issued electronically, else when the result is approved (decision
  0011); ``workdays.periods.classify`` applies the end-of-period policy.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from workdays import calendar, periods

from .models import Outcome


def due_for(received_at: dt.datetime, limit: periods.TimeLimit) -> dt.datetime:
    """The dossier's due moment for a procedure's time limit."""
    return periods.due(received_at, limit)


def step_start(at: dt.datetime) -> dt.datetime:
    """When a step handed over at ``at`` starts counting: at once in office hours, else at the next opening."""
    return calendar.next_working_moment(at)


def extend(deadline: dt.datetime | None, stopped_at: dt.datetime, resumed_at: dt.datetime,
           limit: periods.TimeLimit | None = None) -> dt.datetime | None:
    """Move ``deadline`` on by the working time between stopping and resuming the clock. For a
    dossier's period in days under the end-of-day policy (``limit`` given), the moved period ends
    at the close of the day it reaches (Civil Code art. 148): a partial day stopped is a day."""
    if deadline is None:
        return None
    stopped_for = calendar.working_time_between(stopped_at, resumed_at)
    if stopped_for <= dt.timedelta(0):
        return deadline
    moved = calendar.add_working_hours(deadline, stopped_for)
    if limit is not None and not limit.hour_precise and periods.period_end_policy() == periods.PeriodEnd.END_OF_DAY:
        return periods.closing_of(moved.date())
    return moved


def outcome(done_at: dt.datetime, due_at: dt.datetime, limit: periods.TimeLimit) -> str:
    """The dossier's outcome when its result becomes available to the applicant."""
    return {"early": Outcome.EARLY, "on_time": Outcome.ON_TIME, "late": Outcome.LATE}[
        periods.classify(done_at, due_at, limit)]


def classify(done_at: dt.datetime, due_at: dt.datetime) -> str:
    """A step's timeliness: steps are hour-precise (early means before the due day)."""
    done_day, due_day = timezone.localdate(done_at), timezone.localdate(due_at)
    if done_day < due_day:
        return Outcome.EARLY
    return Outcome.ON_TIME if done_at <= due_at else Outcome.LATE


def remaining(due_at: dt.datetime, now: dt.datetime | None = None) -> dt.timedelta:
    """Working time left before ``due_at`` (negative when overdue)."""
    return calendar.working_time_between(now or timezone.now(), due_at)


def intake_due(submitted_at: dt.datetime, agency) -> dt.datetime:
    """By when the desk of ``agency`` takes in a dossier submitted online at ``submitted_at``: its
    own intake time limit in working hours, else ``settings.EGOV_INTAKE_HOURS`` (decision 0013)."""
    hours = agency.intake_hours if agency.intake_hours is not None else Decimal(str(settings.EGOV_INTAKE_HOURS))
    return calendar.add_working_hours(submitted_at, hours)
