"""The catalog of administrative procedures (thủ tục hành chính), versioned.

A dossier always points to the exact version it was submitted under; a published version is
never edited — a change is a new version (services.new_version), so what a citizen applied for
stays what it was.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency
from workdays.periods import LimitKind, TimeLimit
from workdays.periods import describe as describe_limit


@audited
class ProcedureField(models.Model):
    """Lĩnh vực: the field a procedure belongs to (civil status, construction, land...)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name


@audited
class Procedure(models.Model):
    """One procedure across its versions; ``current`` is the version citizens apply for now."""

    code = models.CharField(_("procedure code"), max_length=40, unique=True)
    current = models.OneToOneField(
        "ProcedureVersion", verbose_name=_("current version"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    search_key = models.TextField(_("search key"), blank=True, editable=False)
    active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        current = self.current
        return f"{self.code} {current.name if current is not None else ''}".strip()


class Kind(models.TextChoices):
    """Decree 42/2022/NĐ-CP: full online (old level 4) or partial (old level 3)."""

    FULL = "full", _("full online (toàn trình)")
    PARTIAL = "partial", _("partial online (một phần)")


class Level(models.TextChoices):
    """Cấp thực hiện: which level of government settles the procedure."""

    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    COMMUNE = "commune", _("commune")


class FrozenVersionError(Exception):
    """A published procedure version cannot change."""


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


@audited
class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey(ProcedureField, verbose_name=_("field"), on_delete=models.PROTECT)
    level = models.CharField(_("level of government"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    old_level = models.PositiveSmallIntegerField(
        _("service level (Decree 43/2011)"), choices=[(2, "2"), (3, "3"), (4, "4")],
        help_text=_("Kept for reports that still use levels 2, 3 and 4"),
    )
    agencies = models.ManyToManyField(Agency, verbose_name=_("implementing agencies"), related_name="procedures")
    # Thời hạn giải quyết: an amount of a kind (workdays.periods), counted from receipt of a
    # complete, valid dossier; how the period ends is the province's policy (EGOV_PERIOD_END).
    time_limit_kind = models.CharField(_("kind of time limit"), max_length=16, choices=LimitKind.choices,
                                       default=LimitKind.WORKING_DAYS)
    time_limit = models.DecimalField(
        _("time limit"), max_digits=7, decimal_places=2, default=Decimal(1),
        help_text=_("Counted from receipt of a complete, valid dossier, in the unit of its kind (0 for same-day)"),
    )
    time_limit_cutoff = models.TimeField(
        _("cut-off hour"), null=True, blank=True,
        help_text=_("Same-day procedures: received at or after this hour, settled the next working day (15:00 "
                    "if empty)"),
    )
    fees = models.JSONField(
        _("fees and charges"), default=list, blank=True,
        help_text=_('List of {"name": ..., "rule": {...}}; see procedures/fees.py for the rules'),
    )
    result_type = models.CharField(_("result"), max_length=500)
    # How the result is numbered (Decree 30/2020): its document-type symbol ("GP", "QĐ"; empty for a
    # certificate numbered in a book only) and the register it is numbered in ("Sổ đăng ký khai sinh";
    # empty: the issuing agency's general register). Numbers restart each year per register.
    result_symbol = models.CharField(_("result's type symbol"), max_length=10, blank=True)
    result_register = models.CharField(_("result register"), max_length=100, blank=True)
    # Extra time, in the unit of the limit's kind, where the procedure grants it to communes with
    # special difficulty (directory.AdministrativeUnit.special_difficulty); empty when it does not.
    difficulty_extension = models.DecimalField(
        _("extension for communes with special difficulty"), max_digits=7, decimal_places=2, null=True,
        blank=True, help_text=_("In the unit of the time limit; empty when the procedure grants none"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    requirements_text = models.TextField(_("conditions"), blank=True)
    form_schema = models.JSONField(_("e-form"), default=dict, blank=True, help_text=_("See procedures/eform.py"))

    class Meta:
        ordering = ["procedure__code", "-number"]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} – {self.name}"

    def save(self, *args, **kwargs):
        # A published version is frozen: only its status may still move (published -> retired).
        update_fields = kwargs.get("update_fields")
        if self.pk and not (update_fields and set(update_fields) <= {"status", "published_at"}):
            stored = ProcedureVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in (VersionStatus.PUBLISHED, VersionStatus.RETIRED):
                raise FrozenVersionError(f"{self} is published; make a new version to change it")
        super().save(*args, **kwargs)

    @property
    def editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def clean(self):
        from .eform import SchemaError, check_schema
        from .fees import FeeRuleError, check_fees

        try:
            check_schema(self.form_schema)
        except SchemaError as error:
            raise ValidationError({"form_schema": str(error)}) from error
        try:
            check_fees(self.fees, self.form_schema)
        except FeeRuleError as error:
            raise ValidationError({"fees": str(error)}) from error
        try:
            self.limit  # noqa: B018 - checks kind and amount together
        except ValueError as error:
            raise ValidationError({"time_limit": _("This time limit is not possible: %(reason)s") % {
                "reason": error}}) from error

    @property
    def limit(self) -> TimeLimit:
        """The time limit as the deadline rules take it (workdays.periods)."""
        return TimeLimit(self.time_limit_kind, self.time_limit, self.time_limit_cutoff)

    @property
    def limit_text(self) -> str:
        return describe_limit(self.limit)


class PaperType(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    DOCX = "docx", "DOCX"


def _template_path(instance, filename: str) -> str:
    return f"procedures/templates/{instance.version.procedure.code}/v{instance.version.number}/{filename}"


@audited
class PaperRequirement(models.Model):
    """Thành phần hồ sơ: one paper the applicant provides."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="papers")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=500)
    required = models.BooleanField(_("required"), default=True)
    copies = models.CharField(_("copies"), max_length=100, default="01 bản chính")
    accepted_types = models.JSONField(_("accepted file types"), default=list)
    max_size_mb = models.PositiveSmallIntegerField(_("largest file (MB)"), default=10)
    template = models.FileField(_("form template"), upload_to=_template_path, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("required paper")
        verbose_name_plural = _("required papers")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_agency_id(self) -> None:
        return None
