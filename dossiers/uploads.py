"""Checking uploaded papers by their content, not their name, and storing them."""

import contextlib
import hashlib
import re
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What each accepted type must really be.
MIME = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSION = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "docx": "docx"}
MAX_NAME = 200


class UploadRefused(ValidationError):
    pass


def _is_docx(upload) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and "word/document.xml" in names


PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
# Markup a browser would run if the file were opened as a web page: a "%PDF-" prefix in front of
# an HTML page must not make it pass for a PDF (a polyglot). Long enough words that compressed
# binary streams practically never contain them by chance.
HTML_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|meta)[\s>/]",
                         re.IGNORECASE)
_OVERLAP = 64


def _is_pdf(upload) -> bool:
    """A PDF by its structure, not by its first five bytes: the header with a version, at least
    one indirect object, the end-of-file marker, and no HTML markup anywhere in the bytes (real
    PDFs compress their content; a text stream holding markup is refused too, a rare cost)."""
    upload.seek(0)
    head = upload.read(len("%PDF-1.7"))
    upload.seek(0)
    if PDF_HEADER.match(head) is None:
        return False
    objects = end = False
    tail = b""
    for chunk in upload.chunks():
        window = tail + chunk
        if HTML_MARKUP.search(window):
            upload.seek(0)
            return False
        objects = objects or b"endobj" in window
        end = end or b"%%EOF" in window
        tail = window[-_OVERLAP:]
    upload.seek(0)
    return objects and end


def named_as(name: str, kind: str) -> str:
    """The file's name with the extension of what it really is ("to-khai.html" holding a PDF is
    "to-khai.pdf"), so that it is never saved or opened as something else."""
    extension = EXTENSION[kind]
    if extension == "jpg" and name.lower().endswith(".jpeg"):
        return name
    stem, dot, _old = name.rpartition(".")
    stem = (stem if dot else name).strip() or "tep"
    return f"{stem[:MAX_NAME - len(extension) - 1]}.{extension}"


def sniff(upload) -> str | None:
    """The real type of the file among those we know, from its first bytes."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    if guess is not None:
        if guess.mime == "application/pdf":
            return "pdf" if _is_pdf(upload) else None
        if guess.mime == "image/jpeg":
            return "jpeg"
        if guess.mime == "image/png":
            return "png"
    if head.startswith(b"PK\x03\x04") and _is_docx(upload):
        return "docx"
    return None


def inspect(upload, *, accepted: list[str], max_size_mb: int) -> tuple[str, str]:
    """Return (type, sha256) or refuse with a reason the applicant understands. The upload is
    renamed with its real type's extension (:func:`named_as`): the name it is stored, listed and
    downloaded under."""
    name = upload.name or ""
    if upload.size == 0:
        raise UploadRefused(_("The file %(name)s is empty.") % {"name": name})
    if upload.size > max_size_mb * 1024 * 1024:
        raise UploadRefused(
            _("The file %(name)s is larger than %(size)d MB.") % {"name": name, "size": max_size_mb})
    kind = sniff(upload)
    if kind is None or kind not in accepted:
        allowed = ", ".join(t.upper() for t in accepted)
        raise UploadRefused(
            _("The file %(name)s is not an accepted type (%(allowed)s); its content was checked, not its name.")
            % {"name": name, "allowed": allowed})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    upload.name = named_as(name, kind)
    return kind, digest.hexdigest()


class StoredFiles:
    """Files written to storage during one submission; removed again if it fails, so that a
    refused or rolled-back submission leaves no orphan file behind."""

    def __init__(self, storage):
        self.storage = storage
        self.names: list[str] = []

    def remember(self, name: str) -> None:
        self.names.append(name)

    def discard(self) -> None:
        for name in self.names:
            with contextlib.suppress(OSError):
                self.storage.delete(name)
        self.names.clear()
