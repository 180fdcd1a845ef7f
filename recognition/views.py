"""The e-agency pages: the criteria sets (kept by the province's IT department), an agency's
self-assessment and its appraisal, decision and publication, and the list of recognitions. Every
read goes through ``recognition.selectors``, every change through ``recognition.services``; each
page offers exactly what ``recognition.policy`` allows."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from directory.models import Agency
from dossiers.office.common import office

from . import metrics, policy, selectors, services
from .models import AgencyAssessment, CriteriaSet, CriterionKind, Evidence, Level, OfficialState, PeriodKind


def reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("This action is not allowed.")


@office
def index(request: HttpRequest) -> HttpResponse:
    """Đánh giá, công nhận: the criteria sets, the self-assessments in reach, the official's own
    task-completion assessments and those waiting for them."""
    user = request.user
    run = policy.agencies_run_by(user)
    sets = list(selectors.criteria_sets())
    openable = []
    for agency in Agency.objects.filter(pk__in=run).select_related("administrative_unit"):
        openable += [(agency, s) for s in sets if policy.may_open(user, agency, s)]
    return render(request, "recognition/index.html", {
        "sets": sets, "assessments": selectors.visible_assessments(user).exclude(state="published")
        if not policy.is_province_admin(user) else selectors.visible_assessments(user),
        "openable": openable, "may_keep": bool(policy.may_keep_criteria(user)), "levels": Level.choices,
        "mine": selectors.readable_official_assessments(user).filter(official_id=user.pk),
        "waiting": selectors.waiting_for(user), "period_kinds": PeriodKind.choices,
        "my_agencies": Agency.objects.filter(pk__in={a for a, _u, _r in policy.places(user)}),
        "this_year": timezone.localdate().year, "exportable": bool(selectors.exportable_agencies(user)),
        "states": OfficialState,
    })


@office
@require_POST
def new_set(request: HttpRequest) -> HttpResponse:
    try:
        criteria_set = services.create_criteria_set(
            acting_user=request.user, year=int(request.POST.get("year") or 0), level=request.POST.get("level", ""),
            title=request.POST.get("title", ""), pass_points=request.POST.get("pass_points") or 0)
    except (ValidationError, PermissionDenied, ValueError) as error:
        messages.error(request, reason(error))
        return redirect("recognition:index")
    return redirect("recognition:criteria_set", pk=criteria_set.pk)


@office
def criteria_set(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = get_object_or_404(selectors.criteria_sets(), pk=pk)
    may_keep = bool(policy.may_keep_criteria(request.user))
    if request.method == "POST":
        try:
            services.add_criterion(
                acting_user=request.user, criteria_set=chosen, code=request.POST.get("code", ""),
                title=request.POST.get("title", ""), points=request.POST.get("points") or None,
                kind=request.POST.get("kind", ""), metric=request.POST.get("metric", ""),
                target=request.POST.get("target") or 100, guidance=request.POST.get("guidance", ""))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, reason(error))
        return redirect("recognition:criteria_set", pk=chosen.pk)
    return render(request, "recognition/criteria_set.html", {
        "set": chosen, "criteria": chosen.criteria.all(), "may_keep": may_keep, "kinds": CriterionKind.choices,
        "metrics": metrics.metric_choices(), "labels": dict(metrics.metric_choices()),
    })


@office
@require_POST
def open_assessment(request: HttpRequest) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.select_related("administrative_unit"), pk=request.POST.get("agency"))
    chosen = get_object_or_404(CriteriaSet, pk=request.POST.get("criteria_set"))
    try:
        assessment = services.open_assessment(acting_user=request.user, agency=agency, criteria_set=chosen)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, reason(error))
        return redirect("recognition:index")
    return redirect("recognition:assessment", pk=assessment.pk)


def _readable(request: HttpRequest, pk: int) -> AgencyAssessment:
    assessment = get_object_or_404(AgencyAssessment.objects.select_related("agency", "criteria_set"), pk=pk)
    if not policy.may_read(request.user, assessment):
        raise Http404
    return assessment


@office
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    found = _readable(request, pk)
    scores = list(found.scores.select_related("criterion").prefetch_related("evidence"))
    return render(request, "recognition/assessment.html", {
        "assessment": found, "scores": scores, "may_edit": bool(policy.may_edit(request.user, found)),
        "offered": policy.actions_offered(request.user, found), "labels": dict(metrics.metric_choices()),
        "automatic": CriterionKind.AUTOMATIC,
    })


def _lines(post, prefix: str, second: str) -> dict[int, dict]:
    lines: dict[int, dict] = {}
    for key, value in post.items():
        if key.startswith(prefix + "-"):
            _p, pk, field = key.split("-", 2)
            lines.setdefault(int(pk), {})[field] = value
    return {pk: {"points": line.get("points", ""), second: line.get(second, "")} for pk, line in lines.items()}


@office
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = _readable(request, pk)
    user, post = request.user, request.POST
    try:
        if action == "save":
            services.save_self_assessment(acting_user=user, assessment=found, statement=post.get("statement", ""),
                                          lines=_lines(post, "score", "statement"))
        elif action == "refresh":
            services.refresh_figures(acting_user=user, assessment=found)
        elif action == "evidence":
            score = get_object_or_404(found.scores, pk=post.get("score"))
            if "file" not in request.FILES:
                raise ValidationError(_("Choose a file."))
            services.attach_evidence(acting_user=user, score=score, upload=request.FILES["file"])
        elif action == "submit":
            services.submit(acting_user=user, assessment=found)
        elif action == "return":
            services.return_to_agency(acting_user=user, assessment=found, comment=post.get("comment", ""))
        elif action == "appraise":
            services.appraise(acting_user=user, assessment=found, comment=post.get("comment", ""),
                              lines=_lines(post, "appraise", "comment"))
        elif action == "decide":
            day = post.get("decided_on", "")
            services.decide(acting_user=user, assessment=found, recognised=post.get("recognised") == "yes",
                            decision_number=post.get("decision_number", ""),
                            decided_on=dt.date.fromisoformat(day) if day else None)
        elif action == "publish":
            services.publish(acting_user=user, assessment=found)
        else:
            raise Http404
        messages.success(request, _("Saved."))
    except (ValidationError, PermissionDenied, ValueError) as error:
        messages.error(request, reason(error))
    return redirect("recognition:assessment", pk=found.pk)


@office
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Evidence.objects.select_related("score__assessment"), pk=pk)
    if not policy.may_read(request.user, item.score.assessment):
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


def _published_by_year() -> list[tuple[int, list]]:
    years: dict[int, list] = {}
    for row in selectors.published():
        years.setdefault(row.criteria_set.year, []).append(row)
    return sorted(years.items(), reverse=True)


@office
def recognitions(request: HttpRequest) -> HttpResponse:
    """Danh sách cơ quan được công nhận: the published decisions, year by year."""
    return render(request, "recognition/recognitions.html", {"years": _published_by_year()})


@require_safe
def public_recognitions(request: HttpRequest) -> HttpResponse:
    """The same list on the public portal (decisions are published to everyone)."""
    return render(request, "recognition/public_recognitions.html", {"years": _published_by_year()})

