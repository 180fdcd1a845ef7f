"""The settlement report as Excel (openpyxl) and as PDF (WeasyPrint), in the layout of the
periodic report: title, period, a two-row header with merged group headers, one line per row
key, a grand total. The PDF is A4 landscape in Liberation Serif, bundled in ``egov/fonts`` and
referenced by file:// URLs so that it looks the same on every machine."""

import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from .queries import COLUMNS, RATE_LABEL, Report, header_groups

FONTS_DIR = Path(settings.BASE_DIR) / "egov" / "fonts"


def title() -> str:
    return gettext("REPORT ON THE SETTLEMENT OF ADMINISTRATIVE PROCEDURES")


def filename(report: Report, extension: str) -> str:
    return f"bao-cao-giai-quyet-tthc-{report.period.slug}-{report.grouping}.{extension}"


def excel(report: Report, *, reporting_body: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Report")[:31]
    last_column = 2 + len(COLUMNS) + 1  # No., row label, the counts, the rate
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(bold=True)

    def line(row: int, text: str, **font) -> None:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(**font)
        cell.alignment = Alignment(horizontal="center")

    line(1, title(), bold=True, size=14)
    line(2, gettext("Reporting period: %(period)s") % {"period": report.period.label}, italic=True)
    line(3, reporting_body)

    top, bottom = 5, 6
    sheet.cell(row=top, column=1, value=gettext("No."))
    sheet.cell(row=top, column=2, value=report.key_label)
    sheet.cell(row=top, column=last_column, value=str(RATE_LABEL))
    for column in (1, 2, last_column):
        sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
    column = 3
    for group in header_groups():
        sheet.cell(row=top, column=column, value=str(group.label))
        if group.grouped:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + group.span - 1)
            for offset, member in enumerate(group.columns):
                sheet.cell(row=bottom, column=column + offset, value=str(member.label))
        else:
            sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
        column += group.span
    for row in (top, bottom):
        for column in range(1, last_column + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.alignment, cell.border = bold, centred, border
    sheet.row_dimensions[top].height = 32
    sheet.row_dimensions[bottom].height = 48

    def write(row_number: int, number: str | int, label: str, values: list[int], rate, *, strong=False) -> None:
        cells = [number, label, *values, float(rate) if rate is not None else None]
        for column, value in enumerate(cells, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            cell.border = border
            if strong:
                cell.font = bold
            if column > 2:
                cell.number_format = "0.0" if column == last_column else "#,##0"
            elif column == 1:
                cell.alignment = Alignment(horizontal="center")

    row_number = bottom + 1
    for index, row in enumerate(report.rows, start=1):
        write(row_number, index, row.label, row.values, row.on_time_rate)
        row_number += 1
    write(row_number, "", report.total.label, report.total.values, report.total.on_time_rate, strong=True)

    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 48
    for column in range(3, last_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.freeze_panes = sheet.cell(row=bottom + 1, column=3)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{top}:{bottom}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(report: Report, *, reporting_body: str = "") -> bytes:
    from weasyprint import HTML

    context = {
        "report": report, "title": title(), "reporting_body": reporting_body, "groups": header_groups(),
        "rate_label": RATE_LABEL, "generated_at": timezone.localtime(),
        "fonts": {style: (FONTS_DIR / f"LiberationSerif-{style}.ttf").as_uri() for style in ("Regular", "Bold",
                                                                                           "Italic")},
    }
    html = render_to_string("reports/settlement_pdf.html", context)
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/").write_pdf()
