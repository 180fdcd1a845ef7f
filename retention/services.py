"""The retention job's one door (``run``) and the legal holds' (``place_hold``, ``release_hold``).

``run`` takes each policy in force on ``today``, finds the records past their period (never one
under a legal hold, never a dossier not finished), and archives, erases or anonymises them in
batches, each batch in its own transaction with its audit entries. A record already dealt with is
no longer found, so a second run on the same day does nothing more, and a run stopped half-way is
finished by the next. A dry run only counts. Every run leaves a ``RetentionRun`` report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import acting_as
from audit.services import record
from dossiers.models import Dossier

from . import kinds, periods, policy
from .common import Context, Holds
from .models import Disposal, LegalHold, RetentionPolicy, RetentionRun

logger = logging.getLogger(__name__)

PAST: dict[str, str] = {Disposal.ARCHIVE: "archived", Disposal.ERASE: "erased", Disposal.ANONYMISE: "anonymised"}


def policies_in_force(day: dt.date) -> list[RetentionPolicy]:
    """For each kind, the policy in force on ``day`` (the latest to start, if two overlap)."""
    chosen: dict[str, RetentionPolicy] = {}
    for item in RetentionPolicy.objects.filter(valid_from__lte=day).order_by("kind", "-valid_from", "-pk"):
        if item.kind not in chosen and item.in_force(day):
            chosen[item.kind] = item
    return [chosen[kind] for kind in kinds.KINDS if kind in chosen]


def run(today: dt.date | None = None, dry_run: bool = False, *, trigger: str = RetentionRun.Trigger.SCHEDULE,
        acting_user=None) -> RetentionRun:
    """Apply every policy in force on ``today`` (the local date by default) and return the report."""
    today = today or timezone.localdate()
    started = time.monotonic()
    report = RetentionRun.objects.create(day=today, started_at=timezone.now(), dry_run=dry_run, trigger=trigger,
                                         started_by=acting_user)
    holds = Holds.now()
    counts: dict[str, dict[str, int]] = {}
    errors: list[dict] = []
    batch = max(1, int(getattr(settings, "RETENTION_BATCH", 200)))
    limit = max(1, int(getattr(settings, "RETENTION_LIMIT", 5000)))
    with acting_as(acting_user) if acting_user is not None else contextlib.nullcontext():
        for item in policies_in_force(today):
            tally = counts.setdefault(item.kind, {"due": 0, PAST[item.disposal]: 0, "held": 0, "failed": 0, "left": 0})
            if not kinds.allows(item.kind, item.disposal):
                errors.append({"kind": item.kind, "record": "", "error": f"disposal {item.disposal} not allowed"})
                continue
            ctx = Context(policy=item, cutoff=periods.cutoff(item, today), holds=holds, run=report)
            for part in kinds.parts(item.kind):
                due = part.due(ctx)
                tally["due"] += due.count()
                tally["held"] += part.held(ctx)
                if dry_run:
                    continue
                failed: list = []
                acted = 0
                while acted + len(failed) < limit:
                    ids = list(due.exclude(pk__in=failed).values_list("pk", flat=True)[:batch])
                    if not ids:
                        break
                    done = part.act(ids, ctx)
                    acted += done.count
                    errors.extend(done.errors)
                    # Whatever is still due after its batch failed or was skipped: the loop moves on.
                    failed.extend(due.filter(pk__in=ids).values_list("pk", flat=True))
                tally[PAST[item.disposal]] += acted
                tally["failed"] += len(failed)
                tally["left"] += due.exclude(pk__in=failed).count()
    report.counts = counts
    report.errors = errors[:500]
    report.finished_at = timezone.now()
    report.duration_ms = int((time.monotonic() - started) * 1000)
    report.save(update_fields=["counts", "errors", "finished_at", "duration_ms"])
    logger.info("retention run", extra={"run": report.pk, "dry_run": dry_run, "counts": counts,
                                        "errors": len(errors), "duration_ms": report.duration_ms})
    return report


def nightly_due(now: dt.datetime | None = None) -> bool:
    """The schedule asks every hour; the job runs once a night, in ``RETENTION_NIGHT_HOURS``."""
    local = timezone.localtime(now or timezone.now())
    start, end = getattr(settings, "RETENTION_NIGHT_HOURS", (1, 5))
    if not start <= local.hour < end:
        return False
    return not RetentionRun.objects.filter(day=local.date(), dry_run=False,
                                           trigger=RetentionRun.Trigger.SCHEDULE).exists()


@transaction.atomic
def place_hold(*, acting_user, reason: str, dossier_code: str = "", person=None) -> LegalHold:
    """Tạm dừng: keep a dossier (by its code) or all of a person's records out of every retention action."""
    policy.require(policy.decide(acting_user, "hold"))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the records are held."))
    dossier = None
    if dossier_code:
        # Locked: a run archiving this dossier now finishes first, or sees the hold.
        dossier = Dossier.objects.select_for_update().filter(code=dossier_code.strip()).first()
        if dossier is None:
            raise ValidationError(_("No dossier has this code."))
    if dossier is None and person is None:
        raise ValidationError(_("Name a dossier."))
    hold = LegalHold.objects.create(dossier=dossier, person=person, reason=reason[:255], placed_by=acting_user,
                                    placed_at=timezone.now())
    with acting_as(acting_user):
        record(action="create", obj=hold, summary={"dossier": dossier.code if dossier else None,
                                                   "person": person.pk if person else None})
    return hold


@transaction.atomic
def release_hold(*, acting_user, hold: LegalHold) -> LegalHold:
    policy.require(policy.decide(acting_user, "release"))
    current = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if current.released_at is not None:
        raise PermissionDenied(_("This hold is already released."))
    current.released_at = timezone.now()
    current.released_by = acting_user
    current.save(update_fields=["released_at", "released_by"])
    with acting_as(acting_user):
        record(action="update", obj=current, summary={"released": True})
    return current


def dry_run_now(*, acting_user) -> RetentionRun:
    """What the administrator's button does: count what is due today, change nothing."""
    policy.require(policy.decide(acting_user, "dry_run"))
    return run(dry_run=True, trigger=RetentionRun.Trigger.PAGE, acting_user=acting_user)
