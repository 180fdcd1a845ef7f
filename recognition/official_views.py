"""The officials' task-completion assessment pages: open one's own for a month or a quarter, the
assessment (figures as evidence, the step offered to the reader), and the agency's results in
Excel. Reads through ``recognition.selectors``, changes through ``recognition.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from directory.models import Agency
from dossiers.office.common import office

from . import exports, figures, policy, selectors, services
from .models import OfficialAssessment, PeriodKind, Rating
from .views import reason

FIGURE_LABELS = (
    ("dossiers_on_time", gettext_lazy("Dossier steps handled on time")), ("dossiers_late", gettext_lazy("Dossier steps handled late")),
    ("documents_on_time", gettext_lazy("Document assignments done on time")),
    ("documents_late", gettext_lazy("Document assignments done late")),
    ("tasks_on_time", gettext_lazy("Tasks completed on time")), ("tasks_late", gettext_lazy("Tasks completed late")),
)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("Choose a period.")) from None


@office
@require_POST
def open_own(request: HttpRequest) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=request.POST.get("agency"))
    try:
        assessment = services.open_own_assessment(
            official=request.user, agency=agency, period_kind=request.POST.get("period_kind", ""),
            year=_int(request.POST.get("year")), number=_int(request.POST.get("number")))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, reason(error))
        return redirect("recognition:index")
    return redirect("recognition:official", pk=assessment.pk)


def _readable(request: HttpRequest, pk: int) -> OfficialAssessment:
    found = get_object_or_404(selectors.readable_official_assessments(request.user), pk=pk)
    if not policy.may_read_official(request.user, found):
        raise Http404
    return found


@office
def official(request: HttpRequest, pk: int) -> HttpResponse:
    found = _readable(request, pk)
    rows = [(str(label), found.figures.get(key, 0)) for key, label in FIGURE_LABELS]
    unit_rows = []
    if found.unit_id and (policy.heads_unit(request.user, found) or policy.leads_agency(request.user, found)):
        totals = figures.of_unit(found.unit_id, found.period)
        unit_rows = [(str(label), totals[key]) for key, label in FIGURE_LABELS]
    return render(request, "recognition/official.html", {
        "assessment": found, "rows": rows, "unit_rows": unit_rows,
        "ratings_missing": found.figures.get("ratings_missing", ""),
        "offered": policy.official_actions_offered(request.user, found), "ratings": Rating.choices,
        "labels": dict(Rating.choices),
    })


@office
@require_POST
def official_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = _readable(request, pk)
    doors = {"self_assess": services.self_assess, "review": services.review, "rate": services.rate}
    if action not in doors:
        raise Http404
    try:
        doors[action](acting_user=request.user, assessment=found, rating=request.POST.get("rating", ""),
                      comment=request.POST.get("comment", ""))
        messages.success(request, _("Saved."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, reason(error))
    return redirect("recognition:official", pk=found.pk)


@office
def export(request: HttpRequest) -> HttpResponse:
    """Kết quả đánh giá: the agency's results for one period, for its leaders."""
    agencies = selectors.exportable_agencies(request.user)
    try:
        agency_id = _int(request.GET.get("agency") or next(iter(agencies), None))
        kind = request.GET.get("period_kind", PeriodKind.MONTH)
        year, number = _int(request.GET.get("year")), _int(request.GET.get("number"))
    except ValidationError:
        raise Http404 from None
    if agency_id not in agencies:
        raise Http404
    rows = (OfficialAssessment.objects.filter(agency_id=agency_id, period_kind=kind, year=year, number=number)
            .select_related("official", "unit").order_by("unit__name", "official__full_name"))
    agency = get_object_or_404(Agency, pk=agency_id)
    title = _("Task-completion assessment of %(agency)s, %(kind)s %(number)s/%(year)s") % {
        "agency": agency.name, "kind": PeriodKind(kind).label if kind in PeriodKind.values else kind,
        "number": number, "year": year}
    response = HttpResponse(exports.results_workbook(list(rows), title=title),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="danh-gia-{agency.code}-{kind}-{number}-{year}.xlsx"'
    return response


