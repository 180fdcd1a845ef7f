"""Văn bản đến: registering incoming documents in the agency's incoming register (sổ đăng ký văn
bản đến, Decree 30/2020/NĐ-CP art. 20-21) from three sources, every one a door that checks the
clerk's reach first (``documents.policy``):

- a paper document scanned at the clerk's desk (:func:`register_paper`), its scans read by OCR;
- an e-mail uploaded as an ``.eml`` file (:func:`register_email`);
- an electronic document from the inter-agency exchange (:func:`receive_electronic`), which waits
  for the clerk's :func:`accept` or :func:`refuse` with its metadata filled in.

The arrival number (số đến) is taken in the registering transaction by one conditional statement
on the register's counter (yearly, series ""), so numbers stay gap-free and in order. Text is
extracted before the transaction opens. A document whose issuer, number and date match one the
agency already holds is not registered again unless the clerk confirms (:class:`DuplicateFound`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Agency, Membership, Role
from dossiers.services import files_or_nothing

from . import ocr, policy, signals
from .emails import Upload, read_message
from .models import (
    Comment,
    Confidentiality,
    Direction,
    Document,
    DocumentFile,
    FileKind,
    Register,
    RegisterCounter,
    Source,
    Status,
)
from .search_text import build, fingerprint

METADATA = ("document_type", "number_symbol", "issued_on", "issuer_name", "issuer_agency", "abstract",
            "signer_name", "urgency", "confidentiality", "page_count", "handling_due_on")


class DuplicateFound(Exception):
    """The agency already holds a document with the same issuer, number and date: the clerk sees
    it and registers this one as a duplicate copy (``allow_duplicate=True``) or cancels."""

    def __init__(self, existing: Document):
        super().__init__(existing.pk)
        self.existing = existing


class StaleDocument(Exception):
    """The page showed an older revision: someone changed the document meanwhile."""


# --- shared by the doors ----------------------------------------------------------------------------

def lock(document: Document, expected_revision: int | None) -> Document:
    """The document's row, locked for this transaction; stale if its revision moved on."""
    fresh = Document.objects.select_for_update().get(pk=document.pk)
    if expected_revision is not None and fresh.revision != expected_revision:
        raise StaleDocument(_("Someone changed this document meanwhile. Reload the page and try again."))
    return fresh


def bump(document: Document, *fields: str) -> None:
    document.revision += 1
    document.save(update_fields=[*fields, "revision", "updated_at"])


def as_uploads(files: Iterable) -> list[Upload]:
    """Uploaded files (Django's) or :class:`Upload` values, read into memory once."""
    uploads = []
    for item in files or []:
        if isinstance(item, Upload):
            uploads.append(item)
        else:
            item.seek(0)
            uploads.append(Upload(name=item.name, content=item.read(),
                                  content_type=getattr(item, "content_type", "") or "application/octet-stream"))
    return uploads


def next_arrival_number(register: Register, year: int) -> int:
    """The register's next arrival number for ``year``: one conditional UPDATE moves the counter,
    locking its row until the caller's commit, so two clerks never share a number and a failed
    registration gives its number back."""
    if not RegisterCounter.objects.filter(register=register, year=year, series="").exists():
        try:
            with transaction.atomic():  # a savepoint: a concurrent first registration may create it too
                RegisterCounter.objects.create(register=register, year=year, series="", last=0)
        except IntegrityError:
            pass
    RegisterCounter.objects.filter(register=register, year=year, series="").update(last=F("last") + 1)
    return RegisterCounter.objects.filter(register=register, year=year, series="").values_list(
        "last", flat=True).get()


def duplicates_of(document: Document) -> QuerySet:
    """Other documents of the agency with the same fingerprint (not refused ones)."""
    if not document.fingerprint:
        return Document.objects.none()
    return (Document.objects.filter(agency_id=document.agency_id, direction=Direction.INCOMING,
                                    fingerprint=document.fingerprint)
            .exclude(pk=document.pk).exclude(status=Status.REFUSED).order_by("created_at"))


def check_register(register: Register, *, agency_id: int, confidentiality: str) -> None:
    if register.agency_id != agency_id or register.direction != Direction.INCOMING or not register.active:
        raise ValidationError(_("Choose an incoming register of this agency that is in use."))
    if confidentiality != Confidentiality.NORMAL and not register.confidential:
        # Decree 30/2020 art. 21: classified documents are registered in a register of their own.
        raise ValidationError(_("A classified document is registered only in the register for classified "
                                "documents."))


