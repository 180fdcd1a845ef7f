from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from audit.services import record_read
from directory.access import manages_province
from directory.scope import Action, scope_of

from .models import PortalProfile, User


def _manages_something(user) -> bool:
    return user.is_active and (user.is_superuser or not scope_of(user, Action.MANAGE).empty)


# Entry to the admin follows the directory scope, not Django's is_staff flag.
admin.site.has_permission = lambda request: _manages_something(request.user)  # type: ignore[method-assign]


class PortalProfileInline(admin.StackedInline):
    model = PortalProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Agency administrators see officials (to place them in their agency); only the province
    administrator sees citizens' accounts, and each opening of one is audited."""

    list_display = ("username", "full_name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("username", "full_name")
    inlines = [PortalProfileInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "email_verified", "kind")}),
        (_("Status"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "kind", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if manages_province(request.user) else queryset.filter(kind=User.Kind.OFFICIAL)

    def has_module_permission(self, request):
        return _manages_something(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is not None and obj.kind != User.Kind.OFFICIAL:
            return manages_province(request.user)
        return _manages_something(request.user)

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return manages_province(request.user) or (
            _manages_something(request.user) and (obj is None or obj.kind == User.Kind.OFFICIAL)
        )

    def has_delete_permission(self, request, obj=None):
        return manages_province(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        profile = PortalProfile.objects.filter(user_id=object_id).first()
        if profile is not None and response.status_code == 200:
            record_read(obj=profile, fields=list(PortalProfile.PERSONAL_FIELDS))
        return response
