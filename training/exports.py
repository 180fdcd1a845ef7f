"""The training gap as an Excel workbook (openpyxl): a summary sheet per agency and one sheet of
every gap (official, roles, course, missing or lapsed)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext

from directory.models import Role

from .selectors import LAPSED, AgencyGap


def gap_workbook(gaps: list[AgencyGap], *, on: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = gettext("Summary")[:31]
    bold = Font(bold=True)
    summary.append([gettext("Training gap on %(day)s") % {"day": f"{on:%d/%m/%Y}"}])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    summary.append([gettext("Agency"), gettext("Officials obliged"), gettext("Fully trained"),
                    gettext("Trained share (%)"), gettext("Courses missing"), gettext("Certificates lapsed")])
    for cell in summary[3]:
        cell.font = bold
    for item in gaps:
        share = round(item.share * 100, 1) if item.share is not None else None
        summary.append([item.agency.name, item.obliged, item.trained, share, item.missing, item.lapsed])
    summary.column_dimensions["A"].width = 60

    rows = book.create_sheet(gettext("Gaps")[:31])
    rows.append([gettext("Agency"), gettext("Official"), gettext("Roles"), gettext("Course"), gettext("Status"),
                 gettext("Valid until")])
    for cell in rows[1]:
        cell.font = bold
    labels = dict(Role.choices)
    for item in gaps:
        for row in item.rows:
            lapsed = row.status == LAPSED
            rows.append([item.agency.name, row.official_name, ", ".join(str(labels.get(r, r)) for r in row.roles),
                         row.course.title, gettext("lapsed") if lapsed else gettext("not taken"),
                         row.certificate.valid_until if lapsed and row.certificate else None])
    for column, width in zip("ABCDEF", (50, 30, 40, 50, 14, 14), strict=True):
        rows.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
