"""Editing the help centre in the Django admin: the province administrators edit everything,
an agency's administrators the guides and FAQ of the procedures their agency settles; answer
templates, announcements and subscriptions are the province's."""

from django.contrib import admin
from django.db.models import Q

from directory.admin import ProvinceOnlyAdmin, ReadOnlyProvinceAdmin
from directory.scope import Action, scope_of

from .models import Announcement, AnswerTemplate, Faq, Guide, GuideStep, Subscription


def _agencies(request):
    return scope_of(request.user, Action.MANAGE)


class _ByProcedureAgency(admin.ModelAdmin):
    """Rows of a procedure: reached when one of the procedure's implementing agencies is managed."""

    procedure_path = "procedure"

    def _q(self, request) -> Q | None:
        scope = _agencies(request)
        if scope.everything:
            return Q()
        if scope.empty:
            return None
        return Q(**{f"{self.procedure_path}__current__agencies__in": scope.agency_ids})

    def get_queryset(self, request):
        condition = self._q(request)
        rows = super().get_queryset(request)
        return rows.none() if condition is None else rows.filter(condition).distinct()

    def has_module_permission(self, request):
        return request.user.is_active and not _agencies(request).empty

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    has_change_permission = has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "procedure":
            from procedures.models import Procedure

            condition = self._q(request)
            procedures = Procedure.objects.all()
            if condition is not None and condition != Q():
                procedures = procedures.filter(current__agencies__in=_agencies(request).agency_ids).distinct()
            kwargs["queryset"] = procedures
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class GuideStepInline(admin.TabularInline):
    model = GuideStep
    extra = 1
    fields = ("order", "text", "image", "image_alt")


@admin.register(Guide)
class GuideAdmin(_ByProcedureAgency):
    list_display = ("title", "procedure", "published", "updated_at")
    list_filter = ("published",)
    search_fields = ("title", "procedure__code")
    inlines = [GuideStepInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.save()  # the search key reads the steps just saved


@admin.register(Faq)
class FaqAdmin(_ByProcedureAgency):
    list_display = ("question", "topic", "life_event", "procedure", "published")
    list_filter = ("topic", "life_event", "published")
    search_fields = ("question",)


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(ProvinceOnlyAdmin):
    list_display = ("title", "topic", "agency")


@admin.register(Announcement)
class AnnouncementAdmin(ProvinceOnlyAdmin):
    list_display = ("title", "audience", "starts_at", "ends_at", "published")
    list_filter = ("audience", "published")


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyProvinceAdmin):
    list_display = ("channel", "consented_at", "unsubscribed_at")
    list_filter = ("channel",)
