"""Directory administration. The province administrator manages everything; an agency
administrator sees and edits only their own agency's units and memberships (directory.scope)."""

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .models import AdministrativeUnit, Agency, Membership, OrgUnit, Position
from .resources import AdministrativeUnitResource, AgencyResource, OrgUnitResource
from .scope import Action, can, visible


class ScopedAdmin(admin.ModelAdmin):
    """Rows are shown and editable only within the user's MANAGE scope."""

    agency_field = "agency"
    unit_field: str | None = None

    def get_queryset(self, request):
        return visible(request.user, super().get_queryset(request), Action.MANAGE,
                       agency_field=self.agency_field, unit_field=self.unit_field)

    def _agency_id(self, obj):
        return obj.pk if self.agency_field == "id" else getattr(obj, f"{self.agency_field}_id", None)

    def has_module_permission(self, request):
        return request.user.is_active and not _manage_scope_empty(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) if obj is None else can(
            request.user, Action.MANAGE, agency_id=self._agency_id(obj))

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = visible(request.user, Agency.objects.all(), Action.MANAGE,
                                         agency_field="id", unit_field=None)
        elif db_field.name == "unit":
            kwargs["queryset"] = visible(request.user, OrgUnit.objects.all(), Action.MANAGE, unit_field=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _manage_scope_empty(user) -> bool:
    from .scope import scope_of

    return scope_of(user, Action.MANAGE).empty


class ProvinceOnlyAdmin(ScopedAdmin):
    """Shared lists (administrative units, positions) are maintained by the province."""

    def has_module_permission(self, request):
        from .scope import scope_of

        return request.user.is_active and scope_of(request.user, Action.MANAGE).everything

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)


class ReadOnlyProvinceAdmin(ProvinceOnlyAdmin):
    """Records the platform writes itself (deliveries, signatures): the province reads them only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ImportExportModelAdmin, ProvinceOnlyAdmin):
    resource_classes = [AdministrativeUnitResource]
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    filter_horizontal = ("successors",)


@admin.register(Position)
class PositionAdmin(ProvinceOnlyAdmin):
    list_display = ("name", "rank")
    search_fields = ("name",)


@admin.register(Agency)
class AgencyAdmin(ImportExportModelAdmin, ScopedAdmin):
    resource_classes = [AgencyResource]
    agency_field = "id"
    list_display = ("code", "name", "abbreviation", "parent", "administrative_unit", "valid_to")
    search_fields = ("code", "name", "abbreviation")
    list_filter = ("administrative_unit__level",)
    autocomplete_fields = ("parent", "administrative_unit")

    def has_add_permission(self, request):
        from .scope import scope_of

        return scope_of(request.user, Action.MANAGE).everything


@admin.register(OrgUnit)
class OrgUnitAdmin(ImportExportModelAdmin, ScopedAdmin):
    resource_classes = [OrgUnitResource]
    list_display = ("name", "abbreviation", "agency", "active")
    search_fields = ("name", "abbreviation", "agency__name")
    list_filter = ("active",)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("official", "agency", "unit", "position", "roles", "valid_from", "valid_to")
    search_fields = ("official__username", "official__full_name", "agency__name")
    autocomplete_fields = ("official",)
