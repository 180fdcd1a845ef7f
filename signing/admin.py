"""Certificates and signatures in the admin, within the directory scope (MANAGE): the province
administrator sees every certificate, an agency administrator their agency's seal and the
personal certificates of their agency's officials; signatures and batches are the province's
record, read only."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.admin import ReadOnlyProvinceAdmin, ScopedAdmin
from directory.models import Membership
from directory.scope import Action, scope_of

from .models import BatchSigning, Certificate, SignatureRecord, SigningKey


def _certificates_in_scope(user, queryset):
    scope = scope_of(user, Action.MANAGE)
    if scope.everything:
        return queryset
    if scope.empty:
        return queryset.none()
    officials = Membership.objects.valid_on().filter(agency_id__in=scope.agency_ids).values("official_id")
    return queryset.filter(Q(agency_id__in=scope.agency_ids) | Q(holder_id__in=officials))


class SigningKeyInline(admin.StackedInline):
    model = SigningKey
    extra = 0

    # Whoever may change the certificate may change where its key lives.
    def has_view_permission(self, request, obj=None):
        return self.admin_site._registry[Certificate].has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.admin_site._registry[Certificate].has_change_permission(request, obj)

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Certificate)
class CertificateAdmin(ScopedAdmin):
    list_display = ("common_name", "kind", "serial", "not_after", "status", "expires_soon_flag")
    list_filter = ("kind", "status")
    search_fields = ("common_name", "serial", "subject")
    # What the CA wrote into the certificate, and to whom it was issued, is not edited here.
    readonly_fields = ("kind", "holder", "agency", "common_name", "subject", "issuer", "serial", "fingerprint",
                       "not_before", "not_after", "chain_pem", "imported_at", "expiry_warned_at")
    exclude = ("der",)
    inlines = [SigningKeyInline]

    def get_queryset(self, request):
        return _certificates_in_scope(request.user, admin.ModelAdmin.get_queryset(self, request))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False  # certificates come from the CA's file (signing.certificates.import_certificate)

    def has_delete_permission(self, request, obj=None):
        return False  # signatures made with it point at it; revoke or suspend instead

    @admin.display(boolean=True, description=_("expires soon"))
    def expires_soon_flag(self, obj):
        return obj.expires_soon()


@admin.register(SignatureRecord)
class SignatureRecordAdmin(ReadOnlyProvinceAdmin):
    list_display = ("field_name", "certificate", "signer", "signed_at")
    readonly_fields = [f.name for f in SignatureRecord._meta.fields]


@admin.register(BatchSigning)
class BatchSigningAdmin(ReadOnlyProvinceAdmin):
    list_display = ("pk", "created_by", "status", "total", "done", "failed", "created_at")
