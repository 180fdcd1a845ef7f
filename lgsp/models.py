"""The provincial integration platform (LGSP, nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh): the
agency systems that connect as OAuth 2.0 clients, the log of their calls, and the shared
categories (danh mục dùng chung) the platform keeps itself."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.registry import audited
from directory.models import Agency

from .scopes import SCOPES


class ClientStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("lgsp client", "active")
    SUSPENDED = "suspended", pgettext_lazy("lgsp client", "suspended")
    REVOKED = "revoked", pgettext_lazy("lgsp client", "revoked")


def parse_networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """One address or network (CIDR) per line or separated by commas; raises ValueError."""
    items = [item.strip() for item in text.replace(",", "\n").splitlines() if item.strip()]
    return [ipaddress.ip_network(item, strict=False) for item in items]


@audited
class Client(models.Model):
    """Hệ thống kết nối: an agency's system (a hospital's, a sector's software, a commune's tool)
    calling the platform with OAuth 2.0 client credentials. Its id and secret live in the OAuth
    application; this row holds what the province decided: owner, scopes, quotas, addresses, status."""

    application = models.OneToOneField("oauth2_provider.Application", on_delete=models.CASCADE,
                                       related_name="lgsp_client", editable=False)
    agency = models.ForeignKey(Agency, verbose_name=_("owning agency"), on_delete=models.PROTECT,
                               related_name="lgsp_clients")
    name = models.CharField(pgettext_lazy("lgsp client", "system name"), max_length=200)
    scopes = models.JSONField(_("scopes"), default=list)
    per_minute = models.PositiveIntegerField(_("calls per minute"), default=60)
    per_day = models.PositiveIntegerField(_("calls per day"), default=10_000)
    allowed_ips = models.TextField(_("allowed addresses"), blank=True,
                                   help_text=_("One address or network (CIDR) per line; empty: any address"))
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acts as account"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("For the /api/v1 scopes: the account whose reach the system reads with"))
    status = models.CharField(pgettext_lazy("lgsp client", "status"), max_length=10, choices=ClientStatus.choices,
                              default=ClientStatus.ACTIVE)
    sandbox = models.BooleanField(_("sandbox client"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    secret_rotated_at = models.DateTimeField(_("secret changed at"), null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["agency__code", "name"]
        verbose_name = _("client system")
        verbose_name_plural = _("client systems")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_agency_id(self) -> int | None:
        return self.agency_id

    @property
    def client_id(self) -> str:
        return self.application.client_id

    @property
    def is_active(self) -> bool:
        return self.status == ClientStatus.ACTIVE

    def clean(self) -> None:
        errors: dict[str, object] = {}
        unknown = [scope for scope in self.scopes if scope not in SCOPES]
        if unknown:
            errors["scopes"] = _("Unknown scopes: %(s)s") % {"s": ", ".join(unknown)}
        try:
            parse_networks(self.allowed_ips)
        except ValueError:
            errors["allowed_ips"] = _("Write one address or network (for example 10.1.2.0/24) per line.")
        if self.per_minute < 1 or self.per_day < 1:
            errors["per_day"] = _("A quota is at least one call.")
        if errors:
            raise ValidationError(errors)

    def address_allowed(self, address: str | None) -> bool:
        if not self.allowed_ips.strip():
            return True
        if not address:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in parse_networks(self.allowed_ips))


class CallLog(models.Model):
    """Nhật ký gọi dịch vụ: one row per call of a client, written once and never changed. Holds no
    personal data: the service (category or API resource), never the rest of the path or a
    query's values; sizes, status and time taken."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="calls", db_index=False)
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=7)
    service = models.CharField(max_length=80)
    status = models.PositiveSmallIntegerField()
    request_bytes = models.PositiveIntegerField(default=0)
    response_bytes = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    lgsp_code = models.PositiveSmallIntegerField(null=True, blank=True)  # 100, 101… when refused

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["client", "-at"], name="lgsp_call_client_at"),
                   models.Index(fields=["-at"], name="lgsp_call_at")]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return f"{self.method} {self.service} {self.status}"


@audited
class CategoryRow(models.Model):
    """A row of a shared category the platform keeps itself (ethnic groups, religions, nationalities,
    sex, marital status). A row is never edited into another: it ends (``valid_to``) and a new one
    begins, so a record of 2020 still finds the name it was given."""

    category = models.CharField(max_length=40, db_index=True)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(pgettext_lazy("category row", "name"), max_length=200)
    extra = models.JSONField(default=dict, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    added_by = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["category", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], condition=Q(valid_to__isnull=True),
                                               name="lgsp_row_code_in_force")]
        verbose_name = _("category row")
        verbose_name_plural = _("category rows")

    def __str__(self) -> str:
        return f"{self.category} {self.code} {self.name}"


class CategoryVersion(models.Model):
    """The version of a category: one more at every change of its rows, whoever made it."""

    category = models.CharField(max_length=40, unique=True)
    version = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.category} v{self.version}"
