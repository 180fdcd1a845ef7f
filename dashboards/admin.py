from django.contrib import admin

from .models import Alert, AlertRule, DtiIndicator, DtiInput, PublishedScore


@admin.register(DtiIndicator)
class DtiIndicatorAdmin(admin.ModelAdmin):
    list_display = ("year", "code", "name", "max_points", "parent")
    list_filter = ("year",)
    search_fields = ("code", "name")


@admin.register(DtiInput)
class DtiInputAdmin(admin.ModelAdmin):
    list_display = ("indicator", "points", "entered_by", "entered_at")
    list_filter = ("indicator__year",)


@admin.register(PublishedScore)
class PublishedScoreAdmin(admin.ModelAdmin):
    list_display = ("kind", "year", "score", "max_score", "rank", "source")
    list_filter = ("kind",)


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "threshold", "active")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("rule", "subject", "period", "raised_at")
    readonly_fields = ("rule", "agency", "official", "subject", "period", "message", "value", "raised_at")
