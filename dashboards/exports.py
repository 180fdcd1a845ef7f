"""The province's indices as Excel (openpyxl) and PDF (WeasyPrint) in the layout of the province's
printed reports (``reports/_pdf_base.html``): the published scores by year (DTI, PAR INDEX, SIPAS,
PAPI, PCI, with rank and source), and the year's DTI indicator tree with the province's figures, the
platform figure feeding each and the components still without a figure."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .dti import Tree
from .models import IndexKind, PublishedScore

FONTS_DIR = Path(settings.BASE_DIR) / "egov" / "fonts"


@dataclass
class Scores:
    """The published scores: the years that have any, and per index (label, score or None per year)."""

    years: list[int]
    rows: list[tuple[str, list[PublishedScore | None]]]

    @classmethod
    def load(cls) -> Scores:
        scores = list(PublishedScore.objects.all())
        years = sorted({s.year for s in scores})
        by_kind = {kind: {s.year: s for s in scores if s.kind == kind} for kind in IndexKind.values}
        return cls(years, [(str(label), [by_kind[kind].get(year) for year in years])
                           for kind, label in IndexKind.choices if by_kind[kind]])

    def share(self, score: PublishedScore) -> Decimal:
        return (100 * score.score / score.max_score).quantize(Decimal("0.1"))


def title() -> str:
    return _("PROVINCE INDICES: DTI, PAR INDEX, SIPAS, PAPI AND PCI")


def filename(year: int | None, extension: str) -> str:
    return f"chi-so-tinh-{year or 'tat-ca'}.{extension}"


def _cell_text(score: PublishedScore | None) -> str:
    if score is None:
        return "–"
    text = f"{score.score}/{score.max_score}"
    if score.rank:
        text += " " + _("(rank %(rank)s of %(among)s)") % {"rank": score.rank, "among": score.ranked_among or "?"}
    return text


def excel(scores: Scores, tree: Tree | None, *, province: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Published scores")[:31]
    sheet.append([title()])
    sheet.append([province])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([_("Index"), *scores.years])
    for label, cells in scores.rows:
        sheet.append([label, *[_cell_text(score) for score in cells]])
    sheet.append([])
    sheet.append([_("Source")])
    for label, cells in scores.rows:
        for score in cells:
            if score is not None and score.source:
                sheet.append([f"{label} {score.year}", score.source])
    sheet.column_dimensions["A"].width = 60
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    if tree is not None:
        dti = book.create_sheet((_("DTI %(year)s") % {"year": tree.year})[:31])
        dti.append([_("DTI indicator tree"), tree.year])
        dti.append([_("Self-assessed total: %(points)s of %(max)s points.") % {"points": tree.points,
                                                                              "max": tree.max_points}])
        dti.append([])
        dti.append([_("Code"), _("Indicator"), _("Points"), _("Maximum"), _("Platform figure feeding it")])
        for cell in dti[4]:
            cell.font = Font(bold=True)
        for depth, node in tree.walk():
            missing = not node.children and node.input is None
            dti.append([node.indicator.code, node.indicator.name,
                        _("no figure yet") if missing else float(node.points), float(node.max_points),
                        node.indicator.feeds])
            row = dti.max_row
            dti.cell(row=row, column=2).alignment = Alignment(indent=depth * 2)
            if depth == 0:
                for cell in dti[row]:
                    cell.font = Font(bold=True)
        for letter, width in zip("ABCDE", [12, 60, 14, 10, 50], strict=True):
            dti.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(scores: Scores, tree: Tree | None, *, province: str) -> bytes:
    from weasyprint import HTML

    now = timezone.localtime()
    context = {
        "title": title(), "reporting_body": province, "scores": scores,
        "rows": [(label, [_cell_text(score) for score in cells]) for label, cells in scores.rows],
        "tree": tree, "nodes": tree.walk() if tree else [], "generated_at": now,
        "period_label": (_("Year %(year)s") % {"year": tree.year}) if tree else
        (f"{scores.years[0]}–{scores.years[-1]}" if scores.years else ""),
        "fonts": {style: (FONTS_DIR / f"LiberationSerif-{style}.ttf").as_uri() for style in ("Regular", "Bold",
                                                                                           "Italic")},
    }
    html = render_to_string("dashboards/indices_pdf.html", context)
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/").write_pdf()
