"""IT investment planning (kế hoạch ứng dụng công nghệ thông tin, chuyển đổi số): the five-year and
yearly plans of the province and of its agencies, the projects and recurrent IT spending in them,
their budgets by source and year, phases and disbursements, and the inventory of IT assets with
the alerts sent before an asset expires.

The regulation followed is Decree 73/2019/NĐ-CP on managing IT investment with state budget funds,
as amended by Decree 82/2024/NĐ-CP (decision 0036). Who may change and read these rows is decided
in ``itplanning.policy``; the doors that change them are in ``itplanning.services``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency


class ComponentCategory(models.Model):
    """A layer of the national e-government architecture framework version 3.0 (Decision
    2568/QĐ-BTTTT): business, data, application, technology, security. Data, so a later
    framework adds or renames layers without code."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("architecture layer")
        verbose_name_plural = _("architecture layers")

    def __str__(self) -> str:
        return self.name


class SystemKind(models.Model):
    """Loại hệ thống: what kind of system a project builds (document management, one-stop, GIS,
    data centre…). Two agencies planning the same kind over the same time are flagged."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("system kind")
        verbose_name_plural = _("system kinds")

    def __str__(self) -> str:
        return self.name


class AlertThreshold(models.Model):
    """How many days before an asset expires its owner is told (90, 30 and 7 by default)."""

    days = models.PositiveSmallIntegerField(_("days before expiry"), unique=True)

    class Meta:
        ordering = ["-days"]
        verbose_name = _("expiry alert threshold")
        verbose_name_plural = _("expiry alert thresholds")

    def __str__(self) -> str:
        return str(self.days)


class PlanKind(models.TextChoices):
    FIVE_YEAR = "five_year", _("five-year plan")
    YEARLY = "yearly", _("yearly plan")


class PlanLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    AGENCY = "agency", _("agency")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


@audited
class Plan(models.Model):
    """Kế hoạch ứng dụng CNTT / chuyển đổi số: of the province (owned by the provincial People's
    Committee) or of one agency, over five years or one year."""

    title = models.CharField(_("plan title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=PlanLevel.choices, default=PlanLevel.AGENCY)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="it_plans", verbose_name=_("agency"))
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="yearly_plans",
                               verbose_name=_("five-year plan"))
    objectives = models.TextField(_("objectives"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    decision_number = models.CharField(_("approval decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("approval decision date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_year", "level", "agency__name", "kind"]
        verbose_name = _("IT plan")
        verbose_name_plural = _("IT plans")
        constraints = [models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")),
                                              name="itplan_period_ordered")]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return str(self.start_year) if self.start_year == self.end_year else f"{self.start_year}–{self.end_year}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, 1, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.end_year, 12, 31)


class ProjectKind(models.TextChoices):
    # Decree 73/2019 art. 3 and chapters II–III: an investment project (dự án đầu tư, development
    # investment funds) or recurrent spending (kinh phí chi thường xuyên) to buy, upgrade or hire.
    INVESTMENT = "investment", _("investment project")
    RECURRENT = "recurrent", _("recurrent IT spending")


@audited
class Project(models.Model):
    """Dự án / nhiệm vụ ứng dụng CNTT in a plan, carried out by one agency (chủ đầu tư or đơn vị
    sử dụng ngân sách) over a period of dates."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="projects", verbose_name=_("plan"))
    name = models.CharField(_("name"), max_length=300)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="it_projects",
                               verbose_name=_("responsible agency"))
    responsible_unit = models.CharField(_("responsible unit"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ProjectKind.choices)
    system_kind = models.ForeignKey(SystemKind, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="projects", verbose_name=_("system kind"))
    objectives = models.TextField(_("objectives"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "starts_on", "name"]
        verbose_name = _("IT project")
        verbose_name_plural = _("IT projects")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="itproject_period_ordered")]

    def __str__(self) -> str:
        return self.name


class ComponentRole(models.TextChoices):
    BUILDS = "builds", _("builds")
    USES = "uses", _("uses")


