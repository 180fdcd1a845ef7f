"""The officials' workspace for the one-stop back office: queues by role, the dossier's page,
one small view per action (each calls the workflow door and comes back), bulk assignment,
counter intake. Lists go through ``selectors.dossiers_for_official``; a dossier the reader may
not see is a 404."""

import datetime as dt
import importlib.util

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from audit.services import record_read
from directory.models import Agency, Membership, OrgUnit, Role
from directory.scope import Action, roles_of, scope_of
from egov.http import private_file, slip_filename
from procedures import eform
from procedures.models import Procedure
from processes.models import StepAction
from processes.services import in_force, working_hours_per_day
from workdays import calendar
from workspace.views import official_required

from . import deadlines, selectors, workflow
from .counter import intake_at_counter
from .models import Dossier, FilePurpose, Slip
from .office_forms import (
    ACTIONS,
    BulkAssignForm,
    CounterApplicantForm,
    CounterStartForm,
    PapersForm,
    QueueFilterForm,
    available_actions,
    pending_apology,
)
from .services import StaleDossier
from .states import Status

PAGE_SIZE = 50
STALE = gettext_lazy("Someone else has just changed this dossier. Reload it and try again.")
PERSONAL_FIELDS = ["applicant_id_number", "applicant_phone", "applicant_email", "applicant_address"]


def office(view):
    return login_required(official_required(view))


def results_module():
    """``dossiers.results`` (result documents), when that part is installed."""
    if importlib.util.find_spec("dossiers.results") is None:
        return None
    from . import results

    return results


# --- deadlines as shown ---------------------------------------------------------------------


def _span(delta: dt.timedelta) -> str:
    hours_per_day = float(working_hours_per_day()) or 8.0
    total = abs(delta.total_seconds()) / 3600
    days, hours = int(total // hours_per_day), int(round(total % hours_per_day))
    parts = []
    if days:
        parts.append(ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days})
    if hours or not days:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    return " ".join(parts)


def deadline_of(dossier: Dossier, now: dt.datetime) -> dict | None:
    """State (overdue, due soon, clock stopped, running) and working time left, for display."""
    if not dossier.due_at or dossier.status not in (Status.IN_PROGRESS, Status.PAUSED, Status.SUPPLEMENT_REQUESTED):
        return None
    if dossier.status != Status.IN_PROGRESS:
        return {"state": "stopped", "label": _("clock stopped"), "text": ""}
    left = deadlines.remaining(dossier.due_at, now)
    if left < dt.timedelta(0) or dossier.due_at < now:
        return {"state": "overdue", "label": _("overdue"), "text": _("%(time)s overdue") % {"time": _span(left)}}
    state = "due_soon" if left <= dt.timedelta(hours=float(working_hours_per_day())) else "running"
    return {"state": state, "label": _("due soon") if state == "due_soon" else "",
            "text": _("%(time)s left") % {"time": _span(left)}}


def holder_of(dossier: Dossier) -> str:
    line = dossier.current_step
    if dossier.status in (Status.SUBMITTED, Status.RESULT_READY):
        return _("One-stop desk")
    if line is None:
        return ""
    if line.assignee_id:
        return line.assignee.get_full_name()
    role = str(Role(line.role).label) if line.role in Role.values else line.role
    where = line.unit.name if line.unit_id else ""
    return _("not assigned yet: %(role)s") % {"role": f"{role}, {where}" if where else role}


# --- the queue ------------------------------------------------------------------------------

TABS = [
    ("intake", gettext_lazy("Waiting for intake")),
    ("mine", gettext_lazy("In my hands")),
    ("assign", gettext_lazy("To assign")),
    ("due_soon", gettext_lazy("Due soon")),
    ("overdue", gettext_lazy("Overdue")),
    ("waiting", gettext_lazy("Waiting for the applicant")),
    ("results", gettext_lazy("Results to return")),
    ("all", gettext_lazy("All")),
]
WORK_TABS = ("intake", "mine", "assign", "results")  # shown with their counts


def _tabs_for(user) -> list[str]:
    roles = roles_of(user)
    desk = Role.DESK_OFFICER in roles or user.is_superuser
    shown = {"due_soon", "overdue", "waiting", "all"}
    if desk:
        shown |= {"intake", "results"}
    if not scope_of(user, Action.ACT).empty:
        shown.add("mine")
    if not scope_of(user, Action.ASSIGN).empty:
        shown.add("assign")
    return [name for name, _label in TABS if name in shown]


