"""A change of the province's calendar (an override, a year's official notice) invalidates what the
calendar keeps in memory."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .calendar import invalidate_cache
from .models import CalendarOverride, CalendarYear


@receiver(post_save, sender=CalendarOverride, dispatch_uid="workdays:override-saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="workdays:override-deleted")
def _override_changed(sender, **kwargs) -> None:
    invalidate_cache()


@receiver(post_save, sender=CalendarYear, dispatch_uid="workdays:year-saved")
@receiver(post_delete, sender=CalendarYear, dispatch_uid="workdays:year-deleted")
def _year_changed(sender, **kwargs) -> None:
    invalidate_cache()
