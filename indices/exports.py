"""The indices as Excel (openpyxl) and PDF (WeasyPrint) in the layout of provincial reports: title,
scope and period, one line per group followed by its indicators, the total; a missing figure says
why. Liberation Serif is bundled in ``egov/fonts``."""

import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workdays.report_periods import Period

from .selectors import GroupScore, Scope

FONTS_DIR = Path(settings.BASE_DIR) / "egov" / "fonts"

COUNT_LABELS = {
    "received": _("Dossiers received"),
    "received_online": _("Dossiers received online"),
    "received_coded": _("Dossiers received with a code to look them up"),
    "received_paper": _("Dossiers received at a counter or by post"),
    "paper_digitised": _("Paper dossiers digitised at intake"),
    "payable": _("Dossiers with a fee or charge"),
    "paid_online": _("Dossiers whose fee was paid online"),
    "settled": _("Dossiers settled"),
    "settled_on_time": _("Dossiers settled early or on time"),
    "settled_late": _("Dossiers settled late"),
    "settled_electronic": _("Dossiers settled with an electronic result issued"),
}


def title() -> str:
    return gettext("INDICES OF SERVICE TO CITIZENS AND BUSINESSES (DECISION 766/QĐ-TTg)")


def count_label(key: str) -> str:
    return str(COUNT_LABELS.get(key, key))


def total(groups: list[GroupScore]) -> tuple[Decimal, Decimal]:
    return (sum((group.points for group in groups), Decimal(0)),
            sum((group.max_points for group in groups), Decimal(0)))


def filename(scope: Scope, period: Period, extension: str) -> str:
    return f"chi-so-766-{scope.key.replace(':', '-')}-{period.slug}.{extension}"


def _rows(groups: list[GroupScore]) -> list[tuple]:
    """(code, name, value %, points, max, note, is group) per line."""
    rows: list[tuple] = []
    for group in groups:
        rows.append((str(group.code), group.name, None, group.points, group.max_points, "", True))
        for item in group.indicators:
            note = item.missing or (f"{item.numerator}/{item.denominator}" if item.denominator else "")
            rows.append((item.code, item.name, item.value, item.points, item.max, note, False))
    return rows


def excel(groups: list[GroupScore], *, scope_name: str, period: Period) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Indices")[:31]
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    for row, (text, font) in enumerate([(title(), Font(bold=True, size=14)),
                                        (gettext("Reporting period: %(period)s") % {"period": period.label},
                                         Font(italic=True)), (scope_name, Font())], start=1):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font, cell.alignment = font, Alignment(horizontal="center")
    headers = [gettext("Code"), gettext("Group and indicator"), gettext("Value (%)"), gettext("Points"),
               gettext("Maximum points"), gettext("Counts or missing data")]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=5, column=column, value=text)
        cell.font, cell.border = bold, border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    line = 6
    for code, name, value, points, maximum, note, is_group in _rows(groups):
        values = [code, name, float(value) if value is not None else None,
                  float(points) if points is not None else None, float(maximum), note]
        for column, content in enumerate(values, start=1):
            cell = sheet.cell(row=line, column=column, value=content)
            cell.border = border
            if is_group:
                cell.font = bold
            if column in (3, 4, 5):
                cell.number_format = "0.0" if column == 3 else "0.00"
        line += 1
    points, maximum = total(groups)
    for column, content in enumerate(["", gettext("Total"), None, float(points), float(maximum), ""], start=1):
        cell = sheet.cell(row=line, column=column, value=content)
        cell.font, cell.border = bold, border
    for letter, width in zip("ABCDEF", [8, 60, 12, 10, 12, 50], strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(groups: list[GroupScore], *, scope_name: str, period: Period) -> bytes:
    from weasyprint import HTML

    points, maximum = total(groups)
    context = {
        "title": title(), "scope_name": scope_name, "reporting_body": scope_name, "period": period,
        "period_label": period.label, "groups": groups, "total": (points, maximum),
        "generated_at": timezone.localtime(),
        "fonts": {style: (FONTS_DIR / f"LiberationSerif-{style}.ttf").as_uri() for style in ("Regular", "Bold",
                                                                                           "Italic")},
    }
    html = render_to_string("indices/indices_pdf.html", context)
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/").write_pdf()
