"""The officials' feedback pages (/workspace/feedback/): the agency's queue and answering (with who
answered), opening the desk's tablet for a returned dossier, and the satisfaction statistics per
agency, desk, official and criterion with their Excel export. Each page offers what
``feedback.policy`` allows."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.access import official_required
from dossiers.selectors import by_code

from . import policy, selectors, services
from .forms import AnswerForm, KioskForm, PeriodForm
from .models import ComplaintStatus


def _office(view):
    return login_required(official_required(view))


TABS = ("open", "overdue", "answered", "all")


@_office
def queue(request: HttpRequest) -> HttpResponse:
    policy.require_office(request.user, policy.Office.QUEUE)
    tab = request.GET.get("tab", "open")
    tab = tab if tab in TABS else "open"
    items = selectors.office_complaints(request.user)
    now = timezone.now()
    shown = {"open": items.filter(status=ComplaintStatus.OPEN).order_by("due_at", "id"),
             "overdue": items.filter(status=ComplaintStatus.OPEN, due_at__lte=now).order_by("due_at", "id"),
             "answered": items.filter(status=ComplaintStatus.ANSWERED), "all": items}[tab]
    labels = {"open": _("Waiting for an answer"), "overdue": _("Past their time"), "answered": _("Answered"),
              "all": _("All")}
    tabs = [{"key": key, "label": labels[key], "active": key == tab} for key in TABS]
    return render(request, "feedback/office/queue.html", {
        "tabs": tabs, "page_obj": Paginator(shown, 25).get_page(request.GET.get("page")), "now": now,
        "may_kiosk": policy.may(request.user, policy.Office.KIOSK),
        "may_statistics": policy.may(request.user, policy.Office.STATISTICS)})


@_office
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.office_complaints(request.user).filter(pk=pk).first()
    if item is None or not policy.allowed(request.user, policy.Do.VIEW, item):
        raise Http404
    may_answer = policy.allowed(request.user, policy.Do.ANSWER, item)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.answer(complaint=item, official=request.user, text=form.cleaned_data["answer"],
                                public_summary=form.cleaned_data["public_summary"])
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, _("The answer has been recorded."))
                return redirect("feedback:detail", pk=item.pk)
    return render(request, "feedback/office/detail.html", {"item": item, "form": form if may_answer else None,
                                                           "now": timezone.now()})


@_office
def kiosk(request: HttpRequest) -> HttpResponse:
    """The desk officer opens the tablet's rating page for a dossier whose result was returned."""
    policy.require_office(request.user, policy.Office.KIOSK)
    form = KioskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dossier = by_code(form.cleaned_data["code"])
        if dossier is None or not policy.may_open_kiosk(request.user, dossier):
            form.add_error("code", _("No dossier with this code is returned at your desk."))
        else:
            try:
                link = services.open_kiosk(dossier=dossier, officer=request.user)
            except ValidationError as error:
                form.add_error("code", " ".join(error.messages))
            else:
                return redirect("feedback_public:kiosk", token=link.token)
    return render(request, "feedback/office/kiosk.html", {"form": form})


def _period(request: HttpRequest) -> tuple[PeriodForm, tuple]:
    form = PeriodForm(request.GET if "start" in request.GET else None,
                      initial=dict(zip(("start", "end"), PeriodForm.default(), strict=True)))
    return form, form.period()


@_office
def statistics(request: HttpRequest) -> HttpResponse:
    policy.require_office(request.user, policy.Office.STATISTICS)
    form, (start, end) = _period(request)
    figures = selectors.statistics(request.user, start, end)
    codes = [c.code for c in figures.criteria]
    tables = [(_("By agency"), [(row, row.shares(codes)) for row in figures.agencies]),
              (_("By desk"), [(row, row.shares(codes)) for row in figures.desks]),
              (_("By official"), [(row, row.shares(codes)) for row in figures.officials])]
    return render(request, "feedback/office/statistics.html", {
        "form": form, "figures": figures, "tables": tables, "start": start, "end": end,
        "query": request.GET.urlencode()})


@_office
def statistics_export(request: HttpRequest) -> HttpResponse:
    policy.require_office(request.user, policy.Office.STATISTICS)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _form, (start, end) = _period(request)
    figures = selectors.statistics(request.user, start, end)
    codes = [c.code for c in figures.criteria]
    book = Workbook()
    sheet = book.active
    sheet.title = _("Criteria")[:31]
    sheet.append([_("Criterion"), _("Scores"), _("Satisfied (%)")])
    for criterion in figures.criteria:
        share = criterion.satisfied_share
        sheet.append([criterion.name, criterion.scores, round(100 * share, 1) if share is not None else None])
    for title, rows in ((_("By agency"), figures.agencies), (_("By desk"), figures.desks),
                        (_("By official"), figures.officials)):
        sheet = book.create_sheet(title[:31])
        sheet.append([title, _("Ratings"), _("Satisfied (%)"), *[c.name for c in figures.criteria]])
        for row in rows:
            shares = [row.satisfied_share, *row.shares(codes)]
            sheet.append([row.label, row.ratings,
                          *[round(100 * share, 1) if share is not None else None for share in shares]])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="hai-long-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response
