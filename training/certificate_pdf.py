"""The certificate (giấy chứng nhận hoàn thành khoá bồi dưỡng) as an A4 PDF rendered by WeasyPrint
in Vietnamese, in the Liberation Serif bundled in ``egov/fonts`` (full Vietnamese diacritics), the
same fonts as the reports and receipts."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from directory.models import Membership

from .models import Certificate

FONTS_DIR = Path(settings.BASE_DIR) / "egov" / "fonts"


def filename(certificate: Certificate) -> str:
    return f"chung-nhan-{certificate.number.replace('/', '-')}.pdf"


def render(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    place = (Membership.objects.valid_on(certificate.issued_on).filter(official=certificate.official)
             .select_related("agency").first())
    context = {
        "certificate": certificate, "official": certificate.official, "course": certificate.course,
        "agency": place.agency if place else None,
        "fonts": {style: (FONTS_DIR / f"LiberationSerif-{style}.ttf").as_uri() for style in ("Regular", "Bold",
                                                                                               "Italic")},
    }
    with translation.override("vi"):
        html = render_to_string("training/certificate_pdf.html", context)
    return HTML(string=html, base_url=FONTS_DIR.as_uri() + "/").write_pdf()
