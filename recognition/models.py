"""Đánh giá, công nhận: the e-agency criteria sets and the agencies' assessments against them
(self-assessment → appraisal → council decision → publication), and the officials' periodic
task-completion assessment (self-assessment → unit head → leader). Decision 0040.

The criteria, their points and the metric each automatic one reads are data (a new year's set is
entered, not coded); the transitions are written once in ``recognition.policy``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency, OrgUnit


class Level(models.TextChoices):
    AGENCY = "agency", _("Agency (department, district-level body)")
    COMMUNE = "commune", _("Commune, ward")


class CriterionKind(models.TextChoices):
    AUTOMATIC = "automatic", _("Scored automatically from the platform's data")
    EVIDENCE = "evidence", _("Scored from evidence uploaded by the agency")


@audited
class CriteriaSet(models.Model):
    """Bộ tiêu chí cơ quan điện tử of one year and level, kept by the province's IT department."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    title = models.CharField(_("title"), max_length=255)
    pass_points = models.DecimalField(_("points needed for recognition"), max_digits=6, decimal_places=2, default=0)

    class Meta:
        ordering = ["-year", "level"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        constraints = [models.UniqueConstraint(fields=["year", "level"], name="recognition_set_year_level")]

    def __str__(self) -> str:
        return self.title

    @property
    def max_points(self):
        return sum((c.points for c in self.criteria.all()), 0)


@audited
class Criterion(models.Model):
    """Tiêu chí: automatic (a metric of ``recognition.metrics``) or from evidence.

    An automatic criterion earns ``points × min(1, value / target)``: full points when the share
    reaches the target (both in percent)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    guidance = models.TextField(_("guidance"), blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=10, choices=CriterionKind.choices)
    metric = models.CharField(_("metric"), max_length=40, blank=True)
    target = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2, default=100)

    class Meta:
        ordering = ["criteria_set", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="recognition_criterion_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .metrics import METRICS

        if self.kind == CriterionKind.AUTOMATIC and self.metric not in METRICS:
            raise ValidationError({"metric": _("Choose a metric the platform computes.")})
        if self.kind == CriterionKind.EVIDENCE and self.metric:
            raise ValidationError({"metric": _("A criterion scored from evidence has no metric.")})
        if self.target is not None and self.target <= 0:
            raise ValidationError({"target": _("The target must be above zero.")})


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Self-assessment in progress")
    SUBMITTED = "submitted", _("Submitted for appraisal")
    APPRAISED = "appraised", _("Appraised, waiting for the council")
    DECIDED = "decided", _("Decided by the council")
    PUBLISHED = "published", _("Published")


@audited
class AgencyAssessment(models.Model):
    """Hồ sơ tự đánh giá cơ quan điện tử of one agency against one criteria set (one per year)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(_("state"), max_length=10, choices=AssessmentState.choices,
                             default=AssessmentState.DRAFT)
    statement = models.TextField(_("statement"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    appraised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    appraised_at = models.DateTimeField(null=True, blank=True)
    appraisal_comment = models.TextField(_("appraisal comment"), blank=True)
    recognised = models.BooleanField(_("recognised"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-criteria_set__year", "agency__name"]
        verbose_name = _("e-agency assessment")
        verbose_name_plural = _("e-agency assessments")
        constraints = [models.UniqueConstraint(fields=["agency", "criteria_set"], name="recognition_one_per_set")]

    def __str__(self) -> str:
        return f"{self.agency} – {self.criteria_set}"

    @property
    def self_total(self):
        return sum((s.self_points or 0 for s in self.scores.all()), 0)

    @property
    def appraised_total(self):
        return sum((s.final_points or 0 for s in self.scores.all()), 0)


@audited
class CriterionScore(models.Model):
    """One criterion's line of an assessment: the computed value, the agency's points and
    statement, the appraiser's adjusted points and comment."""

    assessment = models.ForeignKey(AgencyAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("computed value (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    missing = models.CharField(_("data missing"), max_length=255, blank=True)
    self_points = models.DecimalField(_("self-assessed points"), max_digits=6, decimal_places=2, null=True,
                                      blank=True)
    statement = models.TextField(_("statement"), blank=True)
    appraised_points = models.DecimalField(_("appraised points"), max_digits=6, decimal_places=2, null=True,
                                           blank=True)
    appraisal_comment = models.TextField(_("appraisal comment"), blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="recognition_one_score")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.criterion_id}"

    @property
    def final_points(self):
        return self.appraised_points if self.appraised_points is not None else self.self_points


@audited
class Evidence(models.Model):
    """Minh chứng: a file the agency attaches to a criterion's line."""

    score = models.ForeignKey(CriterionScore, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="recognition/evidence/%Y/")
    name = models.CharField(_("name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


# --- officials' task-completion assessment ---------------------------------------------------------


class Rating(models.TextChoices):
    """The four levels of Decree 90/2020/NĐ-CP (as amended by Decree 48/2023/NĐ-CP) on assessing and
    classifying cadres, civil servants and public employees."""

    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class OfficialState(models.TextChoices):
    DRAFT = "draft", _("Self-assessment in progress")
    SELF_ASSESSED = "self_assessed", _("Waiting for the unit head")
    REVIEWED = "reviewed", _("Waiting for the leader")
    DECIDED = "decided", _("Rated by the leader")


@audited
class OfficialAssessment(models.Model):
    """Phiếu đánh giá mức độ hoàn thành nhiệm vụ of one official for a month or a quarter. The
    figures (a snapshot of their work taken at each step) are evidence; the ratings are people's."""

    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("official"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("month or quarter"))
    state = models.CharField(_("state"), max_length=15, choices=OfficialState.choices, default=OfficialState.DRAFT)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    self_rating = models.CharField(_("self-assessed rating"), max_length=15, choices=Rating.choices, blank=True)
    self_comment = models.TextField(_("self-assessment"), blank=True)
    self_at = models.DateTimeField(null=True, blank=True)
    unit_head = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    unit_rating = models.CharField(_("unit head's rating"), max_length=15, choices=Rating.choices, blank=True)
    unit_comment = models.TextField(_("unit head's comment"), blank=True)
    unit_at = models.DateTimeField(null=True, blank=True)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    leader_rating = models.CharField(_("leader's rating"), max_length=15, choices=Rating.choices, blank=True)
    leader_comment = models.TextField(_("leader's comment"), blank=True)
    leader_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-number", "official_id"]
        verbose_name = _("task-completion assessment")
        verbose_name_plural = _("task-completion assessments")
        constraints = [models.UniqueConstraint(fields=["official", "agency", "period_kind", "year", "number"],
                                               name="recognition_one_assessment_per_period")]

    def __str__(self) -> str:
        return f"{self.official} {self.period_kind} {self.number}/{self.year}"

    @property
    def period(self):
        from workdays.report_periods import Period

        if self.period_kind == PeriodKind.MONTH:
            return Period.month(self.year, self.number)
        return Period.quarter(self.year, self.number)
