from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory.access import manages_province

from . import services
from .models import FrozenVersionError, PaperRequirement, Procedure, ProcedureField, ProcedureVersion


class ProvinceCatalogAdmin(admin.ModelAdmin):
    """The catalog is the province's: its administrator maintains it."""

    def has_module_permission(self, request):
        return manages_province(request.user)

    def has_view_permission(self, request, obj=None):
        return manages_province(request.user)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return manages_province(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProcedureField)
class ProcedureFieldAdmin(ProvinceCatalogAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class PaperInline(admin.TabularInline):
    model = PaperRequirement
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.editable

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ProvinceCatalogAdmin):
    list_display = ("procedure", "number", "name", "status", "kind", "time_limit_kind", "time_limit")
    list_filter = ("status", "kind", "level", "field")
    search_fields = ("procedure__code", "name")
    filter_horizontal = ("agencies",)
    inlines = [PaperInline]
    actions = ["publish"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.editable)

    @admin.action(description=_("Publish the selected draft versions"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.publish(version=version)
            except (FrozenVersionError, ValidationError) as error:  # shown to the administrator
                reasons = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{version}: {reasons}", messages.ERROR)


@admin.register(Procedure)
class ProcedureAdmin(ProvinceCatalogAdmin):
    list_display = ("code", "current", "active")
    search_fields = ("code", "search_key")
    readonly_fields = ("current",)
    actions = ["make_new_version"]

    @admin.action(description=_("Start a new draft version"))
    def make_new_version(self, request, queryset):
        for procedure in queryset:
            services.new_version(procedure=procedure)
        self.message_user(request, _("Draft versions created; edit and publish them."))
