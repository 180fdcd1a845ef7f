from django.contrib import admin

from directory.admin import ReadOnlyProvinceAdmin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyProvinceAdmin):
    """The platform's operators (the province administrator) follow failed deliveries here; the
    rows are written by the notification task only."""

    list_display = ["event_id", "channel", "status", "attempts", "last_error", "last_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
