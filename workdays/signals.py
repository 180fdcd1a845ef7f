"""A change of the province's calendar overrides invalidates every cached year."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .calendar import invalidate_cache
from .models import CalendarOverride


@receiver(post_save, sender=CalendarOverride, dispatch_uid="workdays:override-saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="workdays:override-deleted")
def _override_changed(sender, **kwargs) -> None:
    invalidate_cache()
