from django.contrib.auth.decorators import login_required, user_passes_test
from django.http import Http404, HttpResponse
from django.shortcuts import render

from directory.models import Agency, Membership
from directory.scope import Action, is_official, scope_of
from directory.selectors import province_name

from . import exports
from .forms import SettlementReportForm, defaults
from .queries import COLUMNS, RATE_LABEL, header_groups, settlement_report

official_required = user_passes_test(is_official, login_url="accounts:login")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reporting_body(user, agency: Agency | None) -> str:
    """Who the report speaks for: the chosen agency, the province for a province-wide reader,
    or else the reader's own agency."""
    if agency is not None:
        return agency.name
    if scope_of(user, Action.VIEW).everything:
        return province_name()
    membership = (Membership.objects.valid_on().filter(official=user).select_related("agency")
                  .order_by("agency__code").first())
    return membership.agency.name if membership else ""


def _report(request):
    """The form bound to the query string (this month by agency when empty) and its report."""
    if scope_of(request.user, Action.VIEW).empty:
        raise Http404
    form = SettlementReportForm({**defaults(), **request.GET.dict()}, user=request.user)
    if not form.is_valid() or "report_period" not in form.cleaned_data:
        return form, None, ""
    agency = form.cleaned_data.get("agency")
    report = settlement_report(request.user, period=form.cleaned_data["report_period"],
                               grouping=form.cleaned_data["group_by"], agency_id=agency.pk if agency else None)
    return form, report, _reporting_body(request.user, agency)


def _page(request, form, report, reporting_body, status=200):
    context = {
        "form": form, "report": report, "reporting_body": reporting_body, "columns": COLUMNS,
        "title": exports.title(), "rate_label": RATE_LABEL, "groups": header_groups(),
        "querystring": form.querystring() if report is not None else "",
    }
    return render(request, "reports/settlement.html", context, status=status)


@login_required
@official_required
def settlement(request):
    form, report, reporting_body = _report(request)
    return _page(request, form, report, reporting_body)


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@official_required
def settlement_xlsx(request):
    form, report, reporting_body = _report(request)
    if report is None:
        return _page(request, form, report, reporting_body, status=400)
    return _download(exports.excel(report, reporting_body=reporting_body), XLSX, exports.filename(report, "xlsx"))


@login_required
@official_required
def settlement_pdf(request):
    form, report, reporting_body = _report(request)
    if report is None:
        return _page(request, form, report, reporting_body, status=400)
    return _download(exports.pdf(report, reporting_body=reporting_body), "application/pdf",
                     exports.filename(report, "pdf"))
