"""PDFs of official documents (slips of the one-stop process, result documents) and the pieces
of Vietnamese administrative layout they share.

Decree 30/2020/NĐ-CP (Appendix I) prescribes Times New Roman, 13–14 pt, on A4. Times New Roman
cannot be shipped here; Liberation Serif is metric-compatible and covers Vietnamese, and its files
are bundled in ``egov/fonts`` so that a PDF is laid out the same on every machine. WeasyPrint is
given those files by ``file://`` URL under a family name of our own, so a missing file is an error,
never a silent fallback to whatever serif the machine has. Only local files under the fonts and
print-stylesheet folders may be fetched while rendering: the documents carry applicants' data,
and nothing in them may make the renderer reach the network.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FONTS_DIR = Path(settings.BASE_DIR) / "egov" / "fonts"
STATIC_DIR = Path(__file__).resolve().parent / "static" / "dossiers"
PRINT_CSS = STATIC_DIR / "print.css"
FAMILY = "LiberationSerif Egov"  # our own name: fontconfig never mistakes it for a system font
# (file suffix, font-weight, font-style); bold italic is optional.
FACES = [("Regular", "normal", "normal"), ("Bold", "bold", "normal"), ("Italic", "normal", "italic"),
         ("BoldItalic", "bold", "italic")]


def font_css() -> str:
    rules = []
    for suffix, weight, style in FACES:
        path = FONTS_DIR / f"LiberationSerif-{suffix}.ttf"
        if not path.exists():
            if suffix == "BoldItalic":
                continue
            raise ImproperlyConfigured(f"missing bundled font {path}")
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; src: url("{path.as_uri()}"); '
                     f"font-weight: {weight}; font-style: {style}; }}")
    rules.append(f'html {{ font-family: "{FAMILY}"; }}')
    return "\n".join(rules)


class _LocalFilesOnly(URLFetcher):
    """Fetch bundled fonts and the print stylesheet; refuse everything else."""

    allowed = (FONTS_DIR.resolve(), STATIC_DIR)

    def __init__(self):
        super().__init__(allowed_protocols=("file",), fail_on_errors=False)

    def fetch(self, url, headers=None):
        if not url.startswith("file://"):
            raise ValueError(f"not fetched while rendering an official document: {url[:80]}")
        path = Path(url2pathname(urlparse(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed):
            raise ValueError(f"not fetched while rendering an official document: {url[:80]}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    """An A4 PDF of ``html`` (a complete document) with the bundled fonts embedded."""
    fonts = FontConfiguration()
    fetcher = _LocalFilesOnly()
    stylesheets = [CSS(string=font_css(), font_config=fonts, url_fetcher=fetcher),
                   CSS(filename=str(PRINT_CSS), font_config=fonts, url_fetcher=fetcher)]
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=fonts)


# --- Vietnamese administrative layout -----------------------------------------------------------

def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(VN)


def date_text(day: dt.date) -> str:
    """"ngày 05 tháng 02 năm 2026": a zero before days under 10 and months 1 and 2 (Decree 30/2020,
    Appendix I, on the date of a document)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def moment_text(moment: dt.datetime | None) -> str:
    """"10 giờ 00 phút, ngày 25 tháng 11 năm 2026", in Vietnam's time whatever the zone given."""
    if moment is None:
        return ""
    moment = local(moment)
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {date_text(moment.date())}"


def short_moment(moment: dt.datetime | None) -> str:
    """"10:00 25/11/2026", for tables."""
    return local(moment).strftime("%H:%M %d/%m/%Y") if moment is not None else ""


def heading(agency) -> dict:
    """The issuing authority at the top left: the governing agency over the agency, in capitals."""
    parent = agency.parent.name.upper() if agency.parent_id else ""
    return {"parent": parent, "name": agency.name.upper()}


def place_of(agency) -> str:
    """The place in "Bắc Kạn, ngày … tháng … năm …": the province of the agency's administrative unit."""
    unit = agency.administrative_unit
    while unit.parent_id is not None and unit.level != "province":
        unit = unit.parent
    for prefix in ("Tỉnh ", "Thành phố "):
        if unit.name.startswith(prefix):
            return unit.name.removeprefix(prefix)
    return unit.name


def addressee(dossier) -> str:
    """How the applicant is addressed: "Ông/Bà" for a person, "Tổ chức" for a business."""
    return "Tổ chức" if dossier.applicant.kind == "business" else "Ông/Bà"
