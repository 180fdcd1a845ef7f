"""The doors that change IT plans, projects and assets. Each asks ``itplanning.policy``, validates
(``full_clean``) and writes in one transaction; the audit trail follows the models
(``audit.registry``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import policy
from .models import (
    Asset,
    BudgetLine,
    ComponentCategory,
    Disbursement,
    Phase,
    Plan,
    PlanKind,
    PlanLevel,
    PlanStatus,
    Project,
    ProjectComponent,
)

PLAN_FIELDS = ("title", "kind", "level", "agency", "start_year", "end_year", "parent", "objectives")
PROJECT_FIELDS = ("name", "agency", "responsible_unit", "kind", "system_kind", "objectives", "scope", "starts_on",
                  "ends_on")
ASSET_FIELDS = ("kind", "name", "agency", "project", "identifier", "contract_number", "supplier", "starts_on",
                "expires_on", "note", "active")


def _check_plan(plan: Plan) -> None:
    errors = {}
    if plan.end_year < plan.start_year:
        errors["end_year"] = _("The period ends before it starts.")
    elif plan.kind == PlanKind.YEARLY and plan.start_year != plan.end_year:
        errors["end_year"] = _("A yearly plan covers one year.")
    elif plan.kind == PlanKind.FIVE_YEAR and plan.end_year - plan.start_year != 4:
        errors["end_year"] = _("A five-year plan covers five years.")
    if plan.level == PlanLevel.PROVINCE and plan.agency.parent_id is not None:
        errors["agency"] = _("The province's plan belongs to the provincial People's Committee.")
    if plan.parent is not None and (plan.parent.kind != PlanKind.FIVE_YEAR or plan.parent.agency_id != plan.agency_id
                                    or not plan.parent.start_year <= plan.start_year <= plan.parent.end_year):
        errors["parent"] = _("A yearly plan belongs to the same agency's five-year plan that covers its year.")
    if errors:
        raise ValidationError(errors)
    plan.full_clean()


@transaction.atomic
def create_plan(*, user, **fields) -> Plan:
    plan = Plan(created_by=user, **{k: v for k, v in fields.items() if k in PLAN_FIELDS})
    if not policy.may_edit_agency(user, plan.agency_id):
        raise PermissionDenied(_("You do not keep this agency's IT plans."))
    _check_plan(plan)
    plan.save()
    return plan


def _locked_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def update_plan(*, user, plan: Plan, **fields) -> Plan:
    plan = _locked_plan(plan)
    policy.require(policy.decide_plan(user, plan, "edit"))
    for name, value in fields.items():
        if name in PLAN_FIELDS:
            setattr(plan, name, value)
    if not policy.may_edit_agency(user, plan.agency_id):
        raise PermissionDenied(_("You do not keep this agency's IT plans."))
    _check_plan(plan)
    plan.save()
    return plan


@transaction.atomic
def approve_plan(*, user, plan: Plan, decision_number: str, decision_date: dt.date) -> Plan:
    """Records the decision that approved the plan (quyết định phê duyệt); the plan is then fixed."""
    plan = _locked_plan(plan)
    policy.require(policy.decide_plan(user, plan, "approve"))
    if not decision_number.strip() or decision_date is None:
        raise ValidationError(_("An approval needs the decision's number and date."))
    plan.status, plan.decision_number, plan.decision_date = PlanStatus.APPROVED, decision_number.strip(), decision_date
    plan.save(update_fields=["status", "decision_number", "decision_date"])
    return plan


def _check_project(project: Project) -> None:
    plan = project.plan
    if project.starts_on and project.ends_on and not (
            plan.starts_on <= project.starts_on and project.ends_on <= plan.ends_on):
        raise ValidationError({"ends_on": _("The project's period lies within the plan's (%(period)s).")
                               % {"period": plan.period}})
    project.full_clean()


@transaction.atomic
def create_project(*, user, plan: Plan, **fields) -> Project:
    plan = _locked_plan(plan)
    policy.require(policy.decide_plan(user, plan, "add_project"))
    project = Project(plan=plan, **{k: v for k, v in fields.items() if k in PROJECT_FIELDS})
    _check_project(project)
    project.save()
    return project


def _locked_project(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("plan").get(pk=project.pk)


@transaction.atomic
def update_project(*, user, project: Project, **fields) -> Project:
    project = _locked_project(project)
    policy.require(policy.decide_project(user, project, "edit"))
    for name, value in fields.items():
        if name in PROJECT_FIELDS:
            setattr(project, name, value)
    _check_project(project)
    project.save()
    return project


@transaction.atomic
def set_budget(*, user, project: Project, source: str, year: int, amount: Decimal) -> BudgetLine | None:
    """The amount planned from ``source`` in ``year``; zero removes the line."""
    project = _locked_project(project)
    policy.require(policy.decide_project(user, project, "budget"))
    if not project.starts_on.year <= year <= project.ends_on.year:
        raise ValidationError({"year": _("The year lies outside the project's period.")})
    if amount < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})
    if amount == 0:
        BudgetLine.objects.filter(project=project, source=source, year=year).delete()
        return None
    line, _created = BudgetLine.objects.update_or_create(project=project, source=source, year=year,
                                                        defaults={"amount": amount})
    return line


@transaction.atomic
def record_disbursement(*, user, project: Project, source: str, amount: Decimal, disbursed_on: dt.date,
                        evidence: str) -> Disbursement:
    project = _locked_project(project)
    policy.require(policy.decide_project(user, project, "follow"))
    payment = Disbursement(project=project, source=source, amount=amount, disbursed_on=disbursed_on,
                           evidence=evidence.strip(), recorded_by=user)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("A disbursement is a positive amount.")})
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def set_phase(*, user, project: Project, stage: str, **dates) -> Phase:
    project = _locked_project(project)
    policy.require(policy.decide_project(user, project, "follow"))
    phase = Phase.objects.filter(project=project, stage=stage).first() or Phase(project=project, stage=stage)
    for name in ("planned_start", "planned_end", "actual_start", "actual_end", "note"):
        if name in dates:
            setattr(phase, name, (dates[name] or "") if name == "note" else dates[name])
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if getattr(phase, start) and getattr(phase, end) and getattr(phase, end) < getattr(phase, start):
            raise ValidationError({end: _("The phase ends before it starts.")})
    phase.full_clean()
    phase.save()
    return phase


@transaction.atomic
def add_component(*, user, project: Project, category: ComponentCategory, role: str,
                  description: str) -> ProjectComponent:
    project = _locked_project(project)
    policy.require(policy.decide_project(user, project, "follow"))
    component = ProjectComponent(project=project, category=category, role=role, description=description.strip())
    component.full_clean()
    component.save()
    return component


@transaction.atomic
def remove_component(*, user, project: Project, component_id: int) -> None:
    project = _locked_project(project)
    policy.require(policy.decide_project(user, project, "follow"))
    ProjectComponent.objects.filter(project=project, pk=component_id).delete()


def _check_asset(user, asset: Asset) -> None:
    policy.require(policy.decide_asset(user, asset))
    project = asset.project
    if project is not None and project.agency_id != asset.agency_id and not policy.may_edit_agency(
            user, project.agency_id):
        raise ValidationError({"project": _("Link the asset to a project you keep.")})
    if asset.starts_on and asset.expires_on and asset.expires_on < asset.starts_on:
        raise ValidationError({"expires_on": _("The asset expires before it starts.")})
    asset.full_clean()


@transaction.atomic
def create_asset(*, user, **fields) -> Asset:
    asset = Asset(**{k: v for k, v in fields.items() if k in ASSET_FIELDS})
    _check_asset(user, asset)
    asset.save()
    return asset


@transaction.atomic
def update_asset(*, user, asset: Asset, **fields) -> Asset:
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    policy.require(policy.decide_asset(user, asset))  # the agency it belonged to
    for name, value in fields.items():
        if name in ASSET_FIELDS:
            setattr(asset, name, value)
    _check_asset(user, asset)  # and the agency it now belongs to
    asset.save()
    return asset
