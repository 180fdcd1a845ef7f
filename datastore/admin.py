from django.contrib import admin

from .models import PaperKind


@admin.register(PaperKind)
class PaperKindAdmin(admin.ModelAdmin):
    """The province adds the kinds of papers its procedures share (ADR 0044); items are never edited here."""

    list_display = ["code", "name", "validity_months"]
    search_fields = ["code", "name"]