def _desk_q(user, field: str = "agency") -> Q:
    """Agencies whose one-stop desk the user staffs (agency-wide ACT, as workflow._desk asks)."""
    scope = scope_of(user, Action.ACT)
    return Q() if scope.everything else Q(**{f"{field}__in": scope.agency_ids})


def _in_my_hands(user, queryset):
    """``workflow.may_act_on_step`` in SQL: the current step is mine, or nobody's yet and I hold
    its role in its agency (and unit, when it names one), within my scope to act."""
    scope = scope_of(user, Action.ACT)
    if scope.empty:
        return queryset.none()
    free = Q(pk__in=[])
    for m in Membership.objects.valid_on().filter(official=user).values("agency_id", "unit_id", "roles"):
        place = Q(current_step__unit__isnull=True)
        if m["unit_id"]:
            place |= Q(current_step__unit_id=m["unit_id"])
        free |= Q(current_step__agency_id=m["agency_id"], current_step__role__in=m["roles"]) & place
    mine = Q(current_step__assignee=user) | (Q(current_step__assignee__isnull=True) & free)
    return (queryset.filter(status__in=[Status.IN_PROGRESS, Status.PAUSED])
            .filter(scope.q("current_step__agency", "current_step__unit")).filter(mine))


def tab_queryset(user, tab: str, now: dt.datetime):
    base = selectors.dossiers_for_official(user)
    if tab == "intake":
        return base.filter(status=Status.SUBMITTED).filter(_desk_q(user))
    if tab == "mine":
        return _in_my_hands(user, base)
    if tab == "assign":
        scope = scope_of(user, Action.ASSIGN)
        if scope.empty:
            return base.none()
        return base.filter(status=Status.IN_PROGRESS, current_step__assignee__isnull=True).filter(
            scope.q("current_step__agency", "current_step__unit"))
    if tab == "due_soon":
        soon = calendar.add_working_hours(now, working_hours_per_day())
        return base.filter(status=Status.IN_PROGRESS, due_at__gte=now, due_at__lte=soon)
    if tab == "overdue":
        return base.filter(status=Status.IN_PROGRESS, due_at__lt=now)
    if tab == "waiting":
        return base.filter(status=Status.SUPPLEMENT_REQUESTED)
    if tab == "results":
        return base.filter(status=Status.RESULT_READY).filter(_desk_q(user))
    return base


def _procedures_in_scope(user):
    scope = scope_of(user, Action.VIEW)
    procedures = Procedure.objects.select_related("current").order_by("code")
    if scope.everything:
        return procedures
    agency_ids = set(scope.agency_ids) | set(
        OrgUnit.objects.filter(pk__in=scope.unit_ids).values_list("agency_id", flat=True))
    return procedures.filter(pk__in=Procedure.objects.filter(versions__agencies__in=agency_ids).values("pk"))


@office
def queue(request):
    user, now = request.user, timezone.now()
    tabs = _tabs_for(user)
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else tabs[0]
    filters = QueueFilterForm(request.GET or None, procedures=_procedures_in_scope(user))
    dossiers = tab_queryset(user, tab, now)
    if filters.is_bound and filters.is_valid():
        data = filters.cleaned_data
        if data["procedure"]:
            dossiers = dossiers.filter(procedure_version__procedure=data["procedure"])
        if data["status"]:
            dossiers = dossiers.filter(status=data["status"])
        if data["deadline"] == "due_soon":
            dossiers = dossiers.filter(status=Status.IN_PROGRESS, due_at__gte=now,
                                       due_at__lte=calendar.add_working_hours(now, working_hours_per_day()))
        elif data["deadline"] == "overdue":
            dossiers = dossiers.filter(status=Status.IN_PROGRESS, due_at__lt=now)
        if data["q"]:
            dossiers = dossiers.filter(Q(code__icontains=data["q"]) | Q(applicant_name__icontains=data["q"]))
    order = [F("submitted_at").asc()] if tab == "intake" else (
        [F("due_at").asc(nulls_last=True), "submitted_at"] if tab != "all" else ["-submitted_at"])
    dossiers = dossiers.select_related(
        "procedure_version__procedure", "current_step__assignee", "current_step__unit").order_by(*order, "pk")
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    for dossier in page:
        dossier.deadline = deadline_of(dossier, now)
        dossier.holder = holder_of(dossier)
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    params["tab"] = tab
    counts = {name: tab_queryset(user, name, now).count() for name in tabs if name in WORK_TABS}
    _sweep_if_embedded()
    context = {
        "tab": tab, "tabs": [{"name": n, "label": label, "count": counts.get(n), "url": "?" + urlencode({"tab": n})}
                             for n, label in TABS if n in tabs],
        "tab_label": dict(TABS)[tab], "filters": filters, "page_obj": page,
        "querystring_base": urlencode(params) + "&",
        "bulk": BulkAssignForm(user=user) if tab == "assign" else None,
        "can_take_in": Role.DESK_OFFICER in roles_of(user),
        "next": request.get_full_path(),
    }
    return render(request, "dossiers/office/queue.html", context)


