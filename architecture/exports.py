"""The architecture as a document: a PDF (WeasyPrint, Liberation Serif bundled in ``egov/fonts`` as
the other PDFs of the platform) with the generated diagram and a table per layer. DOCX is not
offered: no DOCX library is among the platform's dependencies (ADR 0037)."""

from __future__ import annotations

import base64
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.selectors import province_name

from . import diagram, versions

FONTS_DIR = Path(settings.BASE_DIR) / "egov" / "fonts"


def title() -> str:
    return _("E-government architecture of %(province)s") % {"province": province_name() or _("the province")}


def filename(version=None) -> str:
    suffix = f"v{version.number}" if version is not None else timezone.localdate().strftime("%Y%m%d")
    return f"kien-truc-cqdt-{suffix}.pdf"


def pdf(content: dict, *, version=None) -> bytes:
    from weasyprint import HTML

    picture = diagram.svg(diagram.source(content))
    context = {
        "title": title(), "version": version, "generated_at": timezone.localtime(),
        "layers": versions.by_layer(content), "connections": versions.connections(content),
        "diagram": "data:image/svg+xml;base64," + base64.b64encode(picture.encode()).decode(),
        "fonts": {style: (FONTS_DIR / f"LiberationSerif-{style}.ttf").as_uri()
                  for style in ("Regular", "Bold", "Italic")},
    }
    html = render_to_string("architecture/export_pdf.html", context)
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/").write_pdf()
