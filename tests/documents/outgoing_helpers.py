"""One-line scenarios for outgoing documents (văn bản đi): Sở Tư pháp's specialist drafts, the unit
head and the director review, the director signs, the clerk issues."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from documents import drafting
from documents.models import DocumentType

LETTER_BODY = ("Sở Tư pháp đề nghị các phòng rà soát thủ tục hộ tịch trước ngày 15/12.\n"
               "Kết quả gửi về Văn phòng Sở.")


def kind(abbreviation: str) -> DocumentType:
    return DocumentType.objects.get(abbreviation=abbreviation)


def draft(demo, *, by="chuyenvien.stp", agency="STP", type_="QĐ", abstract="ban hành quy chế làm việc",
          body=LETTER_BODY, confidentiality="normal", **extra):
    return drafting.create_draft(agency=demo.agencies[agency], user=demo.users[by], document_type=kind(type_),
                                 abstract=abstract, body=body, recipients_text="Như Điều 3;\nLưu: VT, HCTP.",
                                 drafting_unit=None, urgency="normal", confidentiality=confidentiality, **extra)


def approved(demo, **kwargs):
    """A draft reviewed by the unit head and approved by the director."""
    document = draft(demo, **kwargs)
    users = demo.users
    drafting.submit_for_review(document, users["chuyenvien.stp"], [users["truongphong.stp"], users["giamdoc.stp"]])
    drafting.review(document, users["truongphong.stp"], approve=True)
    return drafting.review(document, users["giamdoc.stp"], approve=True)


def pdf_upload(content: bytes, name="du-thao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
