"""Moving a dossier's appointment after the fact (decisions 0016 and 0017).

Two things move the due moment of a dossier already received:

* the applicant's answer to a request to supplement (the clock ran again: ``services._run_clock``
  with ``deadlines.resumed_due``), and
* a change of the province's working calendar (an override, a year's official notice) over a day
  its period covers: :func:`after_calendar_change`, run in the background by the outbox task
  ``dossiers.reschedule_after_calendar_change`` that ``workdays.signals`` schedules with the change.

Either way the applicant gets a new appointment (``dossiers.appointments``): a new receipt and
appointment slip (Mẫu 01 marked ``new_appointment``) and a timeline event, which the notifications
send on. A calendar change writes one audit entry per dossier moved. Rescheduling is
idempotent: run again, it finds the due moments already right and does nothing.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.context import SYSTEM, Actor, acting_as
from audit.services import record
from workdays import calendar

from . import appointments, deadlines
from .models import Dossier, DossierStep
from .services import _event
from .states import CLOCK_STOPPED, Status

OPEN = (Status.IN_PROGRESS, Status.PAUSED, Status.SUPPLEMENT_REQUESTED)


# --- recomputing from the dossier's history ------------------------------------------------------

def _stops(dossier: Dossier, since: dt.datetime):
    """(state stopped in, stopped at, resumed at or None) for every stop of the clock after ``since``,
    read from the timeline (the transitions into and out of the states that stop it)."""
    state = start = None
    for event in dossier.events.filter(at__gte=since).order_by("at", "id").only("at", "status", "from_status"):
        if event.status in CLOCK_STOPPED and event.from_status not in CLOCK_STOPPED:
            state, start = event.status, event.at
        elif event.from_status in CLOCK_STOPPED and event.status not in CLOCK_STOPPED and start is not None:
            yield state, start, event.at
            state = start = None
    if start is not None:
        yield state, start, None


def recompute_due(dossier: Dossier) -> dt.datetime | None:
    """The dossier's due moment under today's calendar and rules: its time limit from receipt, then
    each stop of the clock as it was resumed (a stop still running has not moved it yet)."""
    if dossier.received_at is None:
        return None
    due = deadlines.due_for_dossier(dossier)
    for state, stopped_at, resumed_at in _stops(dossier, dossier.received_at):
        if resumed_at is not None:
            due = deadlines.resumed_due(dossier, stopped=state, stopped_at=stopped_at, resumed_at=resumed_at,
                                        due_at=due)
    return due


def _step_origin(line: DossierStep) -> DossierStep:
    """The first line of the current step: a reassignment opens a new line with the same due moment."""
    while True:
        earlier = (DossierStep.objects.filter(dossier_id=line.dossier_id, step_id=line.step_id, action="reassign",
                                              handed_at=line.received_at).exclude(pk=line.pk).first())
        if earlier is None:
            return line
        line = earlier


def _recompute_step(dossier: Dossier, dossier_due: dt.datetime) -> None:
    line = (DossierStep.objects.select_for_update(of=("self",)).select_related("step")
            .filter(pk=dossier.current_step_id).first())
    if line is None or line.step is None or line.handed_at is not None:
        return
    origin = _step_origin(line)
    due = calendar.add_working_hours(deadlines.step_start(origin.received_at), line.step.hours)
    for _state, stopped_at, resumed_at in _stops(dossier, origin.received_at):
        if resumed_at is not None:
            due = deadlines.extend(due, stopped_at, resumed_at)
    due = min(due, dossier_due)  # a step never runs past the dossier's own deadline
    if appointments.moved(line.due_at, due):
        line.due_at = due
        line.save(update_fields=["due_at"])


@transaction.atomic
def reschedule(dossier_id: int, *, now: dt.datetime, first: dt.date, last: dt.date) -> bool:
    """Bring one open dossier's due moment in line with the calendar; True when it moved. A due moment
    is never moved earlier to a moment already past: a correction after the fact makes nobody late."""
    dossier = (Dossier.objects.select_for_update(of=("self",))
               .select_related("procedure_version", "agency__administrative_unit").get(pk=dossier_id))
    if dossier.status not in OPEN or dossier.received_at is None or dossier.due_at is None:
        return False
    before, after = dossier.due_at, recompute_due(dossier)
    if after is None or not appointments.moved(before, after) or (after < before and after <= now):
        return False
    Dossier.objects.filter(pk=dossier.pk).update(due_at=after, revision=F("revision") + 1)
    dossier.due_at, dossier.revision = after, dossier.revision + 1
    record(action="update", obj=dossier, summary={
        "fields": ["due_at"], "reason": "calendar_change", "from": appointments.iso(before), "to": appointments.iso(after),
        "calendar_days": [first.isoformat(), last.isoformat()]})
    _recompute_step(dossier, after)
    note = appointments.new_appointment(dossier, previous_due=before, cause=appointments.CALENDAR_CHANGED)
    _event(dossier, status=dossier.status, from_status=dossier.status, actor=None, note=note)
    return True


def after_calendar_change(*, first: dt.date, last: dt.date, actor: dict | None = None,
                          now: dt.datetime | None = None) -> dict:
    """Reschedule every open dossier (received, not finished, clock running or stopped) whose period
    covers a day from ``first`` to ``last``. Each dossier in its own transaction."""
    calendar.clear_cache()  # this process may have kept the calendar from before the change
    now = now or timezone.now()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=calendar.VN_TZ)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=calendar.VN_TZ)
    ids = list(Dossier.objects.filter(status__in=OPEN, received_at__lt=end, due_at__gte=start)
               .order_by("pk").values_list("pk", flat=True))
    who = Actor(user_id=actor.get("user_id"), label=actor.get("label") or "system") if actor else SYSTEM
    moved_count = 0
    with acting_as(who):
        for pk in ids:
            moved_count += reschedule(pk, now=now, first=first, last=last)
    return {"checked": len(ids), "moved": moved_count}
