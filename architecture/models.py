"""The province's e-government architecture as data (kiến trúc chính quyền điện tử, framework v3.0 of
Decision 2568/QĐ-BTTTT, 2023): components on five layers, the connections between them, and published
versions frozen as JSON so that history is kept and two versions can be compared."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency


class Layer(models.TextChoices):
    """The layers of framework v3.0, in the order the framework draws them (top to bottom)."""

    BUSINESS = "business", _("Business services")
    DATA = "data", _("Data")
    APPLICATION = "application", _("Applications")
    TECHNOLOGY = "technology", _("Technology")
    SECURITY = "security", _("Security")


class Kind(models.TextChoices):
    BUSINESS_SERVICE = "business_service", _("business service")
    MODULE = "module", _("module of this platform")
    AGENCY_SYSTEM = "agency_system", _("an agency's system")
    NATIONAL_SYSTEM = "national_system", _("national system")
    EXTERNAL_SERVICE = "external_service", _("outside service")
    CLIENT_GROUP = "client_group", _("API clients")
    DATA_STORE = "data_store", _("data store")
    INFRASTRUCTURE = "infrastructure", _("infrastructure")
    SECURITY_SERVICE = "security_service", _("security service")


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_OPERATION = "in_operation", _("in operation")
    RETIRED = "retired", _("retired")


class FlowDirection(models.TextChoices):
    ONE_WAY = "one_way", _("one way (from → to)")
    TWO_WAY = "two_way", _("both ways")


@audited
class Component(models.Model):
    """A system, module, platform or service of the architecture (thành phần kiến trúc).

    Components ``generated`` from the platform's configuration carry a stable ``key`` and are
    rewritten by every synchronisation (architecture.services.synchronise); hand-entered ones
    (no key) are never touched by it."""

    layer = models.CharField(_("layer"), max_length=20, choices=Layer.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    group = models.CharField(_("subsystem"), max_length=100, blank=True,
                             help_text=_("The subsystem it belongs to, e.g. one-stop or e-office"))
    owner = models.ForeignKey(Agency, verbose_name=_("owner agency"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_OPERATION)
    description = models.TextField(_("description"), blank=True)
    generated = models.BooleanField(_("generated from configuration"), default=False, editable=False)
    key = models.CharField(_("key"), max_length=200, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["layer", "group", "name", "id"]
        verbose_name = _("architecture component")
        verbose_name_plural = _("architecture components")
        constraints = [models.UniqueConstraint(fields=["key"], condition=~Q(key=""),
                                               name="architecture_component_key_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def snapshot_key(self) -> str:
        return self.key or f"id:{self.pk}"


@audited
class Connection(models.Model):
    """A connection and the data that flows along it (kết nối, luồng dữ liệu)."""

    source = models.ForeignKey(Component, verbose_name=_("from"), on_delete=models.CASCADE,
                               related_name="outgoing")
    target = models.ForeignKey(Component, verbose_name=_("to"), on_delete=models.CASCADE,
                               related_name="incoming")
    protocol = models.CharField(_("protocol"), max_length=200, blank=True)
    data_flow = models.TextField(_("data flow"), blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=FlowDirection.choices,
                                 default=FlowDirection.ONE_WAY)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_OPERATION)
    generated = models.BooleanField(_("generated from configuration"), default=False, editable=False)
    key = models.CharField(_("key"), max_length=420, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["source__name", "target__name", "id"]
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        constraints = [models.UniqueConstraint(fields=["key"], condition=~Q(key=""),
                                               name="architecture_connection_key_once")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    @property
    def snapshot_key(self) -> str:
        return self.key or f"id:{self.pk}"


@audited
class ArchitectureVersion(models.Model):
    """A published version (phiên bản kiến trúc): the components and connections frozen as JSON."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("architecture version")
        verbose_name_plural = _("architecture versions")

    def __str__(self) -> str:
        return f"{self.number}"
