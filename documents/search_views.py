"""The search page and the statistics page with its Excel and PDF exports (documents.search,
documents.statistics): officials only, everything within what they may read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from dossiers.office.common import office

from . import statistics as stats_module
from . import statistics_exports
from .periods import Days as Period
from .search import RANK_WINDOW, ranks_a_window
from .search import search as run_search
from .search_forms import SearchForm, StatisticsForm, statistics_defaults

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def document_url(document) -> str | None:
    """The document's own page (incoming or outgoing), when that page exists."""
    try:
        return reverse(f"documents:{document.direction}_detail", args=[document.pk])
    except NoReverseMatch:
        return None


def _querystring(request: HttpRequest) -> str:
    kept = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    return urlencode(kept) + "&" if kept else ""


@office
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, user=request.user)
    asked = bool(request.GET) and form.is_valid()
    page_obj, capped = None, False
    if asked:
        results = run_search(request.user, form.cleaned_data.get("q", ""), form.filters()).select_related(
            "document_type", "register", "agency")
        page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        for document in page_obj:
            document.url = document_url(document)
        capped = ranks_a_window(form.cleaned_data.get("q", "")) and page_obj.paginator.count >= RANK_WINDOW
    return render(request, "documents/search.html", {
        "form": form, "page_obj": page_obj, "asked": asked, "capped": capped, "window": RANK_WINDOW, "querystring_base": _querystring(request)})


def _statistics(request: HttpRequest):
    form = StatisticsForm(request.GET or statistics_defaults(request.user), user=request.user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    period = Period(data["first_day"], data["last_day"])
    return form, stats_module.compute(request.user, agency=data["agency"], period=period)


@office
def statistics(request: HttpRequest) -> HttpResponse:
    form, stats = _statistics(request)
    exports = None
    if stats is not None:
        query = urlencode({"agency": stats.agency.pk, "first_day": stats.period.first_day.isoformat(),
                           "last_day": stats.period.last_day.isoformat()})
        exports = {fmt: f"{reverse('documents:statistics_export', args=[fmt])}?{query}" for fmt in ("xlsx", "pdf")}
    return render(request, "documents/statistics.html", {
        "form": form, "stats": stats, "exports": exports,
        "summary": statistics_exports.summary(stats) if stats else []})


@office
def statistics_export(request: HttpRequest, fmt: str) -> HttpResponse:
    form, stats = _statistics(request)
    if stats is None or fmt not in ("xlsx", "pdf"):
        raise Http404
    body, content_type = ((statistics_exports.excel(stats), XLSX) if fmt == "xlsx"
                          else (statistics_exports.pdf(stats), "application/pdf"))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{statistics_exports.filename(stats, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
