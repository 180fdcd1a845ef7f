"""Internal process definitions (quy trình nội bộ giải quyết thủ tục hành chính).

For each procedure and receiving agency: the ordered steps a dossier goes through after intake,
who does each (an agency — possibly another one, for inter-agency "liên thông" procedures —,
optionally one of its units, and a role), the working time allotted, and the actions allowed
at that step. Versioned like procedures: a dossier keeps the definition it started under.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency, OrgUnit, Role
from procedures.models import Procedure


class StepAction(models.TextChoices):
    FORWARD = "forward", _("hand on to the next step")
    RETURN = "return", _("return to the previous step")
    SUPPLEMENT = "supplement", _("ask the applicant to supplement")
    PAUSE = "pause", _("pause with a legal reason")
    PROPOSE_REFUSAL = "propose_refusal", _("propose refusal")
    REFUSE = "refuse", _("refuse")
    APPROVE = "approve", _("approve the result")


class DefinitionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("in force")
    RETIRED = "retired", _("replaced")


@audited
class ProcessDefinition(models.Model):
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT,
                                  related_name="processes")
    agency = models.ForeignKey(Agency, verbose_name=_("receiving agency"), on_delete=models.PROTECT,
                               related_name="processes")
    number = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=DefinitionStatus.choices,
                              default=DefinitionStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["procedure__code", "agency__code", "-number"]
        verbose_name = _("internal process")
        verbose_name_plural = _("internal processes")
        constraints = [models.UniqueConstraint(fields=["procedure", "agency", "number"], name="process_version_unique")]

    def __str__(self) -> str:
        return f"{self.procedure.code} @ {self.agency.abbreviation} v{self.number}"

    def total_hours(self) -> Decimal:
        return sum((step.hours for step in self.steps.all()), Decimal(0))


@audited
class ProcessStep(models.Model):
    definition = models.ForeignKey(ProcessDefinition, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(Agency, verbose_name=_("agency doing it"), null=True, blank=True,
                               on_delete=models.PROTECT, help_text=_("Empty: the receiving agency"))
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    hours = models.DecimalField(_("working hours allotted"), max_digits=6, decimal_places=2)
    actions = models.JSONField(_("allowed actions"), default=list)

    class Meta:
        ordering = ["definition", "order"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        constraints = [models.UniqueConstraint(fields=["definition", "order"], name="process_step_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self):
        unknown = set(self.actions) - set(StepAction.values)
        if unknown:
            raise ValidationError({"actions": _("Unknown actions: %(a)s") % {"a": ", ".join(sorted(unknown))}})
        if self.hours is not None and self.hours <= 0:
            raise ValidationError({"hours": _("A step needs some working time.")})
        agency_id = self.agency_id or (self.definition.agency_id if self.definition_id else None)
        if self.unit_id and self.unit.agency_id != agency_id:
            raise ValidationError({"unit": _("The unit must belong to the agency doing the step.")})

    @property
    def doing_agency_id(self) -> int:
        return self.agency_id or self.definition.agency_id
