"""Where things go on an official document's page (Decree 30/2020/NĐ-CP, Appendix I): the blank
number and date the clerk fills at issuance, the signer's authority and signature under it, the
signer's image within the signature and the agency's seal over its left third. Positions are read
from the rendered page with poppler's ``pdftotext -bbox``; nothing here writes a PDF.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

NUMBER_FIELD = "so_van_ban"
DATE_FIELD = "ngay_ban_hanh"
# Liberation Serif's ascent and descent (per em): poppler measures a word from baseline - ascent to
# baseline + descent, so a word's box gives back its font size and baseline.
ASCENT, DESCENT = 0.891, 0.216
RIGHT_MARGIN = 15 * 72 / 25.4  # dossiers/static/dossiers/print.css: 15 mm on the right
NUMBER_WIDTH = 150.0  # room for "1234/QĐ-UBND-VP" at 13 pt, within the authority's column


@dataclass(frozen=True)
class Box:
    """A rectangle on a page (PDF points, origin bottom-left); page index from 0, -1 = last."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1


def words(pdf_bytes: bytes, first: int | None = None, last: int | None = None):
    """(page index, page width, page height, [(x1, y1, x2, y2, word)]) per page, from poppler's
    ``pdftotext -bbox`` (y from the top). Nothing without poppler."""
    command = ["pdftotext", "-bbox"]
    if first is not None:
        command += ["-f", str(first), "-l", str(last or first)]
    try:
        done = subprocess.run([*command, "-", "-"], input=pdf_bytes, capture_output=True, timeout=20, check=True)
    except (OSError, subprocess.SubprocessError):
        return []
    html = done.stdout.decode("utf-8", "replace")
    pages = []
    offset = (first or 1) - 1
    for index, match in enumerate(re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)):
        found = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            match.group(3))]
        pages.append((offset + index, float(match.group(1)), float(match.group(2)), found))
    return pages


# --- number and date ---------------------------------------------------------------------------------

def locate_placeholders(pdf_bytes: bytes) -> dict[str, Box]:
    """The fields over the blank number ("Số: ……/……") and date ("ngày … tháng … năm …") of the first
    page. Each starts where its blank starts, is as high as its line (the filled text takes the
    line's size and baseline back from it, :func:`line_metrics`) and reaches as far right as the
    text may go — the next word on the line or the right margin — so that the filled number and
    date are never cut off however much longer than the dots they are."""
    pages = words(pdf_bytes, 1, 1)
    if not pages:
        return {}
    _page, width, height, found = pages[0]
    boxes: dict[str, Box] = {}
    for i, (*_box, word) in enumerate(found):
        if word == "Số:" and NUMBER_FIELD not in boxes and i + 1 < len(found):
            blank = found[i + 1]
            right = min([blank[0] + NUMBER_WIDTH, *(w[0] - 4 for w in found if _same_line(w, blank) and w[0] > blank[2])])
            boxes[NUMBER_FIELD] = Box(0, blank[0] - 1, height - blank[3] - 1, max(right, blank[2] + 2),
                                      height - blank[1] + 1)
        if word == "ngày" and DATE_FIELD not in boxes:
            start = found[i]
            boxes[DATE_FIELD] = Box(0, start[0] - 1, height - start[3] - 1, width - RIGHT_MARGIN,
                                    height - start[1] + 1)
    return boxes


def date_text(day) -> str:
    """"ngày 05 tháng 02 năm 2026": a zero before days under 10 and months 1 and 2 (Decree 30/2020,
    Appendix I, on the date of a document); "ngày 15 tháng 3 năm 2026"."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _same_line(word, other) -> bool:
    return min(word[3], other[3]) - max(word[1], other[1]) > 0.5 * (other[3] - other[1])


def line_metrics(box: Box) -> tuple[float, float]:
    """(font size, baseline above the box's bottom) of the line a field of :func:`locate_placeholders`
    was made over (its box is the line's words' box, one point larger on each side)."""
    size = (box.height - 2) / (ASCENT + DESCENT)
    return size, 1 + DESCENT * size


# --- the signer's authority and signature --------------------------------------------------------------

# The signer's authority is unknown until someone signs: a result document holds this placeholder
# (the words of Decree 30/2020's own layout) in a block three lines high above the signature.
AUTHORITY_PLACEHOLDER = "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ"
AUTHORITY_LINES = 3
AUTHORITY_LINE_HEIGHT = 18.0  # points: 13 pt bold with its leading (dossiers/static/dossiers/print.css)
AUTHORITY_WIDTH = 230.0  # the signature column of the document
SIGNATURE_SIZE = (190.0, 85.0)  # width, height (as signing.services.RESULT_BOX)
TEXT_BAND = 20.0  # points at the bottom of a signature for "Ký bởi" and "Thời gian ký"


def locate_authority(pdf_bytes: bytes) -> Box | None:
    """The block of the authority placeholder (its last occurrence), in PDF coordinates: as wide as
    the signature column, ``AUTHORITY_LINES`` lines high from the placeholder's top. None without
    the placeholder (or without poppler)."""
    head = AUTHORITY_PLACEHOLDER.split()
    found = None
    for page, _width, height, page_words in words(pdf_bytes):
        texts = [w[4] for w in page_words]
        for i in range(len(texts) - len(head) + 1):
            if texts[i:i + len(head)] == head:
                x1, top = page_words[i][0], page_words[i][1]
                x2 = max(w[2] for w in page_words[i:i + len(head)])
                centre = (x1 + x2) / 2
                y2 = height - top + 2
                found = Box(page, centre - AUTHORITY_WIDTH / 2, y2 - AUTHORITY_LINES * AUTHORITY_LINE_HEIGHT - 2,
                            centre + AUTHORITY_WIDTH / 2, y2)
    return found


def signature_box_under(authority: Box) -> Box:
    """Where the signature goes: right under the authority block, centred in the column."""
    width, height = SIGNATURE_SIZE
    centre = (authority.x1 + authority.x2) / 2
    return Box(authority.page, centre - width / 2, authority.y1 - height, centre + width / 2, authority.y1)


NAME_LINE_HEIGHT = 18.0  # the signer's full name, bold 13 pt, on the line right under the signature


def name_box_under(signature: Box) -> Box:
    """Where the signer's full name is printed (Decree 30/2020, Appendix I: "họ và tên" under the
    signature): the line right under the signature, as wide as the signature column."""
    centre = (signature.x1 + signature.x2) / 2
    return Box(signature.page, centre - AUTHORITY_WIDTH / 2, signature.y1 - NAME_LINE_HEIGHT,
               centre + AUTHORITY_WIDTH / 2, signature.y1)


def image_box(signature: Box) -> Box:
    """The signer's image within a signature: all of it above the text band (the image is fitted to
    exactly this shape, ``signing.appearance.fit_image``, so its left third is this box's left third)."""
    return Box(signature.page, signature.x1, signature.y1 + TEXT_BAND, signature.x2, signature.y2)


def seal_box(official: Box) -> Box:
    """The agency's seal over the official's signature: its image overlaps about one third of the
    signer's image, on the left (Decree 30/2020/NĐ-CP, Appendix I), centred on the image's height;
    a seal of about 30 mm (as tall as the whole signature)."""
    image = image_box(official)
    size = official.height
    right = image.x1 + image.width / 3
    bottom = image.y1 + (image.height - size) / 2
    return Box(official.page, right - size, bottom, right, bottom + size)
