"""One-line documents for the search, statistics, records and API tests."""

import datetime as dt
from zoneinfo import ZoneInfo

from documents import search_text
from documents.demo import load_registers
from documents.models import Confidentiality, Direction, Document, DocumentFile, DocumentType, Register, Source, Status

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VN)


def register(demo, agency_key: str, direction=Direction.INCOMING, confidential=False) -> Register:
    load_registers()
    return Register.objects.get(agency=demo.agencies[agency_key], direction=direction, confidential=confidential)


def make_document(demo, agency_key="STP", *, abstract="Về việc tổ chức hội nghị", direction=Direction.INCOMING,
                  status=None, source=Source.PAPER, type_abbreviation="CV", ocr_text="", classified=False,
                  received_on=None, due_on=None, handled_on=None, issued_on=None, drafting_unit=None,
                  created_by="vanthu.stp", number_symbol="", page_count=None) -> Document:
    incoming = direction == Direction.INCOMING
    document_type = (DocumentType.objects.filter(abbreviation=type_abbreviation).first()
                     or DocumentType.objects.filter(is_letter=True).first())
    document = Document.objects.create(
        agency=demo.agencies[agency_key], direction=direction,
        status=status or (Status.REGISTERED if incoming else Status.DRAFTING), source=source,
        register=register(demo, agency_key, direction, classified), document_type=document_type,
        abstract=abstract, number_symbol=number_symbol, page_count=page_count,
        confidentiality=Confidentiality.CONFIDENTIAL if classified else Confidentiality.NORMAL,
        received_at=at(received_on) if received_on else None, handling_due_on=due_on,
        handled_at=at(handled_on, 16) if handled_on else None, issued_at=at(issued_on) if issued_on else None,
        drafting_unit=drafting_unit, created_by=demo.users[created_by])
    if ocr_text:
        DocumentFile.objects.create(document=document, kind="main", file="documents/x.pdf", original_name="scan.pdf",
                                    content_type="application/pdf", size=1, sha256="0" * 64, text=ocr_text,
                                    uploaded_by=demo.users[created_by])
    search_text.refresh(document)
    return document
