"""Sổ theo dõi hồ sơ (Mẫu 07 of Circular 03/2025/TT-VPCP; Mẫu 06 of Circular 01/2018/TT-VPCP): the
register of a one-stop department, for the officials who may read it (``dossiers.register``),
filtered by period, procedure, status or outcome and channel, on screen page by page, and as
Excel and PDF in the official layout. A period that spans 1 July 2025 has two books, each with
its own title, number and columns; the page shows one at a time, the exports both."""

import io

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_read
from egov.forms import DateInput, Form
from legal.selectors import form_sets_between
from procedures.models import Procedure

from .. import register
from ..models import Channel, Outcome
from ..pdf import date_text, heading, html_to_pdf, place_of
from ..states import Status
from .common import office

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSONAL = ["applicant_name", "applicant_address", "applicant_phone"]


class RegisterFilterForm(Form):
    department = forms.ModelChoiceField(queryset=None, label=gettext_lazy("One-stop department"), empty_label=None)
    start = forms.DateField(label=gettext_lazy("Received from"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Received until"), widget=DateInput())
    procedure = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("Procedure"),
                                       empty_label=gettext_lazy("All procedures"))
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)

    def __init__(self, data, *, departments, **kwargs):
        today = timezone.localdate()
        defaults = {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}
        first = departments.first()
        if first is not None:
            defaults["department"] = str(first.pk)
        super().__init__({**defaults, **{k: v for k, v in data.items() if v}}, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = lambda agency: agency.name
        self.fields["procedure"].queryset = (Procedure.objects.filter(versions__agencies__in=departments)
                                             .distinct().select_related("current").order_by("code"))
        self.fields["procedure"].label_from_instance = str
        self.fields["status"].choices = [("", _("Any status"))] + [
            (value, label) for value, label in Status.choices if value not in (Status.DRAFT, Status.SUBMITTED)]
        self.fields["outcome"].choices = [("", _("Any outcome"))] + list(Outcome.choices)
        self.fields["channel"].choices = [("", _("Any channel"))] + list(Channel.choices)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period cannot come before its start."))
        return cleaned

    def filters(self) -> register.Filters:
        data = self.cleaned_data
        return register.Filters(start=data["start"], end=data["end"],
                                procedure_id=data["procedure"].pk if data.get("procedure") else None,
                                status=data.get("status", ""), outcome=data.get("outcome", ""),
                                channel=data.get("channel", ""))


def _selection(request: HttpRequest):
    """The filter form bound to the query string, the department asked for (404 when the reader may
    not read its register), and the books (form sets) the period spans."""
    departments = register.departments_for(request.user)
    if not departments.exists():
        raise Http404
    form = RegisterFilterForm(request.GET.dict(), departments=departments)
    wanted = request.GET.get("department", "")
    if wanted and (not wanted.isdigit() or not register.may_read(request.user, int(wanted))):
        raise Http404  # another department's register: not even whether it exists
    if not form.is_valid():
        return form, None, []
    filters = form.filters()
    return form, form.cleaned_data["department"], form_sets_between(filters.start, filters.end)


def _book(book, department, filters: register.Filters) -> dict:
    columns = register.columns_of(book)
    return {"book": book, "columns": columns, "labels": [register.COLUMNS[name] for name in columns],
            "title": book.title("register") if book.has("register") else "Sổ theo dõi hồ sơ",
            "form_number": f"Mẫu số {book.number('register')}" if book.has("register") else "",
            "basis": book.basis.citation, "entries": register.entries(department.pk, book, filters)}


def _period_text(filters: register.Filters) -> str:
    return f"Từ {filters.start:%d/%m/%Y} đến {filters.end:%d/%m/%Y}"


@office
def register_page(request: HttpRequest) -> HttpResponse:
    form, department, books = _selection(request)
    context = {"form": form, "department": department, "books": books, "book": None, "page_obj": None}
    if department is not None and books:
        chosen = next((b for b in books if b.code == request.GET.get("book")), books[-1])
        book = _book(chosen, department, form.filters())
        page = Paginator(book["entries"], PAGE_SIZE).get_page(request.GET.get("page"))
        book["rows"] = [{"pk": dossier.pk, "cells": register.cells(dossier, book["columns"])}
                        for dossier in page.object_list]
        record_read(obj=department, fields=PERSONAL)
        query = {k: v for k, v in request.GET.items() if k != "page"}
        context.update(book=book, page_obj=page, querystring_base=urlencode(query) + "&" if query else "",
                       book_links=[{"book": b, "url": "?" + urlencode({**query, "book": b.code}),
                                    "current": b.pk == chosen.pk} for b in books],
                       export_query=urlencode({k: v for k, v in query.items() if k != "book"}))
    return render(request, "dossiers/office/register.html", context)


def _official_books(department, filters: register.Filters, books) -> list[dict]:
    """Every book of the period in Vietnamese, whatever the reader's language: the exports are the
    register itself."""
    with translation.override("vi"):
        made = []
        for chosen in books:
            book = _book(chosen, department, filters)
            book["labels"] = [str(label) for label in book["labels"]]
            total = sum(register.WIDTHS[name] for name in book["columns"])
            book["widths"] = [f"{100 * register.WIDTHS[name] / total:.1f}" for name in book["columns"]]
            book["rows"] = [register.cells(dossier, book["columns"]) for dossier in book["entries"]]
            made.append(book)
        return made


def _filename(department, filters: register.Filters, extension: str) -> str:
    return f"so-theo-doi-ho-so-{department.code}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.{extension}"


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _exported(request: HttpRequest):
    form, department, books = _selection(request)
    if department is None:
        raise Http404
    filters = form.filters()
    record_read(obj=department, fields=PERSONAL)
    return department, filters, _official_books(department, filters, books)


@office
def register_xlsx(request: HttpRequest) -> HttpResponse:
    department, filters, books = _exported(request)
    body = excel(department, filters, books)
    return _download(body, XLSX, _filename(department, filters, "xlsx"))


@office
def register_pdf(request: HttpRequest) -> HttpResponse:
    department, filters, books = _exported(request)
    today = timezone.localdate()
    code = {book["book"].pk: book["columns"].index("code") for book in books}
    for book in books:  # a long code may wrap after its dashes on paper
        for row in book["rows"]:
            row[code[book["book"].pk]] = row[code[book["book"].pk]].replace("-", "-\u200b")
    html = render_to_string("dossiers/office/register_pdf.html", {
        "books": books, "department": department, "heading": heading(department), "period": _period_text(filters),
        "place_date": f"{place_of(department)}, {date_text(today)}"})
    return _download(html_to_pdf(html), "application/pdf", _filename(department, filters, "pdf"))


def excel(department, filters: register.Filters, books: list[dict]) -> bytes:
    """One sheet per book: the department, the title with its form number and circular, the period,
    the numbered column headers, one line per entry."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for book in books:
        sheet = workbook.create_sheet((book["form_number"].replace("Mẫu số", "Mẫu") or book["book"].code)[:31])
        width = len(book["columns"])

        def line(row: int, text: str, *, bold=False, italic=False, size=12, sheet=sheet, width=width) -> None:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            cell = sheet.cell(row=row, column=1, value=text)
            cell.font = Font(bold=bold, italic=italic, size=size)
            cell.alignment = Alignment(horizontal="center")

        line(1, department.name.upper(), bold=True)
        line(2, book["title"].upper(), bold=True, size=14)
        line(3, f"{book['form_number']} ({book['basis']})".strip(), italic=True)
        line(4, _period_text(filters), italic=True)
        header, numbers = 6, 7
        for column, label in enumerate(book["labels"], start=1):
            for row, value in ((header, label), (numbers, f"({column})")):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.font, cell.border = Font(bold=True), border
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.column_dimensions[get_column_letter(column)].width = 8 if column == 1 else 18
        sheet.row_dimensions[header].height = 60
        for offset, cells in enumerate(book["rows"], start=numbers + 1):
            for column, value in enumerate(cells, start=1):
                cell = sheet.cell(row=offset, column=column, value=value)
                cell.border, cell.alignment = border, wrap
        sheet.freeze_panes = sheet.cell(row=numbers + 1, column=3)
        sheet.print_title_rows = f"{header}:{numbers}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

