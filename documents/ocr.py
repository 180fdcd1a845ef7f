"""The text of a scanned or received file, so that search finds it: a PDF's own text layer
(``pdftotext``) when it has one, else OCR with Tesseract's Vietnamese data (Debian packages
``tesseract-ocr`` and ``tesseract-ocr-vie``), the PDF's pages rasterised by ``pdftoppm``.

Run before the registering transaction opens: no external program runs while a row is locked.
A missing tool or a failing one leaves the text empty (the document is still registered; the
log says why), never blocks the clerk.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

LANGUAGE = "vie"
TIMEOUT = 120  # seconds per page: a scan of a few pages, not a book
IMAGE_TYPES = {"png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif", "webp"}
MIN_TEXT_LAYER = 20  # characters: fewer means a scan with an empty or stray text layer


def kind_of(name: str, content: bytes) -> str:
    """"pdf", "image" or "" by what the bytes are (the name's extension only for images)."""
    if content[:5] == b"%PDF-":
        return "pdf"
    if content[:8] == b"\x89PNG\r\n\x1a\n" or content[:3] == b"\xff\xd8\xff":
        return "image"
    if content[:4] in (b"II*\x00", b"MM\x00*") or content[:2] == b"BM" or content[:4] == b"RIFF":
        return "image"
    return "image" if Path(name).suffix.lower().lstrip(".") in IMAGE_TYPES and content[:1] != b"<" else ""


def _run(args: list[str]) -> str:
    try:
        done = subprocess.run(args, capture_output=True, timeout=TIMEOUT, check=True)
    except (OSError, subprocess.SubprocessError) as error:
        logger.warning("text extraction failed", extra={"tool": args[0], "error": type(error).__name__})
        return ""
    return done.stdout.decode("utf-8", "replace")


def ocr_image(path: Path) -> str:
    if shutil.which("tesseract") is None:
        logger.warning("tesseract is missing: no OCR (Debian packages tesseract-ocr, tesseract-ocr-vie)")
        return ""
    return _run(["tesseract", str(path), "-", "-l", LANGUAGE]).strip()


def pdf_text(path: Path) -> str:
    """The PDF's text layer, else the OCR of its pages at 200 dpi."""
    if shutil.which("pdftotext") is not None:
        layer = _run(["pdftotext", "-enc", "UTF-8", str(path), "-"]).strip()
        if len(layer.replace("\f", "").strip()) >= MIN_TEXT_LAYER:
            return layer
    if shutil.which("pdftoppm") is None:
        return ""
    with tempfile.TemporaryDirectory(prefix="ocr-") as work:
        _run(["pdftoppm", "-r", "200", "-png", str(path), str(Path(work) / "page")])
        pages = sorted(Path(work).glob("page*.png"))
        return "\n\f".join(text for text in (ocr_image(page) for page in pages) if text)


def extract_text(name: str, content: bytes) -> str:
    """The text of one file ("" for what is neither a PDF nor an image)."""
    kind = kind_of(name, content)
    if not kind:
        return ""
    suffix = ".pdf" if kind == "pdf" else (Path(name).suffix.lower() or ".png")
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(content)
        handle.flush()
        return pdf_text(Path(handle.name)) if kind == "pdf" else ocr_image(Path(handle.name))
