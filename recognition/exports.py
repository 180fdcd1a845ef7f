"""The officials' assessment results of an agency for a period, as an Excel workbook (openpyxl):
one row per official with the figures (evidence) and the three ratings."""

from __future__ import annotations

import io

from django.utils.translation import gettext

from .figures import KEYS
from .models import Rating


def results_workbook(rows, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    labels = dict(Rating.choices)
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Results")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([gettext("Official"), gettext("Unit"), gettext("Dossiers on time"), gettext("Dossiers late"),
                  gettext("Documents on time"), gettext("Documents late"), gettext("Tasks on time"),
                  gettext("Tasks late"), gettext("Self-assessed rating"), gettext("Unit head's rating"),
                  gettext("Leader's rating"), gettext("Leader's comment"), gettext("State")])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.official.full_name or row.official.get_username(), row.unit.name if row.unit else "",
                      *(row.figures.get(key, 0) for key in KEYS),
                      str(labels.get(row.self_rating, "")), str(labels.get(row.unit_rating, "")),
                      str(labels.get(row.leader_rating, "")), row.leader_comment, str(row.get_state_display())])
    for column, width in zip("ABCDEFGHIJKLM", (30, 30, 10, 10, 10, 10, 10, 10, 26, 26, 26, 40, 24), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
