"""The reference data of IT planning (architecture layers, system kinds, alert thresholds) is kept
by the province in the administration; plans, projects and assets are kept on the workspace pages
(their doors check ``itplanning.policy``)."""

from django.contrib import admin

from directory.admin import ProvinceOnlyAdmin

from .models import AlertThreshold, ComponentCategory, SystemKind


@admin.register(ComponentCategory)
class ComponentCategoryAdmin(ProvinceOnlyAdmin):
    list_display = ["code", "name", "order"]


@admin.register(SystemKind)
class SystemKindAdmin(ProvinceOnlyAdmin):
    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


@admin.register(AlertThreshold)
class AlertThresholdAdmin(ProvinceOnlyAdmin):
    list_display = ["days"]