def _sweep_if_embedded() -> None:
    """Embedded default (no broker): the deadline sweep runs after officials' pages (sweeps.py)."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        from .sweeps import sweep_if_due

        sweep_if_due()


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith(reverse("office:queue")) else fallback


@office
@require_POST
def bulk_assign(request):
    """Assign several dossiers of the "to assign" tab to one official, each with the revision
    its row showed; failures are reported per dossier and do not stop the others."""
    form = BulkAssignForm(request.POST, user=request.user)
    back = _safe_next(request, reverse("office:queue") + "?tab=assign")
    selected = [int(pk) for pk in request.POST.getlist("dossier") if pk.isdigit()]
    if not form.is_valid() or not selected:
        messages.error(request, _("Choose the dossiers and the official to assign them to."))
        return redirect(back)
    visible = {d.pk: d for d in selectors.dossiers_for_official(request.user).filter(pk__in=selected)}
    done, failed = [], []
    for pk in selected:
        dossier = visible.get(pk)
        if dossier is None:
            continue
        revision = request.POST.get(f"revision-{pk}", "")
        try:
            workflow.assign(dossier=dossier, by=request.user, assignee=form.cleaned_data["assignee"],
                            note=form.cleaned_data["note"],
                            expected_revision=int(revision) if revision.isdigit() else -1)
            done.append(dossier.code)
        except (ValidationError, PermissionDenied, StaleDossier) as error:
            failed.append(f"{dossier.code}: {_reason(error)}")
    if done:
        messages.success(request, ngettext("%(n)d dossier assigned: %(codes)s", "%(n)d dossiers assigned: %(codes)s",
                                           len(done)) % {"n": len(done), "codes": ", ".join(done)})
    for line in failed:
        messages.error(request, _("Not assigned: %(reason)s") % {"reason": line})
    return redirect(back)


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("This action is not allowed for this dossier now.")


# --- the dossier's page ---------------------------------------------------------------------


def _readable(request, pk: int) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.exclude(status=Status.DRAFT).select_related(
            "procedure_version__procedure", "agency", "current_agency", "process", "current_step__step",
            "current_step__assignee", "current_step__unit", "unit", "assignee"),
        pk=pk)
    if not selectors.can_read(request.user, dossier):
        raise Http404
    return dossier


def _pending(request, dossier: Dossier) -> dict | None:
    """What the official posted in a form that failed (kept by ``action_view``)."""
    pending = request.session.pop("office-pending", None)
    return pending if pending and pending.get("dossier") == dossier.pk else None


def _leftover(pending: dict | None, names: list[str]) -> list[str]:
    """Text typed into a form no longer offered (someone acted first): shown so nothing is lost."""
    if pending is None or pending["action"] in names:
        return []
    return [value for key, values in pending["data"].items() if not key.endswith("-revision")
            for value in values if value.strip() and not value.isdigit()]


def _action_forms(dossier: Dossier, user, names: list[str], pending: dict | None) -> list[dict]:
    forms = []
    for name in names:
        form_class, title, button = ACTIONS[name]
        kwargs = {"dossier": dossier, "user": user, "prefix": name}
        reopened = pending is not None and pending["action"] == name
        if reopened:
            data = MultiValueDict(pending["data"])
            data.setlist(f"{name}-revision", [str(dossier.revision)])
            form = form_class(data, **kwargs)
            form.is_valid()
        else:
            form = form_class(**kwargs)
        forms.append({"name": name, "title": title, "button": button, "form": form, "open": reopened,
                      "url": reverse(f"office:{name}", args=[dossier.pk]),
                      "danger": name in ("refuse_intake", "refuse", "propose_refusal")})
    return forms


def _answers(dossier: Dossier) -> list[tuple[str, object]]:
    answers = []
    for name, spec in dossier.procedure_version.form_schema.get("properties", {}).items():
        value = dossier.form_data.get(name, "")
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif spec.get("format") == "date" and isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                pass
        answers.append((eform._label(spec), value))
    return answers


def _result_files(dossier: Dossier, files) -> list:
    found = [f for f in files if f.purpose == FilePurpose.RESULT]
    results = results_module()
    result_for = getattr(results, "result_for", None) if results else None
    if result_for is not None:
        extra = result_for(dossier)
        record = getattr(extra, "file", None) if extra is not None and not hasattr(extra, "original_name") else extra
        if record is not None and hasattr(record, "original_name") and record not in found:
            found.append(record)
    return found


@office
def detail(request, pk: int):
    dossier = _readable(request, pk)
    if dossier.applicant_id != request.user.pk:
        record_read(obj=dossier, fields=PERSONAL_FIELDS + ["applicant_name", "form_data"])
    now = timezone.now()
    files = list(dossier.files.filter(replaced=False).select_related("requirement"))
    slips = list(dossier.slips.select_related("created_by", "approved_by"))
    dossier.deadline, dossier.holder = deadline_of(dossier, now), holder_of(dossier)
    names = available_actions(request.user, dossier, results_enabled=results_module() is not None)
    pending = _pending(request, dossier)
    steps = list(dossier.steps.select_related("agency", "unit", "assignee", "handed_by"))
    labels = {**dict(StepAction.choices), "reassign": _("reassigned")}
    for line in steps:
        line.action_label = labels.get(line.action, line.action)
    apology = pending_apology(dossier)
    if apology is not None:
        apology.new_due = dt.datetime.fromisoformat(apology.content["new_due_at"])
    context = {
        "dossier": dossier, "version": dossier.procedure_version, "answers": _answers(dossier),
        "papers": [f for f in files if f.purpose != FilePurpose.RESULT], "results": _result_files(dossier, files),
        "steps": steps, "slips": slips, "events": dossier.events.select_related("actor"),
        "actions": _action_forms(dossier, request.user, names, pending), "leftover": _leftover(pending, names),
        "apology": apology, "payment": _payment(dossier),
    }
    return render(request, "dossiers/office/detail.html", context)


def _payment(dossier: Dossier) -> dict | None:
    if not dossier.fee_amount:
        return None
    try:
        from payments.selectors import payment_panel
    except ImportError:  # the payments app is optional here
        return None
    return payment_panel(dossier)


@office
def slip_file(request, pk: int):
    slip = get_object_or_404(Slip.objects.select_related("dossier"), pk=pk)
    if slip.dossier.status == Status.DRAFT or not selectors.can_read(request.user, slip.dossier) or not slip.file:
        raise Http404
    record_read(obj=slip, fields=["file"])
    return private_file(slip.file, content_type="application/pdf", filename=slip_filename(slip), attachment=False)


@office
@require_POST
def control_slip(request, pk: int):
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05) as it stands now, made on demand."""
    dossier = _readable(request, pk)
    try:
        from .slips import control_slip as make_control_slip
    except ImportError:
        raise Http404 from None
    slip = make_control_slip(dossier, request.user)
    return redirect("office:slip", pk=slip.pk)


