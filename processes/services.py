"""Process definitions: validation against the legal time limit, publishing, finding the one in force."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from directory.models import Membership
from workdays.calendar import working_hours_per_day
from workdays.periods import working_hours_budget

from .models import DefinitionStatus, ProcessDefinition, ProcessStep, StepAction


def legal_hours(definition: ProcessDefinition) -> Decimal:
    version = definition.procedure.current
    if version is None:
        raise ValueError(f"procedure {definition.procedure.code} has no published version")
    return working_hours_budget(version.limit, working_hours_per_day())


def check(definition: ProcessDefinition) -> None:
    """The steps' allotted times add up to at most the legal time limit (Decree 61/2018, art. 20
    as amended: each step has its own time within the overall limit); the last step approves."""
    steps = list(definition.steps.order_by("order"))
    if not steps:
        raise ValidationError(_("A process needs at least one step."))
    for step in steps:
        step.full_clean()
    total = sum((s.hours for s in steps), Decimal(0))
    limit = legal_hours(definition)
    if total > limit:
        raise ValidationError(
            _("The steps take %(total)s working hours, more than the legal limit of %(limit)s hours.")
            % {"total": total.normalize(), "limit": limit.normalize()})
    if StepAction.APPROVE not in steps[-1].actions:
        raise ValidationError(_("The last step must be the one that approves the result."))


@transaction.atomic
def publish(*, definition: ProcessDefinition) -> ProcessDefinition:
    check(definition)
    (ProcessDefinition.objects.filter(procedure=definition.procedure, agency=definition.agency,
                                      status=DefinitionStatus.PUBLISHED)
     .exclude(pk=definition.pk).update(status=DefinitionStatus.RETIRED))
    definition.status = DefinitionStatus.PUBLISHED
    definition.save(update_fields=["status"])
    return definition


def in_force(procedure, agency) -> ProcessDefinition | None:
    return (ProcessDefinition.objects.filter(procedure=procedure, agency=agency, status=DefinitionStatus.PUBLISHED)
            .prefetch_related("steps").first())


@transaction.atomic
def default_definition(procedure, agency) -> ProcessDefinition:
    """The process in force, or — for a procedure nobody has described yet — a simple one within
    the legal limit: specialist of the agency examines (60 %), unit head checks (20 %), leader
    approves (20 %). The agency administrator then adjusts it."""
    existing = in_force(procedure, agency)
    if existing is not None:
        return existing
    number = (ProcessDefinition.objects.filter(procedure=procedure, agency=agency)
              .order_by("-number").values_list("number", flat=True).first() or 0) + 1
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=agency, number=number)
    total = working_hours_budget(procedure.current.limit, working_hours_per_day())
    plan = [
        (_("Examine the dossier"), "specialist", Decimal("0.6"),
         [StepAction.FORWARD, StepAction.SUPPLEMENT, StepAction.PAUSE, StepAction.PROPOSE_REFUSAL]),
        (_("Check and propose"), "unit_head", Decimal("0.2"),
         [StepAction.FORWARD, StepAction.RETURN, StepAction.PROPOSE_REFUSAL]),
        (_("Approve the result"), "agency_leader", Decimal("0.2"),
         [StepAction.APPROVE, StepAction.RETURN, StepAction.REFUSE]),
    ]
    # Only roles somebody holds in this agency (a commune has no heads of unit).
    held = {role for roles in Membership.objects.valid_on().filter(agency=agency).values_list("roles", flat=True)
            for role in roles}
    plan = [item for item in plan if item[1] in held or item[1] == "agency_leader"]
    if len(plan) < 3:
        first = plan[0]
        plan[0] = (first[0], first[1], Decimal("0.8") if len(plan) == 2 else Decimal("1"), first[3])
    for order, (name, role, share, actions) in enumerate(plan, start=1):
        ProcessStep.objects.create(definition=definition, order=order, name=name, role=role,
                                   hours=(total * share).quantize(Decimal("0.01")), actions=[str(a) for a in actions])
    return publish(definition=definition)


@transaction.atomic
def new_draft_version(definition: ProcessDefinition) -> ProcessDefinition:
    """A draft copy of ``definition`` and its steps, numbered after the latest version; dossiers
    keep the definition they started under."""
    latest = (ProcessDefinition.objects.filter(procedure=definition.procedure_id, agency=definition.agency_id)
              .order_by("-number").values_list("number", flat=True).first() or 0)
    draft = ProcessDefinition.objects.create(procedure_id=definition.procedure_id, agency_id=definition.agency_id,
                                             number=latest + 1, status=DefinitionStatus.DRAFT)
    for step in definition.steps.order_by("order"):
        ProcessStep.objects.create(definition=draft, order=step.order, name=step.name, agency_id=step.agency_id,
                                   unit_id=step.unit_id, role=step.role, hours=step.hours, actions=list(step.actions))
    return draft
