"""Sending through the axis (gửi văn bản điện tử, Decision 28/2018/QĐ-TTg): every package leaves as
a ``Package`` row (built and valid against its schema, kept byte for byte, state QUEUED) and an
outbox row ``exchange.deliver``, both written in the caller's transaction, so they exist exactly
when the change that owes them does. One package per recipient, the same DocumentId for all.

The agency's seal signature is added by the delivery (``delivery.deliver``), outside the
transaction that holds the document's row (the token is not called while a row is locked), and
kept in the row before the package goes out; an agency without a usable seal gets a dead letter
with the reason, never a lost distribution.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Agency
from documents import policy as document_policy
from documents.models import Channel, Distribution, Document, FileKind, Urgency
from documents.outgoing_files import current_file, read
from outbox.services import schedule

from . import edxml, statuses
from .edxml.model import Actor, Attachment, DocumentPackage, Organ, ResponseFor, Signer, StatusPackage, Trace
from .models import Dialect, Direction, Kind, Package, Partner, State, StatusEvent

DELIVER = "exchange.deliver"
PRIORITY: dict[str, int] = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.FLASH: 3}
DOCUMENT_ID = re.compile(r"^[0-9A-Za-z.]{1,20},\d{4}-\d{2}-\d{2},.+$")
ADMINISTRATIVE = 2  # edXML DocumentType/Type: 1 legal normative documents, 2 administrative ones


def new_package_id() -> str:
    return uuid.uuid4().hex


def dialect_for(code: str) -> str:
    """What the partner's system expects (``Partner``), QCVN 102:2016 unless said otherwise."""
    return Partner.objects.filter(code=code).values_list("dialect", flat=True).first() or Dialect.QCVN102


def organ(agency: Agency) -> Organ:
    return Organ(code=agency.code, name=agency.name, address=agency.address, email=agency.email,
                 phone=agency.phone)


def document_id(document: Document) -> str:
    """``<sender OrganId>,<yyyy-mm-dd>,<number/notation>`` (QCVN 102:2016 ResponseFor/DocumentId)."""
    issued_on = document.issued_on or timezone.localdate(document.issued_at or timezone.now())
    return f"{document.agency.code},{issued_on:%Y-%m-%d},{document.number_symbol}"


def response_for(exchange_id: str) -> ResponseFor:
    """The document a DocumentId names (the receiver keeps it as ``Document.exchange_id``)."""
    organ_code, day, code = (exchange_id.split(",", 2) + ["", "", ""])[:3]
    try:
        promulgated = dt.date.fromisoformat(day)
    except ValueError:
        promulgated = timezone.localdate()
    return ResponseFor(organ_code=organ_code, code=code, promulgation_date=promulgated, document_id=exchange_id)


def _split(number_symbol: str) -> tuple[str, str]:
    number, _slash, notation = number_symbol.partition("/")
    return number, notation


def document_package(document: Document, recipient: Agency, package_id: str) -> DocumentPackage:
    number, notation = _split(document.number_symbol)
    issued = current_file(document, FileKind.ISSUED)
    attachments = [Attachment(name=issued.original_name, content=read(issued), mime=issued.content_type)] \
        if issued is not None else []
    answers = document.in_reply_to
    # A replacement (thay thế) of a document that went out through the exchange says which one it replaces.
    replaced = document.replaces if document.replaces_id and Package.objects.filter(
        document_id=document.replaces_id, direction=Direction.OUT, kind=Kind.DOCUMENT).exists() else None
    place = document.agency.administrative_unit.name if document.agency.administrative_unit_id else ""
    return DocumentPackage(
        package_id=package_id, document_id=document_id(document), sender=organ(document.agency),
        recipients=[organ(recipient)], code_number=number, code_notation=notation, place=place,
        promulgation_date=document.issued_on or timezone.localdate(), document_type=ADMINISTRATIVE,
        type_name=document.document_type.name, subject=document.abstract,
        signer=Signer(full_name=document.signer_name), priority=PRIORITY.get(document.urgency, 0),
        page_amount=document.page_count or 0,
        to_places=[line.strip() for line in document.recipients_text.splitlines() if line.strip()][:20],
        response_for=response_for(answers.exchange_id) if answers is not None and answers.exchange_id else None,
        business="replace" if replaced else "", replaces=document_id(replaced) if replaced else "",
        traces=[Trace(organ_code=document.agency.code, timestamp=timezone.now())], attachments=attachments)


