from django.contrib import admin

from .models import BatchSigning, Certificate, SignatureRecord, SigningKey


class SigningKeyInline(admin.StackedInline):
    model = SigningKey
    extra = 0


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("common_name", "kind", "serial", "not_after", "status", "expires_soon_flag")
    list_filter = ("kind", "status")
    search_fields = ("common_name", "serial", "subject")
    readonly_fields = ("subject", "issuer", "serial", "fingerprint", "not_before", "not_after", "chain_pem")
    exclude = ("der",)
    inlines = [SigningKeyInline]

    @admin.display(boolean=True, description="expires soon")
    def expires_soon_flag(self, obj):
        return obj.expires_soon()


@admin.register(SignatureRecord)
class SignatureRecordAdmin(admin.ModelAdmin):
    list_display = ("field_name", "certificate", "signer", "signed_at")
    readonly_fields = [f.name for f in SignatureRecord._meta.fields]


@admin.register(BatchSigning)
class BatchSigningAdmin(admin.ModelAdmin):
    list_display = ("pk", "created_by", "status", "total", "done", "failed", "created_at")
