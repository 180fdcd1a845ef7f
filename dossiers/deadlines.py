"""Deadlines of dossiers and of their steps, always from the working calendar.

* The dossier's due moment comes from the procedure's time limit and its kind (working days,
  working hours, calendar days, same day with a cut-off), counted from receipt of a complete,
  valid dossier, with the province's end-of-period policy: ``workdays.periods`` is the one door.
  :func:`limit_for` adds the extension a procedure grants to a commune with special difficulty
  (the settling agency's administrative unit; decision 0017); :func:`due_for_dossier` is the due
  moment of a dossier received at a given moment.
* A dossier received during a desk's Saturday-morning session, or after office hours, counts from
  the next opening (``workdays.sessions``, decision 0017); so does the intake time limit.
* While the dossier is paused for a legal reason the clock stops: on resumption every open deadline
  moves on by the working time that passed. While it waits for the applicant's supplement, the
  province's supplement rule applies (``EGOV_SUPPLEMENT_CLOCK``, decision 0016): by default the
  clock stops too and the time already spent counts; under ``restart`` the full time limit counts
  again from the complete dossier. :func:`supplement_refusal` says when a request to supplement
  during processing is no longer allowed (how often, how late).
* A step's due moment is hour-precise (the process allots office hours to each step).
* The outcome (early, on time, late) is fixed when the result is available to the applicant:
  at issuance for a result issued electronically, else when the result is approved (decision
  0011); ``workdays.periods.classify`` applies the end-of-period policy.
"""

import datetime as dt
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from workdays import calendar, periods, sessions

from .models import Outcome
from .states import Status

RESTART, PAUSE = "restart", "pause"


# --- the dossier's time limit -------------------------------------------------------------------

def due_for(received_at: dt.datetime, limit: periods.TimeLimit) -> dt.datetime:
    """The due moment for a time limit, counted from ``received_at``."""
    return periods.due(received_at, limit)


def extension_for(dossier) -> Decimal:
    """Extra time (in the unit of the limit's kind) the procedure grants because the settling
    agency's administrative unit is a commune with special difficulty; 0 otherwise. Whole days
    for calendar-day and same-day limits (a fraction is dropped, in the applicant's favour)."""
    version = dossier.procedure_version
    extra = version.difficulty_extension
    if not extra or extra <= 0 or not dossier.agency.administrative_unit.special_difficulty:
        return Decimal(0)
    if version.time_limit_kind in (periods.LimitKind.SAME_DAY, periods.LimitKind.CALENDAR_DAYS):
        return extra.to_integral_value(rounding=ROUND_FLOOR)
    return extra


def limit_for(dossier) -> periods.TimeLimit:
    """The time limit that applies to ``dossier``: the procedure's, with its extension if any."""
    limit = dossier.procedure_version.limit
    extra = extension_for(dossier)
    return limit.extended(extra) if extra else limit


def limit_text_for(dossier, language: str | None = None) -> str:
    """The time limit as the receipt (Mẫu 01) states it, with the extension and why; in ``language``
    (the slips' "vi") or the active one."""
    limit = limit_for(dossier)
    with translation.override(language or translation.get_language()):
        text = periods.describe(limit)
        if limit.extension:
            text += _(" (extended by %(extra)s: commune with special difficulty)") % {
                "extra": periods.describe_extension(limit)}
    return text


def counting_start(received_at: dt.datetime) -> dt.datetime:
    """When the clock starts for a dossier received at ``received_at``: at once in office hours,
    else at the next opening (after hours, at a Saturday session, on a day off)."""
    return calendar.next_working_moment(received_at)


def due_for_dossier(dossier, received_at: dt.datetime | None = None) -> dt.datetime:
    """The due moment of ``dossier`` received (complete and valid) at ``received_at`` (default: its
    ``received_at``), under its own time limit (:func:`limit_for`)."""
    return periods.due(received_at or dossier.received_at, limit_for(dossier))


def saturday_session(agency) -> tuple[dt.time, dt.time] | None:
    if agency.saturday_opens and agency.saturday_closes:
        return agency.saturday_opens, agency.saturday_closes
    return None


def desk_open(agency, moment: dt.datetime) -> bool:
    """Whether ``agency``'s one-stop desk is open at ``moment`` (office hours, or its Saturday session)."""
    return sessions.desk_open(moment, saturday=saturday_session(agency))


def received_at_saturday_session(dossier) -> bool:
    """Received while the desk held its Saturday session: accepted then, counted from the next opening."""
    return bool(dossier.received_at) and sessions.in_saturday_session(
        dossier.received_at, saturday=saturday_session(dossier.agency))


def step_start(at: dt.datetime) -> dt.datetime:
    """When a step handed over at ``at`` starts counting: at once in office hours, else at the next opening."""
    return calendar.next_working_moment(at)


