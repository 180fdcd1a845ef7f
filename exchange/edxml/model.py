"""What an edXML package says, independent of its XML dialect: the contract between the schema
module (build/parse) and the exchange's services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Organ:
    """An organ by its identifier code (mã định danh, ``000.00.00.H55``) and name."""

    code: str
    name: str = ""
    unit: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ResponseFor:
    """The document a status (or an answer) is about."""

    organ_code: str
    code: str                      # number/notation, "12/UBND-VP"
    promulgation_date: dt.date
    document_id: str               # "<sender OrganId>,<yyyy-mm-dd>,<number/notation>"


@dataclass(frozen=True)
class Signer:
    competence: str = ""           # TM./KT./Q./TL./TUQ.
    position: str = ""
    full_name: str = ""


@dataclass(frozen=True)
class Trace:
    organ_code: str
    timestamp: dt.datetime


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mime: str = "application/pdf"
    description: str = ""


@dataclass(frozen=True)
class Actor:
    """Who reported a status (StaffInfo)."""

    name: str = ""
    department: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class DocumentPackage:
    package_id: str
    document_id: str
    sender: Organ
    recipients: list[Organ]
    code_number: str               # "12"
    code_notation: str             # "UBND-VP"
    place: str
    promulgation_date: dt.date
    document_type: int             # 1 legal, 2 administrative (edXML DocumentType/Type)
    type_name: str                 # "Công văn"
    subject: str
    content: str = ""
    signer: Signer = field(default_factory=Signer)
    due_date: dt.date | None = None
    steering_type: int = 0
    to_places: list[str] = field(default_factory=list)
    priority: int = 0              # 0 normal, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc
    page_amount: int = 0
    appendixes: list[str] = field(default_factory=list)
    response_for: ResponseFor | None = None
    # "" a new document; "update" or "replace" a document sent before (``replaces`` its DocumentId)
    business: str = ""
    replaces: str = ""
    traces: list[Trace] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class StatusPackage:
    package_id: str
    sender: Organ                  # who reports
    recipient: Organ               # to whom (the document's sender)
    response_for: ResponseFor
    code: str                      # "01".."06", "13", "15", "16"
    at: dt.datetime
    actor: Actor = field(default_factory=Actor)
    description: str = ""


Package = DocumentPackage | StatusPackage


class Refused(Exception):
    """A package that cannot be taken: ``reason`` (translated, for the status 02 and the console)
    and, when it could be read, what it said it was (``package_id``, ``document_id``, ``sender``)."""

    def __init__(self, reason: str, *, package_id: str = "", document_id: str = "", sender: str = "",
                 recipients: tuple[str, ...] = ()):
        super().__init__(reason)
        self.reason = reason
        self.package_id = package_id
        self.document_id = document_id
        self.sender = sender
        self.recipients = recipients
