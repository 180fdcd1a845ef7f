"""Receiving from the axis: every package is kept (``Package``, direction in), valid or not, and
processed once.

- a document → ``documents.incoming.receive_electronic`` for each agency here it is addressed to
  (pending the clerk's acceptance), and a status 01 back to its sender;
- a status → the sender's ``Distribution`` moves forward (never back: ``statuses.PROGRESS``) and a
  ``StatusEvent`` is kept; a recall (13) flags the document here and tells its clerks;
- an invalid package (too large, malformed, wrong namespace, a field missing, an attachment
  changed, a bad package or PDF signature, no recipient here) is kept REFUSED with the reason
  (an oversized one: its first bytes), and a status 02 goes back when its sender can be read;
- the same package id again: stored once; the same DocumentId again under another package id:
  kept DUPLICATE, nothing registered twice.

``receive_electronic`` runs its own durable transaction (idempotent per agency and DocumentId), so
a document is registered first and its package stored right after; if the process stops between
the two, the package was not acknowledged, the axis offers it again and the second pass finds
the document already there: nothing lost, nothing twice.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Agency
from documents.emails import Upload
from documents.incoming import receive_electronic
from documents.models import Comment, Document, DocumentType, Status, Urgency
from documents.models import Direction as DocumentDirection

from . import edxml, sending, statuses
from .edxml.model import DocumentPackage, Refused, StatusPackage
from .models import Direction, Kind, Package, State, StatusEvent
from .notices import tell_clerks

logger = logging.getLogger(__name__)

KEEP_BYTES = 64 * 1024  # what is kept of an oversized package
URGENCY = {0: Urgency.NORMAL, 1: Urgency.URGENT, 2: Urgency.VERY_URGENT, 3: Urgency.FLASH}
RECALL_ANSWERS = (statuses.RECALL_AGREED, statuses.RECALL_REFUSED)


def max_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_PACKAGE_BYTES", 50 * 1024 * 1024))


def receive(data: bytes, axis_id: str = "") -> Package:
    """Keep and process one package fetched from the axis; returns its row (new or the one kept
    before). Never raises for what the package says: only for the database or the storage."""
    data = bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    try:
        parsed = edxml.parse(data, max_bytes=max_bytes())
        _sealed_by_sender(parsed, edxml.verify(data))
        edxml.verify_pdf_attachments(parsed)
        dialect = edxml.dialect_of(data)
    except Refused as error:
        return _refuse(data, digest, axis_id, error)
    kept = Package.objects.filter(direction=Direction.IN, package_id=parsed.package_id).first()
    if kept is not None:
        return kept
    codes = [organ.code for organ in (parsed.recipients if isinstance(parsed, DocumentPackage) else [parsed.recipient])]
    here = list(Agency.objects.filter(code__in=codes, on_other_system=False).order_by("code"))
    sender = parsed.sender.code
    document_id = parsed.document_id if isinstance(parsed, DocumentPackage) else parsed.response_for.document_id
    if not here:
        return _refuse(data, digest, axis_id, Refused(
            _("No recipient of the package is served here: %(codes)s.") % {"codes": ", ".join(codes)},
            package_id=parsed.package_id, document_id=document_id, sender=sender, recipients=tuple(codes)))
    row = Package(direction=Direction.IN, package_id=parsed.package_id, axis_id=axis_id, exchange_id=document_id,
                  from_code=sender, to_codes=codes, dialect=dialect, raw=data, size=len(data), sha256=digest,
                  agency=here[0])
    try:
        if isinstance(parsed, DocumentPackage):
            return _document(row, parsed, here)
        return _status(row, parsed, here)
    except IntegrityError:  # another poller stored it meanwhile
        return Package.objects.get(direction=Direction.IN, package_id=parsed.package_id)


# --- refusals -----------------------------------------------------------------------------------

def _sealed_by_sender(parsed: DocumentPackage | StatusPackage, signer: str) -> None:
    """The seal must be the sender's own: its certificate names the sender's identifier code
    (``EXCHANGE_SIGNER_NAMES_SENDER``), so one agency's seal cannot speak for another."""
    if not getattr(settings, "EXCHANGE_SIGNER_NAMES_SENDER", True):
        return
    code = parsed.sender.code
    if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", signer):
        return
    recipients = parsed.recipients if isinstance(parsed, DocumentPackage) else [parsed.recipient]
    raise Refused(_("The package says it comes from %(code)s but is sealed by someone else (%(signer)s).") % {
        "code": code, "signer": signer[:200]}, package_id=parsed.package_id,
        document_id=parsed.document_id if isinstance(parsed, DocumentPackage) else parsed.response_for.document_id,
        sender=code, recipients=tuple(organ.code for organ in recipients))


def _looks_like_status(data: bytes) -> bool:
    # A status is never answered by a status: two systems that disagree would answer each other forever.
    return b"StatusCode" in data[:KEEP_BYTES]