def _keep_files(document: Document, uploads: list[Upload], texts: list[str], user, stored) -> None:
    for index, (upload, text) in enumerate(zip(uploads, texts, strict=True)):
        record = DocumentFile(
            document=document, kind=FileKind.MAIN if index == 0 else FileKind.ATTACHMENT,
            original_name=upload.name[:255], content_type=upload.content_type[:100], size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(), text=text, uploaded_by=user)
        record.file.save(upload.name.rsplit("/", 1)[-1][-100:] or "file", ContentFile(upload.content), save=False)
        stored.remember(record.file.name)
        record.save()


def _flag(document: Document, existing: Document, user) -> None:
    """Say on the document that it is the same as one already held (the page shows it too)."""
    Comment.objects.create(document=document, author=user, text=_(
        "Possibly the same document as arrival number %(number)s (%(source)s), registered on %(date)s.") % {
        "number": existing.register_number or "—", "source": existing.get_source_display(),
        "date": f"{timezone.localtime(existing.received_at or existing.created_at):%d/%m/%Y}"})


def _metadata(metadata: dict) -> dict:
    unknown = set(metadata) - set(METADATA) - {"received_at"}
    if unknown:
        raise ValueError(f"unknown metadata: {sorted(unknown)}")
    values = {key: metadata[key] for key in METADATA if metadata.get(key) not in (None, "")}
    if not str(values.get("abstract", "")).strip() or values.get("document_type") is None:
        raise ValidationError(_("Give at least the type of the document and its abstract (trích yếu)."))
    return values


# --- the doors --------------------------------------------------------------------------------------

def _register(*, agency: Agency, register: Register, clerk, metadata: dict, uploads: list[Upload],
              source: str, allow_duplicate: bool, extra_text: str = "") -> Document:
    if not policy.may_register(clerk, agency.pk):
        raise PermissionDenied(_("Only the agency's clerk registers incoming documents."))
    values = _metadata(metadata)
    check_register(register, agency_id=agency.pk,
                   confidentiality=values.get("confidentiality", Confidentiality.NORMAL))
    document = Document(agency=agency, direction=Direction.INCOMING, status=Status.REGISTERED, source=source,
                        register=register, created_by=clerk, received_at=metadata.get("received_at") or timezone.now(),
                        **values)
    document.fingerprint = fingerprint(issuer_name=document.issuer_name, number_symbol=document.number_symbol,
                                       issued_on=document.issued_on)
    existing = duplicates_of(document).first()
    if existing is not None and not allow_duplicate:
        raise DuplicateFound(existing)
    texts = [ocr.extract_text(upload.name, upload.content) for upload in uploads]  # outside the transaction
    # A file stored before the transaction fails is deleted again (dossiers.services.files_or_nothing).
    with files_or_nothing() as stored, transaction.atomic(durable=True):
        document.register_year = timezone.localdate().year
        document.register_number = next_arrival_number(register, document.register_year)
        document.search_text = build(document, [*texts, extra_text])
        document.save()
        _keep_files(document, uploads, texts, clerk, stored)
        if existing is not None:
            _flag(document, existing, clerk)
    return document


def register_paper(*, agency: Agency, register: Register, clerk, metadata: dict, files: Iterable = (),
                   allow_duplicate: bool = False) -> Document:
    """A paper document scanned at the desk (PDF or images): its text read by OCR for search."""
    return _register(agency=agency, register=register, clerk=clerk, metadata=metadata, uploads=as_uploads(files),
                     source=Source.PAPER, allow_duplicate=allow_duplicate)


def email_proposal(raw: bytes) -> dict:
    """What an ``.eml`` file proposes for the form: abstract from the subject, issuer from the sender."""
    message = read_message(raw)
    return {"abstract": message.subject, "issuer_name": message.sender_name or message.sender_address,
            "attachments": [upload.name for upload in message.attachments]}


def register_email(*, agency: Agency, register: Register, clerk, metadata: dict, eml, files: Iterable = (),
                   allow_duplicate: bool = False) -> Document:
    """An e-mail (``eml``: the uploaded message, or its bytes): the subject and sender fill what the
    clerk left empty; the attachments, then ``files``, become the document's files."""
    raw = eml if isinstance(eml, bytes) else as_uploads([eml])[0].content
    message = read_message(raw)
    metadata = dict(metadata)
    metadata.setdefault("abstract", message.subject)
    if not metadata.get("abstract"):
        metadata["abstract"] = message.subject
    if not metadata.get("issuer_name"):
        metadata["issuer_name"] = message.sender_name or message.sender_address
    uploads = [*message.attachments, *as_uploads(files)]
    return _register(agency=agency, register=register, clerk=clerk, metadata=metadata, uploads=uploads,
                     source=Source.EMAIL, allow_duplicate=allow_duplicate, extra_text=message.text)


