"""Read-only views of recognition for the site's administrators: every change goes through
``recognition.services`` (the pages), never through the admin."""

from django.contrib import admin

from .models import AgencyAssessment, CriteriaSet, OfficialAssessment


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnly):
    list_display = ["title", "year", "level"]


@admin.register(AgencyAssessment)
class AgencyAssessmentAdmin(ReadOnly):
    list_display = ["agency", "criteria_set", "state", "recognised", "decision_number"]
    list_filter = ["state", "criteria_set__year"]


@admin.register(OfficialAssessment)
class OfficialAssessmentAdmin(ReadOnly):
    list_display = ["official", "agency", "period_kind", "number", "year", "state", "leader_rating"]
    list_filter = ["state", "year"]
