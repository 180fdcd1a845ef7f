"""What the documents API answers: a document's metadata; for a classified one only what tells it
exists (its number, type, dates and status), never its content (documents.policy.may_leave_the_agency)."""

import datetime as dt

from ninja import Schema

from documents.models import Document, Register
from documents.policy import may_leave_the_agency


class RegisterOut(Schema):
    id: int
    agency_code: str
    agency_name: str
    direction: str
    name: str
    confidential: bool
    active: bool


class DocumentOut(Schema):
    id: int
    agency_code: str
    direction: str
    status: str
    status_label: str
    source: str
    register_id: int | None
    register_year: int | None
    register_number: int | None
    document_type: str
    number_symbol: str
    issued_on: dt.date | None
    received_at: dt.datetime | None
    issued_at: dt.datetime | None
    handling_due_on: dt.date | None
    handled_at: dt.datetime | None
    urgency: str
    classified: bool
    # Content: null for a classified document.
    abstract: str | None
    issuer_name: str | None
    signer_name: str | None
    page_count: int | None


class DocumentPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[DocumentOut]


def register_out(register: Register) -> dict:
    return {"id": register.pk, "agency_code": register.agency.code, "agency_name": register.agency.name,
            "direction": register.direction, "name": register.name, "confidential": register.confidential,
            "active": register.active}


def document_out(document: Document) -> dict:
    shown = may_leave_the_agency(document)
    return {
        "id": document.pk, "agency_code": document.agency.code, "direction": document.direction,
        "status": document.status, "status_label": str(document.get_status_display()), "source": document.source,
        "register_id": document.register_id, "register_year": document.register_year,
        "register_number": document.register_number, "document_type": document.document_type.name,
        "number_symbol": document.number_symbol, "issued_on": document.issued_on,
        "received_at": document.received_at, "issued_at": document.issued_at,
        "handling_due_on": document.handling_due_on, "handled_at": document.handled_at,
        "urgency": document.urgency, "classified": not shown,
        "abstract": document.abstract if shown else None, "issuer_name": document.issuer_name if shown else None,
        "signer_name": document.signer_name if shown else None, "page_count": document.page_count,
    }
