"""The province's indices and the dashboards' alerts.

- ``DtiIndicator``: the yearly indicator tree of the digital transformation index (DTI, chỉ số
  chuyển đổi số cấp tỉnh; Decision 922/QĐ-BTTTT of 2022 sets the indicator sets): three pillars
  (digital government, digital economy, digital society) over 1 000 points, their main and
  component indices with their maximum points. Data per year: a new year's tree is entered, not coded.
- ``DtiInput``: the province's self-assessed points for a leaf indicator, with its evidence file.
- ``PublishedScore``: a yearly published score (DTI, PAR INDEX, SIPAS, PAPI, PCI) with rank and source.
- ``AlertRule`` and ``Alert``: the dashboards' alert thresholds (data) and the alerts raised, once
  per rule, subject and period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency


@audited
class DtiIndicator(models.Model):
    """Chỉ số (trụ cột, chỉ số chính, chỉ số thành phần) of one year's DTI tree."""

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    parent = models.ForeignKey("self", verbose_name=_("parent indicator"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    feeds = models.CharField(_("platform figure feeding it"), max_length=200, blank=True,
                             help_text=_("The platform's own figure the province reports for it, if any"))

    class Meta:
        ordering = ["year", "order", "code"]
        verbose_name = _("DTI indicator")
        verbose_name_plural = _("DTI indicators")
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="dashboards_dti_year_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def _evidence_path(instance: DtiInput, filename: str) -> str:
    return f"dashboards/dti/{instance.indicator.year}/{instance.indicator.code}/{filename}"


@audited
class DtiInput(models.Model):
    """Số liệu tự đánh giá: the province's points for a leaf indicator, with evidence (minh chứng)."""

    indicator = models.OneToOneField(DtiIndicator, on_delete=models.CASCADE, related_name="input",
                                     verbose_name=_("indicator"))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    note = models.TextField(_("explanation"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, blank=True, max_length=300)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("DTI input")
        verbose_name_plural = _("DTI inputs")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.points}"


class IndexKind(models.TextChoices):
    DTI = "dti", _("DTI – digital transformation index")
    PAR = "par", _("PAR INDEX – administrative reform index")
    SIPAS = "sipas", _("SIPAS – satisfaction with public administrative services")
    PAPI = "papi", _("PAPI – provincial governance and public administration performance")
    PCI = "pci", _("PCI – provincial competitiveness index")


@audited
class PublishedScore(models.Model):
    """A yearly published score of the province, as the publishing body announced it."""

    kind = models.CharField(_("index"), max_length=10, choices=IndexKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    ranked_among = models.PositiveSmallIntegerField(_("ranked among"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500,
                              help_text=_("The decision or report that published it, with its date or address"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "year"]
        verbose_name = _("published index score")
        verbose_name_plural = _("published index scores")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="dashboards_score_kind_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"


class AlertKind(models.TextChoices):
    ON_TIME_BELOW = "on_time_below", _("An agency's on-time rate falls below the threshold (%)")
    ON_TIME_DROP = "on_time_drop", _("An agency's on-time rate falls by at least the threshold (points) from the previous month")
    OVERDUE_RISE = "overdue_rise", _("An official's overdue tasks rise by at least the threshold from the previous month")


@audited
class AlertRule(models.Model):
    """An alert threshold (data, kept by the province's IT department)."""

    kind = models.CharField(_("condition"), max_length=20, choices=AlertKind.choices, unique=True)
    threshold = models.DecimalField(_("threshold"), max_digits=6, decimal_places=1)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.threshold}"


class Alert(models.Model):
    """An alert raised: once per rule, subject (an agency or an official) and month."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    subject = models.CharField(max_length=40)  # "agency:12" or "official:34": what the condition is about
    period = models.CharField(max_length=10)  # the month, "2026-11"
    message = models.CharField(max_length=500)
    value = models.DecimalField(max_digits=8, decimal_places=1)
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["rule", "subject", "period"], name="dashboards_alert_once")]

    def __str__(self) -> str:
        return self.message
