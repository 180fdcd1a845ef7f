"""Versions of an outgoing document's file (every version kept, a new one never overwrites one)
and the shared pieces of the outgoing doors: the lock with the optimistic revision, the notices.

A version is a ``DocumentFile`` of kind DRAFT numbered 1, 2, 3…: an uploaded PDF, or the platform's
layout of the structured text (``documents.layout``) rendered whenever that text changes — so the
version reviewed, commented on and signed is always a file, whichever way it was written.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.tasks import enqueue

from .models import Document, DocumentFile, FileKind


class StaleDocument(Exception):
    """The document changed since the page was shown (its ``revision`` moved on)."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Someone else changed this document meanwhile. Nothing was saved; "
                                      "reload the page and try again."))


def lock(document: Document, revision: int | None = None) -> Document:
    """The document, locked for the caller's transaction; refused if ``revision`` is not its own."""
    current = Document.objects.select_for_update(of=("self",)).select_related("agency", "document_type").get(
        pk=document.pk)
    if revision is not None and int(revision) != current.revision:
        raise StaleDocument
    return current


def touch(document: Document, *fields: str) -> None:
    document.revision += 1
    document.save(update_fields=["revision", "updated_at", *fields])


def current_version(document: Document) -> int:
    return document.files.filter(kind=FileKind.DRAFT).aggregate(top=Max("version"))["top"] or 0


def current_file(document: Document, kind: str = FileKind.DRAFT) -> DocumentFile | None:
    return document.files.filter(kind=kind).order_by("-version", "-id").first()


def shown_file(document: Document) -> DocumentFile | None:
    """What the document's page shows: the issued file, else the signed one, else the latest draft."""
    for kind in (FileKind.ISSUED, FileKind.SIGNED, FileKind.DRAFT):
        found = current_file(document, kind)
        if found is not None:
            return found
    return None


def read(record: DocumentFile) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


def store(document: Document, pdf: bytes, *, kind: str, version: int, name: str, by, stored,
          note: str = "") -> DocumentFile:
    """A new file of ``document`` (saved to storage and to the database; the caller's
    ``files_or_nothing`` deletes the stored file again if its transaction fails)."""
    record = DocumentFile(document=document, kind=kind, version=version, original_name=name[:255],
                          content_type="application/pdf", size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
                          uploaded_by=by, uploaded_at=timezone.now(), note=note[:500])
    record.file.save(record.original_name, ContentFile(pdf), save=False)
    stored.remember(record.file.name)
    record.save()
    return record


def tell(document: Document, *, title: str, body: str, by, assignee=None, role: str | None = None,
         unit_id: int | None = None, key: str) -> None:
    """An in-app notice to one official or to the holders of ``role`` in the agency, scheduled with
    the caller's transaction. Callers word it inside :func:`in_platform_language` (stored text)."""
    enqueue("notifications.notify_officials", dossier_id=None, agency_id=document.agency_id, unit_id=unit_id,
            role=role, assignee_id=getattr(assignee, "pk", None), skip_id=getattr(by, "pk", None),
            key=f"{key}:{document.pk}:{document.revision}", title=str(title), body=str(body))


def in_platform_language():
    return translation.override("vi")


def label(document: Document) -> str:
    return f"{document.document_type.name}: {document.abstract[:120]}"
