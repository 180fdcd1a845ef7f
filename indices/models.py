"""Decision 766/QĐ-TTg indices (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân,
doanh nghiệp): the indicator tree as data per year, and the daily roll-ups the indices are counted from.

A new year's rules are a new :class:`IndexSet` with its groups and indicators (entered in the admin or
loaded by ``indices.catalog``), never code: an indicator names a formula of the registry
(``indices.formulas.FORMULAS``) and gives it parameters. ADR 0038.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited


@audited
class IndexSet(models.Model):
    """The rules in force from a day: the six groups and their indicators (Decision 766/QĐ-TTg)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    valid_from = models.DateField(_("valid from"))
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("index set")
        verbose_name_plural = _("index sets")

    def __str__(self) -> str:
        return self.name


@audited
class Group(models.Model):
    """Nhóm chỉ số: one of the six groups, with its maximum points."""

    index_set = models.ForeignKey(IndexSet, on_delete=models.CASCADE, related_name="groups")
    code = models.PositiveSmallIntegerField(_("code"))
    name = models.CharField(_("name"), max_length=255)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["index_set", "code"]
        verbose_name = _("index group")
        verbose_name_plural = _("index groups")
        constraints = [models.UniqueConstraint(fields=["index_set", "code"], name="indices_group_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


@audited
class Indicator(models.Model):
    """Chỉ số thành phần: computed by a formula of the registry with its parameters."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=10)  # "2.1"
    name = models.CharField(_("name"), max_length=255)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    formula = models.CharField(_("formula"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="indices_indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .formulas import FORMULAS

        if self.formula not in FORMULAS:
            raise ValidationError({"formula": _("Unknown formula.")})


class Counts(models.Model):
    """The counts the formulas need (``indices.rollups.COUNTS``), per settling agency, receiving centre and
    procedure."""

    agency = models.ForeignKey("directory.Agency", on_delete=models.CASCADE, related_name="+")
    receiving_centre = models.ForeignKey("directory.ServiceCentre", null=True, blank=True,
                                         on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_coded = models.PositiveIntegerField(default=0)
    received_paper = models.PositiveIntegerField(default=0)
    paper_digitised = models.PositiveIntegerField(default=0)
    payable = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    settled = models.PositiveIntegerField(default=0)
    settled_on_time = models.PositiveIntegerField(default=0)
    settled_late = models.PositiveIntegerField(default=0)
    settled_electronic = models.PositiveIntegerField(default=0)
    reused_online = models.PositiveIntegerField(default=0)  # received online, reusing a paper or datum (ADR 0044)

    class Meta:
        abstract = True


class DailyCount(Counts):
    """Roll-up (số liệu tổng hợp theo ngày) of one local calendar day; each count sits on the day of the
    moment that makes it (received on the day of receipt, settled on the day the result was ready).
    Rebuilt, never edited: ``indices.rollups``."""

    day = models.DateField()

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        indexes = [models.Index(fields=["day", "agency"], name="indices_daily_day_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.receiving_centre_id}/{self.procedure_id} {self.day}"


class MonthlyCount(Counts):
    """The daily roll-ups of a calendar month summed (``month``: its first day), rebuilt with them: a
    month, a quarter or a year reads a few rows per agency and procedure instead of one per day."""

    month = models.DateField()

    class Meta:
        verbose_name = _("monthly count")
        verbose_name_plural = _("monthly counts")
        indexes = [models.Index(fields=["month", "agency"], name="indices_monthly_month_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.receiving_centre_id}/{self.procedure_id} {self.month:%m/%Y}"


class RollupState(models.Model):
    """When the roll-ups were last refreshed: the next refresh also redoes the days of dossiers changed since."""

    name = models.CharField(max_length=20, unique=True)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.refreshed_at:%Y-%m-%d %H:%M}"
