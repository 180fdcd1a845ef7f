"""Directory administration. The province administrator manages everything; an agency
administrator sees and edits only their own agency's units and memberships (directory.scope).

Choices of an agency, a unit of government or a centre offer only the rows in force today (and the
one a record already names, so that editing an old record keeps it); the rows themselves, with
their dates and successors, stay listed for history."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from .history import predecessors_of
from .models import (
    AdministrativeUnit,
    Agency,
    Delegation,
    Membership,
    OrgUnit,
    Position,
    ReceptionPoint,
    ServiceCentre,
)
from .resources import AdministrativeUnitResource, AgencyResource, OrgUnitResource
from .scope import Action, can, scope_of, visible

DATED = (Agency, AdministrativeUnit, ServiceCentre)


def _in_force_or_kept(request, db_field, queryset):
    """``queryset`` narrowed to the rows in force today, plus the one the edited record names."""
    editing = getattr(request, "_directory_editing", None)
    kept = getattr(editing, db_field.attname, None) if editing is not None else None
    return queryset.filter(Q(pk__in=db_field.related_model.objects.valid_on().values("pk")) | Q(pk=kept))


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

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._directory_editing = obj  # read by formfield_for_foreignkey while the form is built
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = visible(request.user, Agency.objects.all(), Action.MANAGE,
                                         agency_field="id", unit_field=None)
        elif db_field.name == "unit":
            kwargs["queryset"] = visible(request.user, OrgUnit.objects.all(), Action.MANAGE, unit_field=None)
        if db_field.related_model in DATED and db_field.name not in self.autocomplete_fields:
            queryset = kwargs.get("queryset", db_field.related_model.objects.all())
            kwargs["queryset"] = _in_force_or_kept(request, db_field, queryset)
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


class ProvinceEditsAdmin(ScopedAdmin):
    """Rows the province maintains that an agency administrator may read for their own agency
    (the service centres their agency staffs)."""

    def _province(self, request) -> bool:
        return request.user.is_active and scope_of(request.user, Action.MANAGE).everything

    def has_change_permission(self, request, obj=None):
        return self._province(request)

    def has_add_permission(self, request):
        return self._province(request)

    def has_delete_permission(self, request, obj=None):
        return self._province(request)


class InForceSearch:
    """Autocomplete (choosing a parent, a unit of government) offers only rows in force today."""

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.path == reverse("admin:autocomplete"):
            queryset = queryset.filter(pk__in=queryset.model.objects.valid_on().values("pk"))
        return queryset, duplicates


def _predecessors(obj) -> str:
    return "; ".join(f"{row} ({row.valid_to:%d/%m/%Y})" if row.valid_to else str(row)
                     for row in predecessors_of(obj)) if obj.pk else ""


class ReadOnlyProvinceAdmin(ProvinceOnlyAdmin):
    """Records the platform writes itself (deliveries, signatures): the province reads them only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(InForceSearch, ImportExportModelAdmin, ProvinceOnlyAdmin):
    resource_classes = [AdministrativeUnitResource]
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to", "special_difficulty", "confirmed")
    list_filter = ("level", "special_difficulty", "confirmed")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    filter_horizontal = ("successors",)
    readonly_fields = ("took_over_from",)

    @admin.display(description=_("took over from"))
    def took_over_from(self, obj):
        return _predecessors(obj)


@admin.register(Position)
class PositionAdmin(ProvinceOnlyAdmin):
    list_display = ("name", "rank", "standing")
    search_fields = ("name",)


@admin.register(Agency)
class AgencyAdmin(InForceSearch, ImportExportModelAdmin, ScopedAdmin):
    resource_classes = [AgencyResource]
    agency_field = "id"
    list_display = ("code", "name", "abbreviation", "parent", "administrative_unit", "valid_from", "valid_to",
                    "confirmed")
    search_fields = ("code", "name", "abbreviation")
    list_filter = ("administrative_unit__level", "collective", "confirmed")
    autocomplete_fields = ("parent", "administrative_unit")
    filter_horizontal = ("successors",)
    # What the agency is and what became of it is the province's to say, not the agency's.
    PROVINCE_FIELDS = ("code", "parent", "administrative_unit", "valid_from", "valid_to", "collective",
                       "successors", "confirmed")

    def has_add_permission(self, request):
        return scope_of(request.user, Action.MANAGE).everything

    def get_readonly_fields(self, request, obj=None):
        if scope_of(request.user, Action.MANAGE).everything:
            return ("took_over_from",)
        return (*self.PROVINCE_FIELDS, "took_over_from")

    @admin.display(description=_("took over from"))
    def took_over_from(self, obj):
        return _predecessors(obj)


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


class ReceptionPointInline(admin.TabularInline):
    model = ReceptionPoint
    extra = 0
    fields = ("name", "address", "valid_from", "valid_to")

    def _province(self, request) -> bool:
        return scope_of(request.user, Action.MANAGE).everything

    def has_add_permission(self, request, obj=None):
        return self._province(request)

    def has_change_permission(self, request, obj=None):
        return self._province(request)

    def has_delete_permission(self, request, obj=None):
        return self._province(request)


@admin.register(ServiceCentre)
class ServiceCentreAdmin(ProvinceEditsAdmin):
    list_display = ("code", "name", "level", "agency", "administrative_unit", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name", "agency__name")
    inlines = [ReceptionPointInline]


@admin.register(ReceptionPoint)
class ReceptionPointAdmin(ProvinceEditsAdmin):
    agency_field = "centre__agency"
    list_display = ("name", "centre", "address", "valid_from", "valid_to")
    search_fields = ("name", "address", "centre__name")

    def _agency_id(self, obj):
        return obj.centre.agency_id


class DelegationAdminForm(forms.ModelForm):
    """The checks of ``directory.delegations`` (same agency, standing, period, overlaps) on the form."""

    class Meta:
        model = Delegation
        fields = ("agency", "principal", "deputy", "kind", "starts_at", "ends_at", "reason")

    def clean(self):
        from .delegations import check_delegation

        data = super().clean()
        if not self.errors and self.instance.pk is None:
            try:
                check_delegation(**{name: data[name] for name in (
                    "agency", "principal", "deputy", "kind", "starts_at", "ends_at")})
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Delegation)
class DelegationAdmin(ScopedAdmin):
    """Standing delegations of the agencies the user administers (leaders record their own on the
    workspace's page). Recorded and revoked through ``directory.delegations``; never edited or
    deleted: a delegation stays as it was, for the record."""

    form = DelegationAdminForm
    list_display = ("agency", "principal", "deputy", "kind", "starts_at", "ends_at", "revoked_at")
    list_filter = ("kind",)
    search_fields = ("principal__full_name", "deputy__full_name", "agency__name")
    autocomplete_fields = ("principal", "deputy")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("agency", "principal", "deputy", "kind", "starts_at", "ends_at", "reason", "created_by", "revoked_at")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .delegations import record_delegation

        if change:
            return
        recorded = record_delegation(acting_user=request.user, agency=obj.agency, principal=obj.principal,
                                     deputy=obj.deputy, kind=obj.kind, starts_at=obj.starts_at,
                                     ends_at=obj.ends_at, reason=obj.reason)
        obj.pk = recorded.pk

    @admin.action(description=_("Revoke the selected delegations"))
    def revoke(self, request, queryset):
        from .delegations import revoke_delegation

        done = 0
        for delegation in queryset:
            try:
                revoke_delegation(acting_user=request.user, delegation=delegation)
                done += 1
            except (PermissionDenied, ValidationError):
                continue
        self.message_user(request, _("%(n)d delegation(s) revoked.") % {"n": done})