def queue(package: Package, data: bytes) -> Package:
    """Keep ``package`` with its bytes and record its delivery, in the caller's transaction."""
    package.raw, package.size, package.sha256 = data, len(data), hashlib.sha256(data).hexdigest()
    package.save()
    schedule(DELIVER, (package.pk,), {})
    return package


def send_document(distribution: Distribution) -> Package:
    """The issued document to one agency of the directory (its exchange Distribution row). Inside
    the distributing transaction; a classified document never leaves (Decree 30/2020 and
    ``documents.policy.may_leave_the_agency``)."""
    document, recipient = distribution.document, distribution.agency
    if distribution.channel != Channel.EXCHANGE or recipient is None:
        raise ValueError("not an exchange distribution")
    if not document_policy.may_leave_the_agency(document):
        raise PermissionDenied(_("A classified document never leaves the agency."))
    package_id = new_package_id()
    content = document_package(document, recipient, package_id)
    dialect = dialect_for(recipient.code)
    data = edxml.build(content, dialect=dialect)
    return queue(Package(direction=Direction.OUT, kind=Kind.DOCUMENT, state=State.QUEUED, package_id=package_id,
                          exchange_id=content.document_id, from_code=document.agency.code, to_codes=[recipient.code],
                          dialect=dialect, agency=document.agency, document=document, distribution=distribution),
                  data)


def actor_of(user) -> Actor:
    """Who reports a status (StaffInfo): the official's name, nothing more personal."""
    if user is None:
        return Actor()
    return Actor(name=user.get_full_name() or user.get_username())


def send_status(*, agency: Agency, to: str, about: ResponseFor, code: str, description: str = "", by=None,
                document: Document | None = None, distribution: Distribution | None = None,
                organ_code: str = "") -> Package:
    """A status message (01–06, 13, 15, 16) from ``agency`` to the organ ``to`` about a document;
    recorded as a ``StatusEvent`` (sent) on ``document`` when there is one here."""
    if code not in statuses.CODES:
        raise ValueError(f"unknown status code {code}")
    now = timezone.now()
    package_id = new_package_id()
    actor = actor_of(by)
    content = StatusPackage(package_id=package_id, sender=organ(agency), recipient=Organ(code=to), response_for=about,
                            code=code, at=now, actor=actor, description=description[:2000])
    dialect = dialect_for(to)
    data = edxml.build(content, dialect=dialect)
    package = queue(Package(direction=Direction.OUT, kind=Kind.STATUS, state=State.QUEUED, package_id=package_id,
                             exchange_id=about.document_id, status_code=code, from_code=agency.code, to_codes=[to],
                             dialect=dialect, agency=agency, document=document, distribution=distribution),
                     data)
    if document is not None:
        StatusEvent.objects.create(direction=Direction.OUT, document=document, distribution=distribution,
                                   organ_code=organ_code or agency.code, code=code, at=now, actor=actor.name[:255],
                                   description=description, package=package)
    return package


def already_said(document: Document, code: str) -> bool:
    return StatusEvent.objects.filter(direction=Direction.OUT, document=document, code=code).exists()


def is_document_id(value: str) -> bool:
    return bool(DOCUMENT_ID.match(value or ""))


def answer(document: Document, code: str, *, by=None, description: str = "") -> Package | None:
    """A status about an incoming document that came through the exchange, back to its sender
    (nothing for a document whose id names no sender: one loaded by hand, not received)."""
    if document.source != "exchange" or not is_document_id(document.exchange_id):
        return None
    about = response_for(document.exchange_id)
    return send_status(agency=document.agency, to=about.organ_code, about=about, code=code, description=description,
                       by=by, document=document)
