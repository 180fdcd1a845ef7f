"""The plans and projects pages: the plans a planner may read, a plan with its projects and totals,
a project with its budget by source and year, disbursement against plan and phases, and the forms
``itplanning.policy`` offers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dossiers.office.common import office, reason

from . import figures, policy, services
from .forms import ApproveForm, BudgetForm, ComponentForm, DisbursementForm, PhaseForm, PlanForm, ProjectForm
from .models import Plan, PlanLevel, Project
from .selectors import readable_assets, readable_plans, readable_projects


def planners_only(view):
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not policy.is_planner(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return office(wrapped)


def _form_errors(form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, reason(error))


@planners_only
def plans(request: HttpRequest) -> HttpResponse:
    selected = readable_plans(request.user)
    agency_id = request.GET.get("agency", "")
    if agency_id.isdigit():
        selected = selected.filter(agency_id=int(agency_id))
    found = list(selected)
    totals = figures.project_totals(readable_projects(request.user).filter(plan__in=found))
    sums: dict[int, figures.Against] = {}
    for project in readable_projects(request.user).filter(plan__in=found):
        plan_sum = sums.setdefault(project.plan_id, figures.Against(""))
        plan_sum.planned += totals[project.pk].planned
        plan_sum.disbursed += totals[project.pk].disbursed
    agencies = sorted({plan.agency for plan in readable_plans(request.user)}, key=lambda a: a.name)
    return render(request, "itplanning/plans.html", {
        "province_plans": [(p, sums.get(p.pk)) for p in found if p.level == PlanLevel.PROVINCE],
        "agency_plans": [(p, sums.get(p.pk)) for p in found if p.level == PlanLevel.AGENCY],
        "agencies": agencies, "agency_id": agency_id,
        "can_create": policy.editable_agencies(request.user).exists()})


def _plan_form(request: HttpRequest, instance: Plan | None = None) -> PlanForm:
    return PlanForm(request.POST or None, instance=instance, agencies=policy.editable_agencies(request.user),
                    plans=readable_plans(request.user))


@planners_only
def plan_new(request: HttpRequest) -> HttpResponse:
    if not policy.editable_agencies(request.user).exists():
        raise Http404
    form = _plan_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(user=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            _form_errors(form, error)
        else:
            return redirect("itplanning:plan", plan.pk)
    return render(request, "itplanning/form.html", {"form": form, "title": _("New IT plan"),
                                                    "cancel": "itplanning:plans"})


def _readable_plan(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(readable_plans(request.user), pk=pk)


@planners_only
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    record = _readable_plan(request, pk)
    projects = list(readable_projects(request.user).filter(plan=record))
    totals = figures.project_totals(projects)
    flagged = {p.pk for pair in figures.duplicates(readable_projects(request.user)) for p in pair}
    actions = policy.plan_actions(request.user, record)
    return render(request, "itplanning/plan.html", {
        "plan": record, "actions": actions,
        "rows": [(p, totals[p.pk], p.pk in flagged) for p in projects],
        "against": figures.against_plan(projects), "approve": ApproveForm() if "approve" in actions else None,
        "yearly": readable_plans(request.user).filter(parent=record)})


@planners_only
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _readable_plan(request, pk)
    if not policy.decide_plan(request.user, record, "edit"):
        raise Http404
    form = _plan_form(request, record)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(user=request.user, plan=record, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            _form_errors(form, error)
        else:
            return redirect("itplanning:plan", record.pk)
    return render(request, "itplanning/form.html", {"form": form, "title": _("Edit the plan"),
                                                    "cancel": "itplanning:plan", "cancel_pk": record.pk})


@planners_only
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    record = _readable_plan(request, pk)
    if request.method != "POST":
        return redirect("itplanning:plan", record.pk)
    form = ApproveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.approve_plan(user=request.user, plan=record, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, reason(error))
    else:
        messages.success(request, _("The plan is recorded as approved."))
    return redirect("itplanning:plan", record.pk)


@planners_only
def project_new(request: HttpRequest, plan_pk: int) -> HttpResponse:
    record = _readable_plan(request, plan_pk)
    if not policy.decide_plan(request.user, record, "add_project"):
        raise Http404
    form = ProjectForm(request.POST or None, agencies=_project_agencies(request, record))
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(user=request.user, plan=record, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            _form_errors(form, error)
        else:
            return redirect("itplanning:project", project.pk)
    return render(request, "itplanning/form.html", {"form": form, "title": _("New project in %(plan)s")
                                                    % {"plan": record.title},
                                                    "cancel": "itplanning:plan", "cancel_pk": record.pk})


def _project_agencies(request: HttpRequest, plan: Plan):
    """A province plan's projects are carried out by any agency; an agency plan's by the agency."""
    from directory.models import Agency

    if plan.level == PlanLevel.PROVINCE:
        return Agency.objects.valid_on()
    return Agency.objects.filter(pk=plan.agency_id)


def _readable_project(request: HttpRequest, pk: int) -> Project:
    return get_object_or_404(readable_projects(request.user), pk=pk)


@planners_only
def project(request: HttpRequest, pk: int) -> HttpResponse:
    record = _readable_project(request, pk)
    actions = policy.project_actions(request.user, record)
    phases = sorted(record.phases.all(), key=lambda p: p.order)
    return render(request, "itplanning/project.html", {
        "project": record, "actions": actions, "table": figures.budget_table(record),
        "against": figures.against_plan([record]),
        "disbursements": record.disbursements.select_related("recorded_by"), "phases": phases,
        "components": record.components.select_related("category"),
        "duplicates": figures.duplicates_of(record, readable_projects(request.user)),
        "assets": readable_assets(request.user).filter(project=record),
        "budget_form": BudgetForm(initial={"year": record.starts_on.year}) if "budget" in actions else None,
        "disbursement_form": DisbursementForm() if "follow" in actions else None,
        "phase_form": PhaseForm() if "follow" in actions else None,
        "component_form": ComponentForm() if "follow" in actions else None})


@planners_only
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _readable_project(request, pk)
    if not policy.decide_project(request.user, record, "edit"):
        raise Http404
    form = ProjectForm(request.POST or None, instance=record, agencies=_project_agencies(request, record.plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(user=request.user, project=record, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            _form_errors(form, error)
        else:
            return redirect("itplanning:project", record.pk)
    return render(request, "itplanning/form.html", {"form": form, "title": _("Edit the project"),
                                                    "cancel": "itplanning:project", "cancel_pk": record.pk})


PROJECT_FORMS = {"budget": (BudgetForm, services.set_budget), "disbursement": (DisbursementForm,
                 services.record_disbursement), "phase": (PhaseForm, services.set_phase),
                 "component": (ComponentForm, services.add_component)}


@planners_only
def project_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    record = _readable_project(request, pk)
    if request.method != "POST":
        return redirect("itplanning:project", record.pk)
    try:
        if action == "remove_component":
            component_id = request.POST.get("component", "")
            if not component_id.isdigit():
                raise Http404
            services.remove_component(user=request.user, project=record, component_id=int(component_id))
        elif action in PROJECT_FORMS:
            form_class, door = PROJECT_FORMS[action]
            form = form_class(request.POST)
            if not form.is_valid():
                raise ValidationError([" ".join(str(e) for e in errors) for errors in form.errors.values()])
            door(user=request.user, project=record, **form.cleaned_data)  # type: ignore[operator]
        else:
            raise Http404
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, reason(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("itplanning:project", record.pk)
