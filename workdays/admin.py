from django.contrib import admin, messages
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from directory.admin import ProvinceOnlyAdmin

from .models import CalendarOverride, CalendarYear


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ProvinceOnlyAdmin):
    """The province declares days off and compensatory working days for all its agencies, so
    the province administrator keeps them (directory scope, MANAGE over the whole province)."""

    list_display = ("date", "weekday", "kind", "name", "basis", "created_at")
    list_filter = (YearListFilter, "kind")
    search_fields = ("name", "basis")
    date_hierarchy = "date"
    ordering = ("-date",)
    readonly_fields = ("created_at",)

    @admin.display(description=_("day of the week"), ordering="date")
    def weekday(self, obj):
        return date_format(obj.date, "l")

    # The open dossiers are rescheduled in the background (workdays.signals, decision 0017): say so.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _tell_rescheduling(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _tell_rescheduling(request)


def _tell_rescheduling(request) -> None:
    messages.info(request, _("Open dossiers whose time limit covers this day are being rescheduled in the "
                             "background; those whose appointment moves get a new appointment."))


@admin.register(CalendarYear)
class CalendarYearAdmin(ProvinceOnlyAdmin):
    """Entering a year's official notice makes its deadlines final (no longer “provisional”)."""

    list_display = ("year", "notice", "confirmed_on")
    readonly_fields = ("confirmed_on",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _tell_rescheduling(request)
