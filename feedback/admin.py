"""The province's rules and the survey's criteria, edited in the Django admin by the province
administrators; ratings and feedback are changed only through their services."""

from django.contrib import admin

from directory.admin import ProvinceOnlyAdmin

from .models import Criterion, Rules


@admin.register(Rules)
class RulesAdmin(ProvinceOnlyAdmin):
    list_display = ["answer_working_days", "min_ratings_per_official", "satisfied_from", "kiosk_minutes"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Criterion)
class CriterionAdmin(ProvinceOnlyAdmin):
    list_display = ["order", "code", "name", "active", "source"]
    list_editable = ["active"]
