"""The deadline sweep: warnings before steps fall due, and the apology letter (Mẫu 04) drafted
for the leader before a dossier becomes late (Decree 61/2018/NĐ-CP art. 19: a dossier that will
be late gets a written apology with a new appointment before the appointment passes).

It also completes side effects found missing (a slip without its PDF, an applicant not told):
the safety net behind the outbox (``outbox``), which resends what it recorded.

Run every few minutes: by Celery beat in production, and in the embedded default by the
in-process runner of ``egov serve`` (``outbox.runner``) and after officials' pages are served
(at most once per ``EMBEDDED_INTERVAL``).
"""

import datetime as dt
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workdays import calendar
from workdays.calendar import working_hours_per_day

from . import workflow
from .models import Dossier, DossierStep, Slip
from .states import Status

WARN_BEFORE_HOURS = Decimal("4")  # working hours before a step falls due
APOLOGY_BEFORE_DAYS = Decimal("1")  # working days before the dossier falls due
EMBEDDED_INTERVAL = 600
REPAIR_WINDOW = dt.timedelta(days=3)  # how far back missing slips and notifications are completed


def _within(due_at: dt.datetime, hours: Decimal, now: dt.datetime) -> bool:
    return due_at <= calendar.add_working_hours(now, hours)


def warn_due_soon(now: dt.datetime) -> list[DossierStep]:
    """Open steps falling due soon whose holder has not been warned yet."""
    from egov.tasks import enqueue

    warned = []
    open_steps = (DossierStep.objects.filter(handed_at__isnull=True, warned_at__isnull=True,
                                             dossier__status=Status.IN_PROGRESS, due_at__gt=now)
                  .select_related("dossier", "assignee"))
    for line in open_steps:
        if not _within(line.due_at, WARN_BEFORE_HOURS, now):
            continue
        with transaction.atomic():
            if DossierStep.objects.filter(pk=line.pk, warned_at__isnull=True).update(warned_at=now) != 1:
                continue  # another sweep got there first
            # Recorded with the warned flag (outbox): the notice goes out exactly when the flag is set.
            enqueue(
                "notifications.notify_officials",
                dossier_id=line.dossier_id, agency_id=line.agency_id, unit_id=line.unit_id, role=line.role,
                assignee_id=line.assignee_id, key=f"step-due-soon:{line.pk}",
                title=_("Dossier %(code)s is due soon") % {"code": line.dossier.code},
                body=_("The step “%(step)s” falls due at %(at)s.") % {
                    "step": line.name, "at": timezone.localtime(line.due_at).strftime("%H:%M %d/%m/%Y")},
            )
        warned.append(line)
    return warned


def _new_appointment(dossier: Dossier, now: dt.datetime) -> dt.datetime:
    """Propose the new appointment: the due moment moved on by the working time the remaining
    steps are allotted (at least one working day)."""
    hours = Decimal(0)
    if dossier.current_step and dossier.current_step.step and dossier.process:
        hours = sum((s.hours for s in dossier.process.steps.filter(order__gt=dossier.current_step.order)),
                    Decimal(0))
    hours = max(hours, working_hours_per_day())
    return calendar.add_working_hours(max(dossier.due_at, now), hours)


def draft_apologies(now: dt.datetime) -> list[Slip]:
    limit = APOLOGY_BEFORE_DAYS * working_hours_per_day()
    drafted = []
    candidates = (Dossier.objects.filter(status__in=[Status.IN_PROGRESS, Status.PAUSED], due_at__gt=now,
                                         apology_due_at__isnull=True)
                  .exclude(slips__form=Slip.Form.APOLOGY).select_related("current_step__step", "process"))
    for dossier in candidates:
        if not _within(dossier.due_at, limit, now):
            continue
        drafted.append(workflow.draft_apology(
            dossier=dossier, acting_user=None, new_due_at=_new_appointment(dossier, now),
            reason=_("The dossier cannot be settled by the appointment; it is still being processed."),
        ))
    return drafted


def complete_missing(now: dt.datetime) -> dict:
    """Slips whose outbox row is done or missing yet whose PDF is not there (rows recorded before
    the outbox existed, a row given up and then deleted) are rendered again. Only recent ones
    (``REPAIR_WINDOW``), older than the outbox's grace period, with no outbox row waiting. The
    applicant's notices are completed the same way by ``notifications.services.complete_untold``."""
    from egov.tasks import enqueue
    from outbox.services import grace, is_pending

    since, until = now - REPAIR_WINDOW, now - grace()
    slips = Slip.objects.filter(file="", created_at__gte=since, created_at__lte=until).values_list("pk", flat=True)
    repaired = 0
    for pk in slips:
        if not is_pending("dossiers.render_slip", pk):
            enqueue("dossiers.render_slip", pk)
            repaired += 1
    return {"slips": repaired}


def sweep(now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    return {"warned": len(warn_due_soon(now)), "apologies": len(draft_apologies(now)),
            "repaired": complete_missing(now)}


def sweep_if_due() -> None:
    """Embedded default: run the sweep in-process at most every ``EMBEDDED_INTERVAL`` seconds."""
    if cache.add("deadline-sweep", "1", EMBEDDED_INTERVAL):
        from egov.tasks import enqueue

        enqueue("dossiers.sweep_deadlines")
        enqueue("notifications.retry_failed")
