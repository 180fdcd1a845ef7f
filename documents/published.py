"""Which issued outgoing document a verification link names (the QR code the leader's signature
stamps, ``signing.services.verification_url``), for the public verification page.

The link holds the hash of the version the leader signed (the draft before the code was drawn on
it). The page shows the document's issued file only once it is issued (number and seal, Decree
30/2020 art. 15) and never a classified one: its content does not leave the agency
(``documents.policy.may_leave_the_agency``)."""

from __future__ import annotations

from signing.published import PublishedDocument

from .models import DocumentFile, FileKind, Status
from .policy import may_leave_the_agency


def issued_document(sha256: str) -> PublishedDocument | None:
    named = (DocumentFile.objects.filter(sha256=sha256, kind__in=[FileKind.DRAFT, FileKind.SIGNED, FileKind.ISSUED])
             .select_related("document__agency", "document__document_type").order_by("id").first())
    if named is None:
        return None
    document = named.document
    if document.status != Status.ISSUED or document.issued_on is None or not may_leave_the_agency(document):
        return None
    issued = document.files.filter(kind=FileKind.ISSUED).order_by("-id").first()
    signed = document.files.filter(kind=FileKind.SIGNED).order_by("-id").first()
    if issued is None or signed is None or (named.kind == FileKind.DRAFT and named.version != signed.version):
        return None  # a draft version that was not the one signed
    kind = document.document_type
    title = kind.name if not kind.is_letter else f"{kind.name} V/v {document.abstract[:150]}"
    return PublishedDocument(agency=document.agency.name, title=title, number=document.number_symbol,
                             issued_on=document.issued_on, file=issued.file, filename=issued.original_name)
