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
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from signing import placement

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


# One rule for the date of a document, the one the clerk's date is filled with at issuance.
date_text = placement.date_text


def moment_text(moment: dt.datetime | None) -> str:
    """"10 giờ 00 phút, ngày 25 tháng 11 năm 2026", in Vietnam's time whatever the zone given."""
    if moment is None:
        return ""
    moment = local(moment)
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {date_text(moment.date())}"


def short_moment(moment: dt.datetime | None) -> str:
    """"10:00 25/11/2026", for tables."""
    return local(moment).strftime("%H:%M %d/%m/%Y") if moment is not None else ""


# Words that start the name of a place in an agency's name ("Ủy ban nhân dân | tỉnh Thái Nguyên").
PLACE_WORDS = ("tỉnh", "thành phố", "phường", "xã", "thị trấn", "đặc khu", "huyện", "quận", "thị xã")
NBSP = "\u00a0"


def heading_line(name: str) -> str:
    """An agency's name in capitals for the heading, its place name kept on one line: a long name
    wraps before the place ("ỦY BAN NHÂN DÂN / TỈNH THÁI NGUYÊN"), never inside it ("… TỈNH THÁI /
    NGUYÊN")."""
    words = name.split()
    lower = [word.lower() for word in words]
    for index in range(1, len(words)):
        if any(lower[index:index + len(place.split())] == place.split() for place in PLACE_WORDS):
            return " ".join(words[:index]).upper() + " " + NBSP.join(words[index:]).upper()
    return name.upper()


def heading(agency) -> dict:
    """The issuing authority at the top left: the governing agency over the agency, in capitals."""
    parent = heading_line(agency.parent.name) if agency.parent_id else ""
    return {"parent": parent, "name": heading_line(agency.name)}


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


# --- the name of a result document ----------------------------------------------------------------

# Names of administrative documents (Decree 30/2020/NĐ-CP, Appendix III): a result named "Quyết định
# về việc …" is a document whose name is the type and whose summary (trích yếu) is the rest.
DOCUMENT_TYPES = ("Quyết định", "Thông báo", "Công văn", "Giấy mời", "Giấy giới thiệu", "Kế hoạch", "Báo cáo")
_REMARK = re.compile(r"\s*\([^()]*\)")
_COPIES = re.compile(r"\s*(?:,|và)\s+(?:các\s+)?bản sao\b.*$", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentName:
    """The title of a result document (tên loại văn bản / tên giấy tờ) and its summary line."""

    title: str
    summary: str = ""


def document_name(result_type: str) -> DocumentName:
    """The document's own name from the procedure's "result" wording in the catalogue, which
    describes what the applicant receives ("Giấy khai sinh (bản chính) và bản sao Giấy khai sinh
    (nếu có yêu cầu)") rather than names a document: remarks in brackets and the copies issued with
    it are dropped; two alternative documents ("Phiếu lý lịch tư pháp số 1 hoặc Phiếu lý lịch tư
    pháp số 2") are named by what they share; "Quyết định về việc X" is the name "QUYẾT ĐỊNH" over
    the summary "Về việc X" (Decree 30/2020, Appendix I: the summary under the name)."""
    text = " ".join(_REMARK.sub("", result_type or "").split())
    text = _COPIES.sub("", text).strip(" ,;.")
    parts = [part.strip() for part in re.split(r"\s+hoặc\s+", text)]
    if len(parts) > 1 and all(part[:1].isupper() for part in parts):
        text = _shared_words(parts) or parts[0]
    for kind in DOCUMENT_TYPES:
        if text.lower().startswith(kind.lower() + " "):
            rest = text[len(kind):].strip()
            rest = re.sub(r"^về việc\s+", "", rest, flags=re.IGNORECASE)
            return DocumentName(title=kind.upper(), summary=f"Về việc {rest}")
    return DocumentName(title=text.upper())


def _shared_words(names: list[str]) -> str:
    """The leading words every name shares, without a dangling "số" (number) at the end."""
    split = [name.split() for name in names]
    shared = []
    for words in zip(*split, strict=False):
        if any(word.lower() != words[0].lower() for word in words):
            break
        shared.append(words[0])
    while shared and shared[-1].lower() in {"số", "loại", "mẫu"}:
        shared.pop()
    return " ".join(shared)
