"""The dashboards and the province's indices pages; ``dashboards.policy`` decides who opens what."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Agency
from dossiers.office.common import office, reason
from workdays.report_periods import Period, PeriodKind

from . import dti, exports, policy, selectors, services
from .charts import Chart
from .forms import DtiInputForm, ScoreForm
from .models import DtiIndicator

PERIODS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: HttpRequest) -> Period:
    today = timezone.localdate()
    kind = request.GET.get("period", PeriodKind.MONTH)
    if kind == PeriodKind.QUARTER:
        return Period.quarter(today.year, (today.month - 1) // 3 + 1)
    if kind == PeriodKind.YEAR:
        return Period.year(today.year)
    return Period.month(today.year, today.month)


def _settlement_chart(board: selectors.Dashboard) -> Chart:
    return Chart("settled", _("Dossiers settled"), "bar", [_("Early or on time"), _("Late")]).add(
        _("Dossiers"), [board.settled.on_time, board.settled.late])


def _groups_chart(board: selectors.Dashboard) -> Chart | None:
    if not board.groups:
        return None
    chart = Chart("groups", _("Decision 766 scores by group"), "hbar", [str(g.name) for g in board.groups])
    chart.add(_("Points"), [g.points for g in board.groups]).add(_("Maximum"), [g.max_points for g in board.groups])
    return chart


def _render(request: HttpRequest, board: selectors.Dashboard, title: str) -> HttpResponse:
    charts = [c for c in (_groups_chart(board), _settlement_chart(board)) if c]
    if board.ranking:
        unit = _("points") if board.ranking_basis == "766" else "%"
        label = _("Decision 766 points") if board.ranking_basis == "766" else _("On-time rate (%)")
        charts.append(Chart("communes", _("Communes and wards ranked"), "hbar",
                            [r.name for r in board.ranking], unit=unit).add(label, [r.value for r in board.ranking]))
    if board.indices:
        charts.append(Chart("indices", _("Province indices, latest year (% of the maximum)"), "bar",
                            [s.get_kind_display().split(" – ")[0] for s in board.indices], unit="%").add(
            _("Share of the maximum"), [round(100 * s.score / s.max_score, 1) for s in board.indices]))
    return render(request, "dashboards/dashboard.html", {
        "board": board, "title": title, "charts": charts, "periods": PERIODS,
        "period_kind": request.GET.get("period", PeriodKind.MONTH),
        "indices_url": _indices_url()})


def _indices_url() -> str:
    try:
        return reverse("indices:index")
    except NoReverseMatch:
        return ""


@office
def home(request: HttpRequest) -> HttpResponse:
    if policy.reads_province(request.user):
        return redirect("dashboards:province")
    led = sorted(policy.led_agency_ids(request.user))
    if not led:
        raise Http404
    return redirect("dashboards:agency", led[0])


def _root() -> Agency:
    root = Agency.objects.valid_on().filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        raise Http404
    return root


@office
def province(request: HttpRequest) -> HttpResponse:
    if not policy.reads_province(request.user):
        raise Http404
    board = selectors.dashboard(request.user, agency=_root(), province=True, period=_period(request))
    return _render(request, board, _("Province dashboard"))


@office
def agency(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Agency.objects.select_related("administrative_unit"), pk=pk)
    if not policy.may_open_agency(request.user, record):
        raise Http404
    board = selectors.dashboard(request.user, agency=record, province=False, period=_period(request))
    return _render(request, board, _("Dashboard of %(agency)s") % {"agency": record.name})


def _dti_year(request: HttpRequest, years: list[int]) -> int | None:
    return int(request.GET["year"]) if request.GET.get("year", "").isdigit() else (years[0] if years else None)


@office
def indices(request: HttpRequest) -> HttpResponse:
    if not policy.reads_indices(request.user):
        raise Http404
    years = dti.years()
    year = _dti_year(request, years)
    tree = dti.tree(year) if year else None
    scores = exports.Scores.load()
    trend = Chart("trend", _("Published scores by year (% of the maximum)"), "line", [str(y) for y in scores.years],
                  unit="%")
    for label, cells in scores.rows:
        trend.add(label.split(" – ")[0], [scores.share(score) if score else None for score in cells])
    charts = [trend] if scores.years else []
    if tree and tree.pillars:
        charts.append(Chart("pillars", _("DTI %(year)s by pillar") % {"year": year}, "hbar",
                            [p.indicator.name for p in tree.pillars], unit=_("points")).add(
            _("Points"), [p.points for p in tree.pillars]).add(_("Maximum"), [p.max_points for p in tree.pillars]))
    platform = selectors.platform_figures(year) if year else None
    return render(request, "dashboards/indices.html", {
        "years": years, "year": year, "tree": tree, "charts": charts, "table": scores.rows,
        "all_years": scores.years, "keeps": policy.keeps_indices(request.user), "indices_url": _indices_url(),
        "platform": platform})


@office
def indices_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The published scores and the year's DTI tree in Excel or PDF, for whoever reads the page."""
    if not policy.reads_indices(request.user) or fmt not in ("xlsx", "pdf"):
        raise Http404
    from directory.selectors import province_name

    year = _dti_year(request, dti.years())
    tree = dti.tree(year) if year else None
    make, content_type = ((exports.excel, XLSX) if fmt == "xlsx" else (exports.pdf, "application/pdf"))
    response = HttpResponse(make(exports.Scores.load(), tree, province=province_name()), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(year, fmt)}"'
    return response


@office
def dti_input(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.keeps_indices(request.user):
        raise Http404
    indicator = get_object_or_404(DtiIndicator, pk=pk, children__isnull=True)
    current = getattr(indicator, "input", None)
    form = DtiInputForm(request.POST or None, request.FILES or None,
                        initial={"points": current.points, "note": current.note} if current else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_dti_input(user=request.user, indicator=indicator, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, reason(error))
        else:
            messages.success(request, _("The figure was saved."))
            return redirect(f"{reverse('dashboards:indices')}?year={indicator.year}")
    return render(request, "dashboards/form.html", {
        "form": form, "title": _("DTI %(year)s: %(name)s") % {"year": indicator.year, "name": indicator},
        "current": current, "multipart": True})


@office
def score_new(request: HttpRequest) -> HttpResponse:
    if not policy.keeps_indices(request.user):
        raise Http404
    form = ScoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_score(user=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, reason(error))
        else:
            messages.success(request, _("The score was saved."))
            return redirect("dashboards:indices")
    return render(request, "dashboards/form.html", {"form": form, "title": _("Enter a published score")})
