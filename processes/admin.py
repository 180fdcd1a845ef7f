"""Internal processes in the admin: an agency administrator describes their agency's processes
(quy trình nội bộ) step by step, within their MANAGE scope (directory.scope). A published
definition is read-only — dossiers run on it; a change is a new draft version, published through
``processes.services.publish``, which checks the steps against the legal time limit."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from directory.models import Agency, OrgUnit
from directory.scope import Action, can, scope_of, visible

from . import services
from .models import DefinitionStatus, ProcessDefinition, ProcessStep, StepAction


def _manages(user) -> bool:
    return user.is_active and (user.is_superuser or not scope_of(user, Action.MANAGE).empty)


def _draft(obj) -> bool:
    return obj is None or obj.status == DefinitionStatus.DRAFT


class ProcessStepForm(forms.ModelForm):
    actions = forms.MultipleChoiceField(label=_("allowed actions"), choices=StepAction.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ProcessStep
        fields = ("order", "name", "agency", "unit", "role", "hours", "actions")


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    form = ProcessStepForm
    extra = 0

    def has_change_permission(self, request, obj=None):
        return _draft(obj) and (obj is None or can(request.user, Action.MANAGE, agency_id=obj.agency_id))

    has_add_permission = has_delete_permission = has_change_permission

    def has_view_permission(self, request, obj=None):
        return obj is None or can(request.user, Action.MANAGE, agency_id=obj.agency_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A step may be done by another agency (inter-agency "liên thông" procedures).
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.valid_on()
        elif db_field.name == "unit":
            kwargs["queryset"] = OrgUnit.objects.filter(active=True).select_related("agency")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@transaction.atomic
@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "agency", "number", "status", "total")
    list_filter = ("status",)
    search_fields = ("procedure__code", "procedure__current__name", "agency__name")
    list_select_related = ("procedure", "agency")
    readonly_fields = ("number", "status", "total", "legal_limit", "created_at")
    inlines = [ProcessStepInline]
    actions = ["make_new_version", "publish"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("steps")
        return visible(request.user, queryset, Action.MANAGE, agency_field="agency", unit_field=None)

    def get_inlines(self, request, obj):
        # Steps are described once the definition exists: a step's unit is checked against the
        # agency of the definition, which an unsaved definition does not have yet.
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # what a definition is for never changes; a new version is made instead
            return ("procedure", "agency", *self.readonly_fields)
        return self.readonly_fields

    def has_module_permission(self, request):
        return _manages(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return _manages(request.user)
        return can(request.user, Action.MANAGE, agency_id=obj.agency_id)

    def has_add_permission(self, request):
        return _manages(request.user)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj) and _draft(obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and (obj is None or not obj.dossiers.exists())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = visible(request.user, Agency.objects.valid_on(), Action.MANAGE,
                                         agency_field="id", unit_field=None)
        elif db_field.name == "procedure":
            # The procedures the administrator's agencies implement.
            procedures = db_field.related_model.objects.select_related("current")
            scope = scope_of(request.user, Action.MANAGE)
            if not scope.everything:
                procedures = procedures.filter(pk__in=db_field.related_model.objects.filter(
                    versions__agencies__in=scope.agency_ids).values("pk"))
            kwargs["queryset"] = procedures
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            latest = (ProcessDefinition.objects.filter(procedure=obj.procedure_id, agency=obj.agency_id)
                      .aggregate(n=Max("number"))["n"] or 0)
            obj.number, obj.status = latest + 1, DefinitionStatus.DRAFT
        super().save_model(request, obj, form, change)

    @admin.display(description=_("working hours of the steps"))
    def total(self, obj):
        return obj.total_hours().normalize() if obj.pk else "—"

    @admin.display(description=_("legal time limit (working hours)"))
    def legal_limit(self, obj):
        if not obj.pk or obj.procedure.current_id is None:
            return "—"
        return services.legal_hours(obj).normalize()

    @admin.action(description=_("Start a new draft version of the selected processes"))
    def make_new_version(self, request, queryset):
        for definition in queryset:
            if not can(request.user, Action.MANAGE, agency_id=definition.agency_id):
                continue
            draft = services.new_draft_version(definition)
            self.message_user(request, _("%(process)s: draft created; edit its steps, then publish it.")
                              % {"process": draft}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected draft processes"))
    def publish(self, request, queryset):
        for definition in queryset:
            if definition.status != DefinitionStatus.DRAFT:
                self.message_user(request, _("%(process)s is not a draft.") % {"process": definition},
                                  messages.WARNING)
                continue
            if not can(request.user, Action.MANAGE, agency_id=definition.agency_id):
                continue
            try:
                services.publish(definition=definition)
            except ValidationError as error:
                self.message_user(request, f"{definition}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(process)s is now in force.") % {"process": definition},
                                  messages.SUCCESS)
