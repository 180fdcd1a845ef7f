"""A change of the province's calendar (an override, a year's official notice) invalidates what the
calendar keeps in memory, and the open dossiers whose period covers a changed day are rescheduled
in the background (decision 0017): the outbox row is written with the change, so the admin's save
stays fast and a rollback schedules nothing."""

import datetime as dt

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from audit.context import current_actor
from egov.tasks import enqueue

from .calendar import invalidate_cache
from .models import CalendarOverride, CalendarYear

RESCHEDULE_TASK = "dossiers.reschedule_after_calendar_change"


def schedule_reschedule(first: dt.date, last: dt.date) -> None:
    """Reschedule (in the background) the open dossiers whose period covers a day from ``first`` to
    ``last``; the audit entries name whoever is acting now."""
    actor = current_actor()
    enqueue(RESCHEDULE_TASK, first=first.isoformat(), last=last.isoformat(),
            actor={"user_id": actor.user_id, "label": actor.label})


@receiver(pre_save, sender=CalendarOverride, dispatch_uid="workdays:override-saving")
def _remember_date(sender, instance, raw=False, **kwargs) -> None:
    instance._previous_date = (CalendarOverride.objects.filter(pk=instance.pk).values_list("date", flat=True).first()
                               if instance.pk and not raw else None)


@receiver(post_save, sender=CalendarOverride, dispatch_uid="workdays:override-saved")
def _override_saved(sender, instance, raw=False, **kwargs) -> None:
    invalidate_cache()
    if raw:
        return
    days = {instance.date, getattr(instance, "_previous_date", None) or instance.date}
    schedule_reschedule(min(days), max(days))


@receiver(post_delete, sender=CalendarOverride, dispatch_uid="workdays:override-deleted")
def _override_deleted(sender, instance, **kwargs) -> None:
    invalidate_cache()
    schedule_reschedule(instance.date, instance.date)


@receiver(post_save, sender=CalendarYear, dispatch_uid="workdays:year-saved")
@receiver(post_delete, sender=CalendarYear, dispatch_uid="workdays:year-deleted")
def _year_changed(sender, instance, raw=False, **kwargs) -> None:
    invalidate_cache()
    if not raw:
        # The official notice of a year is entered with its overrides: check that year's dossiers.
        schedule_reschedule(dt.date(instance.year, 1, 1), dt.date(instance.year, 12, 31))