# --- one small view per action --------------------------------------------------------------


def action_view(name: str, success):
    """The POST view of one action: check the revision the page showed, validate the form, call
    the workflow door via ``perform(request, dossier, data)``; errors become messages and what
    was typed is kept for the page to show again."""

    @office
    @require_POST
    def view(request, pk: int):
        dossier = _readable(request, pk)
        form_class = ACTIONS[name][0]
        posted = request.POST.get(f"{name}-revision", "")
        try:
            if posted != str(dossier.revision):
                raise StaleDossier(str(STALE))
            if name not in available_actions(request.user, dossier, results_enabled=results_module() is not None):
                raise PermissionDenied(_("This action is not allowed for this dossier now."))
            form = form_class(request.POST, dossier=dossier, user=request.user, prefix=name)
            if not form.is_valid():
                raise ValidationError(_("Check what you entered in “%(action)s”.") % {"action": ACTIONS[name][1]})
            PERFORM[name](request, dossier, form.cleaned_data)
        except (ValidationError, PermissionDenied, StaleDossier) as error:
            messages.error(request, _reason(error))
            request.session["office-pending"] = {
                "dossier": dossier.pk, "action": name,
                "data": {k: v for k, v in request.POST.lists() if k.startswith(f"{name}-")}}
            return redirect("office:detail", pk=dossier.pk)
        dossier.refresh_from_db()
        messages.success(request, str(success) % {"code": dossier.code})
        if selectors.can_read(request.user, dossier):
            return redirect("office:detail", pk=dossier.pk)
        return redirect("office:queue")

    view.__name__ = name
    return view


