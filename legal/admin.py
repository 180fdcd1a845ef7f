from django.contrib import admin

from directory.access import manages_province

from .models import FormSet, LegalDocument


class _ProvinceOnly(admin.ModelAdmin):
    """The legal bases are the province's data, kept by its administrator."""

    def has_module_permission(self, request) -> bool:
        return manages_province(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return manages_province(request.user)

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None) -> bool:
        return manages_province(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # dossiers refer to them: a text stops applying by its end date


@admin.register(LegalDocument)
class LegalDocumentAdmin(_ProvinceOnly):
    list_display = ("number", "kind", "title", "valid_from", "valid_to", "confirmed")
    list_filter = ("kind", "confirmed")
    search_fields = ("number", "title")


@admin.register(FormSet)
class FormSetAdmin(_ProvinceOnly):
    list_display = ("name", "basis", "governing", "valid_from", "valid_to")