@audited
class ProjectComponent(models.Model):
    """An architecture component the project builds or uses, in a layer of the framework."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="components")
    category = models.ForeignKey(ComponentCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("architecture layer"))
    role = models.CharField(_("role"), max_length=10, choices=ComponentRole.choices, default=ComponentRole.BUILDS)
    description = models.CharField(_("component"), max_length=300)

    class Meta:
        ordering = ["category__order", "id"]

    def __str__(self) -> str:
        return self.description


class Source(models.TextChoices):
    CENTRAL = "central", _("central budget")
    PROVINCIAL = "provincial", _("provincial budget")
    ODA = "oda", _("ODA")
    OTHER = "other", _("other sources")


@audited
class BudgetLine(models.Model):
    """The amount planned for a project from one source in one year (đồng)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(_("funding source"), max_length=12, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (đồng)"), max_digits=18, decimal_places=0)  # whole đồng

    class Meta:
        ordering = ["year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source", "year"], name="itbudget_once_per_source_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="itbudget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.source} {self.year}: {self.amount}"


class Stage(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    APPROVAL = "approval", _("approval")
    PROCUREMENT = "procurement", _("procurement")
    IMPLEMENTATION = "implementation", _("implementation")
    ACCEPTANCE = "acceptance", _("acceptance")
    OPERATION = "operation", _("operation")


STAGE_ORDER = {value: index for index, value in enumerate(Stage.values)}


@audited
class Phase(models.Model):
    """A phase of a project with its planned and actual dates."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    stage = models.CharField(_("phase"), max_length=16, choices=Stage.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="itphase_once_per_stage")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.stage}"

    @property
    def order(self) -> int:
        return STAGE_ORDER[self.stage]

    @property
    def state(self) -> str:
        if self.actual_end:
            return "done"
        if self.actual_start:
            return "running"
        return "planned"


@audited
class Disbursement(models.Model):
    """Giải ngân: an amount paid out for a project from one source, with its evidence (the payment
    order or the treasury's confirmation)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="disbursements")
    source = models.CharField(_("funding source"), max_length=12, choices=Source.choices)
    amount = models.DecimalField(_("amount (đồng)"), max_digits=18, decimal_places=0)  # whole đồng
    disbursed_on = models.DateField(_("date"))
    evidence = models.CharField(_("evidence"), max_length=300,
                                help_text=_("The payment order or treasury document, with its number and date."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["disbursed_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="itdisbursement_positive")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.disbursed_on}: {self.amount}"

    @property
    def year(self) -> int:
        return self.disbursed_on.year


class AssetKind(models.TextChoices):
    SERVER = "server", _("server")
    NETWORK = "network", _("network device")
    SOFTWARE = "software", _("software")
    LICENCE = "licence", _("licence")
    CERTIFICATE = "certificate", _("certificate")
    SERVICE = "service", _("hired IT service")


@audited
class Asset(models.Model):
    """Tài sản, hệ thống CNTT: equipment, software, a licence, a certificate or a hired service,
    owned by an agency, perhaps bought by a project, perhaps with an expiry date."""

    kind = models.CharField(_("kind"), max_length=12, choices=AssetKind.choices)
    name = models.CharField(_("name"), max_length=300)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="it_assets",
                               verbose_name=_("owner agency"))
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="assets",
                                verbose_name=_("project"))
    identifier = models.CharField(_("serial or identifier"), max_length=200, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    supplier = models.CharField(_("supplier"), max_length=255, blank=True)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    # A certificate of the signing app listed here (read-only copy of its dates; decision 0036).
    signing_certificate = models.OneToOneField("signing.Certificate", on_delete=models.SET_NULL, null=True,
                                               blank=True, related_name="+")

    class Meta:
        ordering = ["agency__name", "kind", "name"]
        verbose_name = _("IT asset")
        verbose_name_plural = _("IT assets")

    def __str__(self) -> str:
        return self.name

    def days_left(self, today: dt.date) -> int | None:
        return None if self.expires_on is None else (self.expires_on - today).days


class AssetAlert(models.Model):
    """That the owner was told an asset expires within ``threshold_days``: one row per asset,
    threshold and expiry date, so a renewed asset (a new expiry date) is alerted again."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="alerts")
    threshold_days = models.PositiveSmallIntegerField()
    expires_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["asset", "threshold_days", "expires_on"],
                                               name="itasset_alert_once")]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.threshold_days}d {self.expires_on}"


ZERO = Decimal(0)
