"""Where things go on a document's page: the rectangles the signatures, the number and date fields and
the signing authority are placed in, found from the text poppler reads off the page
(``pdftotext -bbox``). Without poppler nothing is found and the callers use fixed boxes."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

NUMBER_FIELD = "so_van_ban"
DATE_FIELD = "ngay_ban_hanh"


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


AUTHORITY_PLACEHOLDER = "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ"
AUTHORITY_LINES = 3
AUTHORITY_LINE_HEIGHT = 18.0  # points: 13 pt bold with its leading (dossiers/static/dossiers/print.css)
AUTHORITY_WIDTH = 230.0  # the signature column of the document
SIGNATURE_SIZE = (190.0, 85.0)  # width, height (as signing.services.RESULT_BOX)


def words(pdf_bytes: bytes, first: int | None = None, last: int | None = None):
    """(page index, page height, [(x1, y1, x2, y2, word)]) per page, from poppler's ``pdftotext -bbox``."""
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
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            match.group(3))]
        pages.append((offset + index, float(match.group(2)), words))
    return pages


def locate_authority(pdf_bytes: bytes) -> Box | None:
    """The block of the authority placeholder (its last occurrence), in PDF coordinates: as wide as
    the signature column, ``AUTHORITY_LINES`` lines high from the placeholder's top. None without
    the placeholder (or without poppler)."""
    head = AUTHORITY_PLACEHOLDER.split()
    found = None
    for page, height, page_words in words(pdf_bytes):
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


def locate_placeholders(pdf_bytes: bytes) -> dict[str, Box]:
    """Find the blank number ("Số: ……/……") and date ("ngày … tháng … năm …") of the first page;
    fields go over them. Missing poppler: nothing found."""
    pages = words(pdf_bytes, 1, 1)
    if not pages:
        return {}
    _page, height, found_words = pages[0]
    found: dict[str, Box] = {}
    for i, (x1, y1, x2, y2, word) in enumerate(found_words):
        if word == "Số:" and NUMBER_FIELD not in found and i + 1 < len(found_words):
            nx2 = found_words[i + 1][2]
            found[NUMBER_FIELD] = Box(0, x2 + 1, height - y2 - 2, max(nx2, x2 + 90) + 2, height - y1 + 2)
        if word == "ngày" and DATE_FIELD not in found:
            tail = [w for w in found_words[i:i + 6] if abs(w[1] - y1) < 3]
            end = max(w[2] for w in tail)
            found[DATE_FIELD] = Box(0, x1 - 1, height - y2 - 2, end + 4, height - y1 + 2)
    return found