def _reporter(codes: list[str]) -> Agency | None:
    """Who answers a refusal here: an addressed agency, else the level-1 unit named by the code's
    rightmost group (``000.00.99.H55`` → the province's ``000.00.00.H55``, QCVN 102:2016), whose
    system received it."""
    local = Agency.objects.filter(on_other_system=False)
    found = local.filter(code__in=codes).order_by("code").first()
    if found is None:
        level_one = {f"000.00.00.{code.rsplit('.', 1)[-1]}" for code in codes if "." in code}
        found = local.filter(code__in=level_one).order_by("code").first()
    return found


def _refuse(data: bytes, digest: str, axis_id: str, error: Refused, *, kind: str = "") -> Package:
    package_id = (error.package_id or f"sha256-{digest}")[:64]
    kept = Package.objects.filter(direction=Direction.IN, package_id=package_id).first()
    if kept is not None:
        return kept
    recipients = list(error.recipients)
    reporter = _reporter(recipients)
    is_status = _looks_like_status(data)
    row = Package(direction=Direction.IN, kind=kind or (Kind.STATUS if is_status else Kind.DOCUMENT),
                  state=State.REFUSED, package_id=package_id, axis_id=axis_id, exchange_id=error.document_id[:255],
                  from_code=error.sender[:20], to_codes=recipients, raw=data[:KEEP_BYTES], size=len(data),
                  sha256=digest, agency=reporter, error=error.reason, processed_at=timezone.now())
    try:
        with transaction.atomic():
            row.save()
            if reporter is not None and error.sender and error.document_id and not is_status:
                sending.send_status(agency=reporter, to=error.sender, about=sending.response_for(error.document_id),
                                    code=statuses.REFUSED, description=error.reason)
    except IntegrityError:
        return Package.objects.get(direction=Direction.IN, package_id=package_id)
    logger.warning("exchange package refused", extra={"package": row.pk, "reason": error.reason[:200]})
    return row


# --- a document ---------------------------------------------------------------------------------

def _document_type(name: str) -> DocumentType | None:
    found = DocumentType.objects.filter(name__iexact=name.strip()).first() if name.strip() else None
    return found or DocumentType.objects.filter(is_letter=True).order_by("order").first() or DocumentType.objects.first()


def _metadata(parsed: DocumentPackage) -> dict:
    number = "/".join(part for part in (parsed.code_number, parsed.code_notation) if part)
    return {
        "document_type": _document_type(parsed.type_name), "number_symbol": number[:60],
        "issued_on": parsed.promulgation_date, "issuer_name": (parsed.sender.name or parsed.sender.code)[:255],
        "issuer_agency": Agency.objects.filter(code=parsed.sender.code).first(), "abstract": parsed.subject[:2000],
        "signer_name": parsed.signer.full_name[:200], "urgency": URGENCY.get(parsed.priority, Urgency.NORMAL),
        "page_count": parsed.page_amount or None, "handling_due_on": parsed.due_date,
    }


def _about(parsed: DocumentPackage):
    from .edxml.model import ResponseFor

    return ResponseFor(organ_code=parsed.sender.code, code="/".join(p for p in (parsed.code_number,
                                                                                   parsed.code_notation) if p),
                       promulgation_date=parsed.promulgation_date, document_id=parsed.document_id)


def _document(row: Package, parsed: DocumentPackage, here: list[Agency]) -> Package:
    refused = Refused("", package_id=parsed.package_id, document_id=parsed.document_id, sender=parsed.sender.code,
                      recipients=tuple(row.to_codes))
    row.kind = Kind.DOCUMENT
    if parsed.response_for is not None:
        from . import dossiers  # an answer to a dossier sent to an agency on another system

        dossier_sent = dossiers.sent_for(parsed.response_for.document_id)
        if dossier_sent is not None:
            return dossiers.take_answer(row, parsed, dossier_sent)
    seen = Package.objects.filter(direction=Direction.IN, kind=Kind.DOCUMENT, state=State.RECEIVED,
                                  exchange_id=parsed.document_id, agency__in=here).exists()
    if seen:  # the same document under another package id: kept, registered once
        row.state, row.processed_at = State.DUPLICATE, timezone.now()
        row.document = Document.objects.filter(agency__in=here, direction=DocumentDirection.INCOMING,
                                               exchange_id=parsed.document_id).first()
        row.error = _("This document was already received (DocumentId %(id)s).") % {"id": parsed.document_id}
        row.save()
        return row
    files = [Upload(name=a.name, content=a.content, content_type=a.mime) for a in parsed.attachments]
    documents = []
    try:
        for agency in here:
            documents.append(receive_electronic(agency=agency, metadata=_metadata(parsed), files=files,
                                                exchange_id=parsed.document_id[:100]))
    except (ValidationError, ValueError) as error:
        refused.reason = " ".join(getattr(error, "messages", None) or [str(error)])
        return _refuse(bytes(row.raw), row.sha256, row.axis_id, refused, kind=Kind.DOCUMENT)
    with transaction.atomic():
        row.state, row.processed_at, row.document = State.RECEIVED, timezone.now(), documents[0]
        row.save()
        for document in documents:
            _note_replacement(document, parsed)
            if not sending.already_said(document, statuses.ARRIVED):
                sending.send_status(agency=document.agency, to=parsed.sender.code, about=_about(parsed),
                                    code=statuses.ARRIVED, document=document)
    return row


