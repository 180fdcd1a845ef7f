"""The document statistics as Excel (openpyxl) and PDF (``dossiers.pdf.html_to_pdf``): the same
tables as the page; the late documents listed only as ``documents.statistics`` allows."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext

from .statistics import Statistics


def filename(stats: Statistics, extension: str) -> str:
    return f"thong-ke-van-ban-{stats.agency.code}-{stats.period.slug}.{extension}"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %".replace(".", ",")


def summary(stats: Statistics) -> list[tuple[str, object]]:
    d, a = stats.documents, stats.assignments
    return [
        (gettext("Documents received"), stats.received),
        (gettext("Documents issued"), stats.issued),
        (gettext("Received electronically"), f"{stats.received_electronically} ({_share(stats.electronic_share)})"),
        (gettext("Issued with a digital signature"), f"{stats.issued_signed} ({_share(stats.signed_share)})"),
        (gettext("Incoming documents handled on time"), d.on_time),
        (gettext("Incoming documents handled late"), d.late),
        (gettext("Incoming documents overdue, not handled"), d.overdue),
        (gettext("Incoming documents being handled within the deadline"), d.open),
        (gettext("Assignments done on time"), a.on_time),
        (gettext("Assignments done late"), a.late),
        (gettext("Assignments overdue"), a.overdue),
    ]


def late_rows(stats: Statistics) -> list[list[str]]:
    return [[d.number_symbol, d.abstract, d.document_type.name,
             f"{d.handling_due_on:%d/%m/%Y}" if d.handling_due_on else "",
             f"{d.handled_at:%d/%m/%Y}" if d.handled_at else gettext("not handled")] for d in stats.late]


def late_labels() -> list[str]:
    return [gettext("Number and symbol"), gettext("Abstract"), gettext("Document type"), gettext("Deadline"),
            gettext("Handled on")]


def excel(stats: Statistics) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Statistics")[:31]
    bold = Font(bold=True)
    sheet.append([gettext("DOCUMENT STATISTICS")])
    sheet.append([stats.agency.name])
    sheet.append([stats.period.label])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for label, value in summary(stats):
        sheet.append([label, value])
    for title, rows in ((gettext("By document type"), stats.by_type), (gettext("By unit"), stats.by_unit)):
        sheet.append([])
        sheet.append([title, gettext("Received"), gettext("Issued")])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for counted in rows:
            sheet.append([counted.label, counted.received, counted.issued])
    sheet.append([])
    sheet.append([gettext("Late or overdue incoming documents")])
    sheet.append(late_labels())
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for line in late_rows(stats):
        sheet.append(line)
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(stats: Statistics) -> bytes:
    from dossiers.pdf import html_to_pdf

    html = render_to_string("documents/statistics_pdf.html", {
        "stats": stats, "summary": summary(stats), "late_rows": late_rows(stats), "late_labels": late_labels()})
    return html_to_pdf(html)
