from django.contrib import admin

from .models import Package, Partner, StatusEvent


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "dialect")
    search_fields = ("code", "name")


@admin.register(Package)
class PackageAdmin(admin.ModelAdmin):
    """Read only: packages are kept as they came or went (the console retries dead letters)."""

    list_display = ("created_at", "direction", "kind", "state", "status_code", "from_code", "package_id")
    list_filter = ("direction", "kind", "state")
    search_fields = ("package_id", "exchange_id", "from_code")
    exclude = ("raw",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StatusEvent)
class StatusEventAdmin(admin.ModelAdmin):
    list_display = ("at", "direction", "organ_code", "code", "document")
    list_filter = ("direction", "code")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
