from django.contrib import admin

from directory.admin import ProvinceOnlyAdmin

from .models import FormSet, LegalDocument


class _ProvinceOnly(ProvinceOnlyAdmin):
    """The legal bases are the province's data, kept by its administrator."""

    def has_delete_permission(self, request, obj=None):
        return False  # dossiers refer to them: a text stops applying by its end date


@admin.register(LegalDocument)
class LegalDocumentAdmin(_ProvinceOnly):
    list_display = ("number", "kind", "title", "valid_from", "valid_to", "confirmed")
    list_filter = ("kind", "confirmed")
    search_fields = ("number", "title")


@admin.register(FormSet)
class FormSetAdmin(_ProvinceOnly):
    list_display = ("name", "basis", "governing", "valid_from", "valid_to")