def _note_replacement(document: Document, parsed: DocumentPackage) -> None:
    """An update or a replacement of a document received before: the new one names it (``replaces``)
    and the earlier one keeps a comment saying so; both stay in the register, as received."""
    if parsed.business not in ("update", "replace") or not parsed.replaces:
        return
    earlier = (Document.objects.filter(agency=document.agency, direction=DocumentDirection.INCOMING,
                                       exchange_id=parsed.replaces[:100]).exclude(pk=document.pk).first())
    if earlier is None:
        return
    Document.objects.filter(pk=document.pk).update(replaces=earlier)
    text = (_("Replaced by %(number)s, received through the exchange.") if parsed.business == "replace"
            else _("Updated by %(number)s, received through the exchange.")) % {
        "number": document.number_symbol or parsed.document_id}
    Comment.objects.create(document=earlier, author=document.created_by, text=text)


# --- a status -----------------------------------------------------------------------------------

def advance(distribution, code: str) -> bool:
    """The sender's view of one recipient moves forward only (a late 03 after a 06 changes nothing);
    a recall's answer (15, 16) is final."""
    from documents.models import Distribution

    current = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if current.status in RECALL_ANSWERS:
        return False
    if code not in RECALL_ANSWERS:
        if code not in statuses.PROGRESS or statuses.PROGRESS[code] <= statuses.PROGRESS.get(current.status, 0):
            return False
    Distribution.objects.filter(pk=current.pk).update(status=code, read_at=current.read_at or timezone.now())
    return True


def _status(row: Package, parsed: StatusPackage, here: list[Agency]) -> Package:
    row.kind, row.status_code = Kind.STATUS, parsed.code
    about = parsed.response_for
    with transaction.atomic():
        row.state, row.processed_at = State.RECEIVED, timezone.now()
        row.save()
        if parsed.code == statuses.RECALL:
            _recall_asked(row, parsed, here)
            return row
        if parsed.code == statuses.REFUSED:
            from . import dossiers  # a dossier refused by the agency on another system goes back a step

            dossier_sent = dossiers.sent_for(about.document_id)
            if dossier_sent is not None:
                row.dossier = dossier_sent.dossier
                row.save(update_fields=["dossier"])
                dossiers.refused_elsewhere(dossier_sent, parsed.description)
                return row
        sent = (Package.objects.filter(direction=Direction.OUT, kind=Kind.DOCUMENT, exchange_id=about.document_id,
                                       agency__in=here, distribution__agency__code=parsed.sender.code)
                .select_related("distribution", "document").order_by("-created_at").first())
        if sent is None or sent.distribution is None or sent.document is None:
            row.error = _("No document sent from here matches this status.")
            row.save(update_fields=["error"])
            return row
        row.document, row.distribution = sent.document, sent.distribution
        row.save(update_fields=["document", "distribution"])
        StatusEvent.objects.get_or_create(
            direction=Direction.IN, document=sent.document, organ_code=parsed.sender.code, code=parsed.code,
            package=row, defaults={"distribution": sent.distribution, "at": parsed.at, "actor": parsed.actor.name[:255],
                                   "description": parsed.description})
        advance(sent.distribution, parsed.code)
        if parsed.code in (statuses.REFUSED, *RECALL_ANSWERS):
            tell_clerks(sent.document.agency_id, key=f"exchange-status:{row.pk}",
                        title=_("%(organ)s: %(status)s – %(number)s") % {
                            "organ": parsed.sender.name or parsed.sender.code, "status": statuses.label(parsed.code),
                            "number": sent.document.number_symbol},
                        body=parsed.description or sent.document.abstract[:200])
    return row


def _recall_asked(row: Package, parsed: StatusPackage, here: list[Agency]) -> None:
    documents = Document.objects.filter(agency__in=here, direction=DocumentDirection.INCOMING,
                                        exchange_id=parsed.response_for.document_id).exclude(status=Status.RECALLED)
    found = False
    for document in documents:
        found = True
        row.document = row.document or document
        StatusEvent.objects.get_or_create(
            direction=Direction.IN, document=document, organ_code=document.agency.code, code=statuses.RECALL,
            package=row, defaults={"at": parsed.at, "actor": parsed.actor.name[:255],
                                   "description": parsed.description})
        tell_clerks(document.agency_id, key=f"exchange-recall:{row.pk}:{document.pk}",
                    title=_("The sender asks for document %(number)s back") % {"number": document.number_symbol},
                    body=parsed.description or document.abstract[:200])
    if not found:
        row.error = _("No document received here matches this recall.")
    row.save(update_fields=["document", "error"])
