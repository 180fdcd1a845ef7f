from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from directory.access import manages_province

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The province administrator issues and revokes tokens; the token itself is shown once,
    on the page right after it is made, and never again."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username", "user__full_name")
    raw_id_fields = ("user",)
    fields = ("user", "name", "expires_at", "prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_module_permission(self, request):
        return manages_province(request.user)

    def has_view_permission(self, request, obj=None):
        return manages_province(request.user)

    def has_add_permission(self, request):
        return manages_province(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # a token is made and revoked, never edited

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay, for the record

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        token, raw = services.create_token(user=obj.user, name=obj.name, expires_at=obj.expires_at,
                                           created_by=request.user)
        obj.pk, obj.prefix, obj.created_at, obj._state.adding = token.pk, token.prefix, token.created_at, False
        obj._raw_token = raw

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form
        model_clean = form.clean

        def clean(form_self):
            data = model_clean(form_self)
            try:
                services.check_new_token(user=data.get("user"), name=data.get("name", ""),
                                         expires_at=data.get("expires_at"))
            except ValidationError as refused:
                for field, messages_ in refused.message_dict.items():
                    for message in messages_:
                        form_self.add_error(field if field in form_self.fields else None, message)
            return data

        form.clean = clean
        return form

    def response_add(self, request, obj, post_url_continue=None):
        response = TemplateResponse(request, "admin/api/apitoken/created.html", {
            **self.admin_site.each_context(request), "token": obj, "raw_token": obj._raw_token,
            "opts": self.opts, "title": _("API token created"),
        })
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke_token(token=token)
        self.message_user(request, _("The selected tokens are revoked."))
