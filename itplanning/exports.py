"""The spending report as Excel (openpyxl): the same table as the page, amounts as numbers of đồng
with the thousands grouped."""

from __future__ import annotations

import io

from django.utils.translation import gettext

from .figures import Spending

MONEY_FORMAT = "#,##0"


def spending_excel(report: Spending, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Spending")[:31]
    bold = Font(bold=True)
    sheet.append([gettext("IT SPENDING AGAINST PLAN")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append([])
    sheet.append([gettext("Agency"), gettext("Funding source"), gettext("Year"), gettext("Planned (đồng)"),
                  gettext("Disbursed (đồng)"), gettext("Disbursed (%)")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in report.rows:
        sheet.append([row.agency, row.source, row.year, int(row.planned), int(row.disbursed),
                      float(row.rate) if row.rate is not None else None])
    sheet.append([])
    sheet.append([gettext("By agency"), "", "", gettext("Planned (đồng)"), gettext("Disbursed (đồng)"),
                  gettext("Disbursed (%)")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for total in report.by_agency:
        sheet.append([total.label, "", "", int(total.planned), int(total.disbursed),
                      float(total.rate) if total.rate is not None else None])
    sheet.append([gettext("Total"), "", "", int(report.total.planned), int(report.total.disbursed),
                  float(report.total.rate) if report.total.rate is not None else None])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column in ("D", "E"):
        for cell in sheet[column][4:]:
            cell.number_format = MONEY_FORMAT
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["D"].width = 20
    sheet.column_dimensions["E"].width = 20
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