def _agency_clerk(agency: Agency):
    for membership in Membership.objects.valid_on().filter(agency=agency, official__is_active=True).select_related(
            "official").order_by("pk"):
        if Role.CLERK in (membership.roles or []):
            return membership.official
    raise ValueError(f"agency {agency.pk} has no clerk to receive documents")


def receive_electronic(*, agency: Agency, metadata: dict, files: Iterable, exchange_id: str,
                       received_by=None) -> Document:
    """A document arriving through the inter-agency exchange: kept PENDING, its metadata filled,
    until the clerk accepts it (number taken then) or refuses it. Idempotent per ``exchange_id``.
    The exchange has no person: the record names the agency's clerk (or ``received_by``)."""
    existing = Document.objects.filter(agency=agency, direction=Direction.INCOMING, exchange_id=exchange_id).first()
    if existing is not None:
        return existing
    values = _metadata(metadata)
    if values.get("confidentiality", Confidentiality.NORMAL) != Confidentiality.NORMAL:
        raise ValidationError(_("A classified document never travels through the exchange."))
    uploads = as_uploads(files)
    texts = [ocr.extract_text(upload.name, upload.content) for upload in uploads]
    clerk = received_by or _agency_clerk(agency)
    with files_or_nothing() as stored, transaction.atomic(durable=True):
        document = Document(agency=agency, direction=Direction.INCOMING, status=Status.PENDING,
                            source=Source.EXCHANGE, exchange_id=exchange_id, created_by=clerk,
                            received_at=metadata.get("received_at") or timezone.now(), **values)
        document.fingerprint = fingerprint(issuer_name=document.issuer_name, number_symbol=document.number_symbol,
                                           issued_on=document.issued_on)
        document.search_text = build(document, texts)
        document.save()
        _keep_files(document, uploads, texts, clerk, stored)
    return document


def accept(*, document: Document, clerk, register: Register, expected_revision: int | None = None) -> Document:
    """The clerk accepts an electronic arrival: it takes the next arrival number of ``register``.
    If it matches a document already held (the paper copy), it is flagged as the same one."""
    with transaction.atomic(durable=True):
        document = lock(document, expected_revision)
        policy.require(clerk, document, "accept")
        check_register(register, agency_id=document.agency_id, confidentiality=document.confidentiality)
        document.register = register
        document.register_year = timezone.localdate().year
        document.register_number = next_arrival_number(register, document.register_year)
        document.status = Status.REGISTERED
        bump(document, "register", "register_year", "register_number", "status")
        existing = duplicates_of(document).first()
        if existing is not None:
            _flag(document, existing, clerk)
        signals.accepted.send(Document, document=document, by=clerk)
    return document


def refuse(*, document: Document, clerk, reason: str, expected_revision: int | None = None) -> Document:
    if not reason.strip():
        raise ValidationError(_("Say why the document is refused."))
    with transaction.atomic(durable=True):
        document = lock(document, expected_revision)
        policy.require(clerk, document, "refuse")
        document.status = Status.REFUSED
        bump(document, "status")
        Comment.objects.create(document=document, author=clerk, text=reason.strip())
        signals.refused.send(Document, document=document, by=clerk, reason=reason.strip())
    return document


def edit(*, document: Document, clerk, changes: dict, expected_revision: int | None = None) -> Document:
    """The clerk corrects the details until the document is directed."""
    unknown = set(changes) - set(METADATA)
    if unknown:
        raise ValueError(f"unknown metadata: {sorted(unknown)}")
    with transaction.atomic(durable=True):
        document = lock(document, expected_revision)
        policy.require(clerk, document, "edit")
        for key, value in changes.items():
            setattr(document, key, value)
        if not document.abstract.strip():
            raise ValidationError(_("Give at least the type of the document and its abstract (trích yếu)."))
        if document.register is not None:
            check_register(document.register, agency_id=document.agency_id, confidentiality=document.confidentiality)
        document.fingerprint = fingerprint(issuer_name=document.issuer_name, number_symbol=document.number_symbol,
                                           issued_on=document.issued_on)
        document.search_text = build(document)
        bump(document, *changes, "fingerprint", "search_text")
    return document