def _rev(data: dict) -> int:
    return data["revision"]


PERFORM = {
    "accept": lambda r, d, c: workflow.accept(dossier=d, officer=r.user, unit=c.get("unit"),
                                              expected_revision=_rev(c)),
    "supplement": lambda r, d, c: workflow.request_supplement(dossier=d, officer=r.user, missing=c["missing"],
                                                              note=c["note"], expected_revision=_rev(c)),
    "refuse_intake": lambda r, d, c: workflow.refuse_at_intake(dossier=d, officer=r.user, reasons=c["reasons"],
                                                               expected_revision=_rev(c)),
    "forward": lambda r, d, c: workflow.forward(dossier=d, official=r.user, note=c["note"], unit=c.get("unit"),
                                                assignee=c.get("assignee"), expected_revision=_rev(c)),
    "return": lambda r, d, c: workflow.return_back(dossier=d, official=r.user, note=c["note"],
                                                   expected_revision=_rev(c)),
    "assign": lambda r, d, c: workflow.assign(dossier=d, by=r.user, assignee=c["assignee"], note=c["note"],
                                              expected_revision=_rev(c)),
    "pause": lambda r, d, c: workflow.pause(dossier=d, official=r.user, reason=c["reason"],
                                            expected_revision=_rev(c)),
    "resume": lambda r, d, c: workflow.resume(dossier=d, official=r.user, expected_revision=_rev(c)),
    "propose_refusal": lambda r, d, c: workflow.propose_refusal(dossier=d, official=r.user, reasons=c["reasons"],
                                                                expected_revision=_rev(c)),
    "refuse": lambda r, d, c: workflow.refuse(dossier=d, leader=r.user, reasons=c["reasons"],
                                              expected_revision=_rev(c)),
    "approve": lambda r, d, c: workflow.approve(dossier=d, leader=r.user, note=c["note"], expected_revision=_rev(c)),
    "prepare_result": lambda r, d, c: results_module().prepare_result(dossier=d, official=r.user),
    "return_result": lambda r, d, c: workflow.return_result(dossier=d, officer=r.user,
                                                            at_counter=c["how"] == "counter",
                                                            expected_revision=_rev(c)),
    "apology": lambda r, d, c: workflow.draft_apology(dossier=d, by=r.user, reason=c["reason"],
                                                      new_due_at=c["new_due_at"], expected_revision=_rev(c)),
    "approve_apology": lambda r, d, c: _approve_apology(r, d),
    "sign_result": lambda r, d, c: results_module().sign_current_result(
        dossier=d, leader=r.user, confirmation=_confirmation(r, c)),
    "issue_result": lambda r, d, c: results_module().issue_result(
        dossier=d, clerk=r.user, confirmation=_confirmation(r, c)),
}


def _confirmation(request, data: dict):
    """Xác nhận ký: the password and one-time code typed in the action's form."""
    from signing.services import confirm

    return confirm(request.user, password=data["password"], totp=data["otp_token"])


def _approve_apology(request, dossier: Dossier):
    slip = pending_apology(dossier)
    if slip is None:  # approved by someone else meanwhile
        raise StaleDossier(str(STALE))
    return workflow.approve_apology(slip=slip, leader=request.user)