# --- the stopped clock ---------------------------------------------------------------------------

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


def supplement_clock() -> str:
    """``pause`` (the legal default: the time already spent counts) or ``restart`` (decision 0016)."""
    value = getattr(settings, "EGOV_SUPPLEMENT_CLOCK", PAUSE) or PAUSE
    if value not in (PAUSE, RESTART):
        raise ImproperlyConfigured(f"EGOV_SUPPLEMENT_CLOCK must be 'pause' or 'restart', not {value!r}")
    return value


def resumed_due(dossier, *, stopped: str, stopped_at: dt.datetime, resumed_at: dt.datetime,
                due_at: dt.datetime | None = None) -> dt.datetime | None:
    """The dossier's due moment when its clock runs again at ``resumed_at`` after being stopped in
    state ``stopped`` since ``stopped_at`` (``due_at``: the due moment before, default the stored one).

    A supplement under the ``restart`` rule: the full time limit counts again from the complete
    dossier, never ending earlier than the paused period would. Otherwise (a pause, or a supplement
    under the legal default): the due moment moves on by the working time stopped."""
    due_at = dossier.due_at if due_at is None else due_at
    limit = limit_for(dossier)
    moved = extend(due_at, stopped_at, resumed_at, limit)
    if stopped == Status.SUPPLEMENT_REQUESTED and supplement_clock() == RESTART:
        restarted = periods.due(resumed_at, limit)
        return max(restarted, moved) if moved else restarted
    return moved


# --- how often and how late a supplement may be asked for ------------------------------------

def _setting_number(name: str, default: str) -> Decimal | None:
    raw = getattr(settings, name, None)
    raw = default if raw is None else str(raw).strip()
    if raw == "":
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a number or empty, not {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise ImproperlyConfigured(f"{name} must be a positive number or empty, not {raw!r}")
    return value


def supplement_max_requests() -> int | None:
    """How many requests to supplement a dossier may get while being processed (None: no limit)."""
    value = _setting_number("EGOV_SUPPLEMENT_MAX_REQUESTS", "1")
    return None if value is None else int(value)


def supplement_latest_share() -> Decimal:
    """The share of the time limit after which no supplement may be asked for: the setting, else
    all of it (the due moment) under the pause rule and half of it under the restart rule."""
    value = _setting_number("EGOV_SUPPLEMENT_LATEST_SHARE", "")
    if value is None:
        return Decimal(1) if supplement_clock() == PAUSE else Decimal("0.5")
    return min(value, Decimal(1))


def supplement_requests(dossier) -> int:
    """Requests to supplement made while the dossier was being processed (not those at intake)."""
    return dossier.events.filter(status=Status.SUPPLEMENT_REQUESTED, from_status=Status.IN_PROGRESS).count()


def share_used(dossier, now: dt.datetime) -> Decimal:
    """The share of the dossier's time limit spent by ``now`` (working time; stopped time excluded,
    since the due moment has moved on by it)."""
    span = calendar.working_time_between(counting_start(dossier.received_at), due_for_dossier(dossier))
    left = calendar.working_time_between(now, dossier.due_at)
    if span <= dt.timedelta(0):
        return Decimal(1)
    return 1 - Decimal(left.total_seconds()) / Decimal(span.total_seconds())


def supplement_refusal(dossier, now: dt.datetime | None = None) -> str:
    """Why a request to supplement may not be made now during processing, or "" when it may.
    Before receipt (at intake) the clock has not started: no limit here."""
    if dossier.received_at is None or dossier.due_at is None:
        return ""
    now = now or timezone.now()
    most = supplement_max_requests()
    if most is not None and supplement_requests(dossier) >= most:
        return _("The applicant has already been asked to supplement this dossier during processing; it can "
                 "be asked only once (Decree 118/2025/NĐ-CP). Settle the dossier on what was supplied, or "
                 "refuse it with reasons.")
    if now >= dossier.due_at:
        return _("The dossier is past its due moment: it can no longer be sent back to the applicant for a "
                 "supplement. Settle it, or send the apology letter with a new appointment.")
    share = supplement_latest_share()
    if share < 1 and share_used(dossier, now) > share:
        return _("Too late to ask for a supplement: more than %(share)s%% of the time limit has passed. "
                 "Settle the dossier, or refuse it with reasons.") % {
            "share": periods.amount_text((share * 100).quantize(Decimal("0.1")))}
    return ""


# --- outcomes and what is left ------------------------------------------------------------------

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
    own intake time limit in working hours, else ``settings.EGOV_INTAKE_HOURS`` (decision 0013).
    Counted in office hours of working days: a desk's Saturday session does not count (decision 0017)."""
    hours = agency.intake_hours if agency.intake_hours is not None else Decimal(str(settings.EGOV_INTAKE_HOURS))
    return calendar.add_working_hours(submitted_at, hours)