SUCCESS = {
    "accept": gettext_lazy("Dossier %(code)s accepted; the receipt and appointment (Mẫu 01) is issued."),
    "supplement": gettext_lazy("The request to supplement dossier %(code)s (Mẫu 02) has been sent."),
    "refuse_intake": gettext_lazy("Dossier %(code)s has been refused (Mẫu 03)."),
    "forward": gettext_lazy("Dossier %(code)s has been handed on to the next step."),
    "return": gettext_lazy("Dossier %(code)s has been returned to the previous step."),
    "assign": gettext_lazy("Dossier %(code)s has been assigned."),
    "pause": gettext_lazy("Dossier %(code)s is paused; its clock has stopped."),
    "resume": gettext_lazy("Dossier %(code)s is being processed again."),
    "propose_refusal": gettext_lazy("The refusal of dossier %(code)s has been proposed to the approving step."),
    "refuse": gettext_lazy("Dossier %(code)s has been refused."),
    "approve": gettext_lazy("The result of dossier %(code)s has been approved."),
    "prepare_result": gettext_lazy("The result document of dossier %(code)s has been prepared."),
    "return_result": gettext_lazy("The result of dossier %(code)s has been returned."),
    "sign_result": gettext_lazy("The result of dossier %(code)s is signed; the clerk can issue it."),
    "issue_result": gettext_lazy("The result of dossier %(code)s is issued with its number and the agency's seal."),
    "apology": gettext_lazy("The apology letter for dossier %(code)s (Mẫu 04) waits for the leader's approval."),
    "approve_apology": gettext_lazy("The apology letter for dossier %(code)s is approved; the applicant is told."),
}

VIEWS = {name: action_view(name, SUCCESS[name]) for name in ACTIONS}


# --- counter intake -------------------------------------------------------------------------


def _desk_agencies(user):
    agencies = Agency.objects.valid_on().order_by("name")
    if user.is_superuser:
        return agencies
    ids = [m.agency_id for m in Membership.objects.valid_on().filter(official=user) if Role.DESK_OFFICER in m.roles]
    scope = scope_of(user, Action.ACT)
    return agencies.filter(pk__in=[a for a in ids if scope.allows(a)])


def _counter_procedures(agencies):
    return (Procedure.objects.filter(active=True, current__isnull=False, current__agencies__in=agencies)
            .select_related("current").distinct().order_by("code"))


@office
def counter(request):
    """Step 1: choose the procedure (among those the desk's agency handles)."""
    agencies = _desk_agencies(request.user)
    if not agencies.exists():
        raise Http404
    form = CounterStartForm(request.GET or None, procedures=_counter_procedures(agencies), agencies=agencies)
    if form.is_bound and form.is_valid():
        procedure, agency = form.cleaned_data["procedure"], form.cleaned_data["agency"]
        if procedure.current.agencies.filter(pk=agency.pk).exists():
            return redirect("office:counter_form", agency=agency.pk, procedure=procedure.pk)
        form.add_error("procedure", _("This agency does not handle this procedure."))
    return render(request, "dossiers/office/counter_start.html", {"form": form})


def _first_step(procedure, agency):
    definition = in_force(procedure, agency)
    return definition.steps.order_by("order").first() if definition else None


@office
def counter_form(request, agency: int, procedure: int):
    """Step 2: the applicant, the declaration, the scanned papers; submitted and accepted at once."""
    agency = get_object_or_404(_desk_agencies(request.user), pk=agency)
    procedure = get_object_or_404(_counter_procedures([agency]), pk=procedure)
    version = procedure.current
    first_step = _first_step(procedure, agency)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    applicant = CounterApplicantForm(data, first_step=first_step, agency_id=agency.pk)
    declaration = type(eform.build_form(version.form_schema))(data=data, prefix="eform")
    papers = PapersForm(data, files, version=version)
    if request.method == "POST" and all([applicant.is_valid(), declaration.is_valid(), papers.is_valid()]):
        contact = {k: v for k, v in applicant.cleaned_data.items() if k != "unit"}
        try:
            dossier = intake_at_counter(officer=request.user, agency=agency, procedure=procedure, contact=contact,
                                        form_values=declaration.cleaned_json(), uploads=papers.uploads(),
                                        unit=applicant.cleaned_data.get("unit"))
        except (ValidationError, PermissionDenied, StaleDossier) as error:
            messages.error(request, _reason(error) + " " + _("Attach the scanned papers again."))
        else:
            return redirect("office:counter_done", pk=dossier.pk)
    elif request.method == "POST":
        messages.error(request, _("Check the fields marked below; attach the scanned papers again."))
    context = {"agency": agency, "procedure": procedure, "version": version, "applicant": applicant,
               "declaration": declaration, "papers": papers}
    return render(request, "dossiers/office/counter_form.html", context)


@office
def counter_done(request, pk: int):
    dossier = _readable(request, pk)
    receipt = dossier.slips.filter(form=Slip.Form.RECEIPT).order_by("-created_at").first()
    return render(request, "dossiers/office/counter_done.html", {"dossier": dossier, "receipt": receipt})
