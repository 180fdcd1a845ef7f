"""The e-office's documents, read-only, for the token's user: the same search and the same rule of
who reads what (documents.search, documents.selectors) as the pages."""

from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from documents.models import Direction, Register, Status
from documents.search import Filters, reader_agencies, search
from documents.selectors import visible_documents

from .. import inputs
from ..auth import bearer
from ..document_schemas import DocumentOut, DocumentPageOut, RegisterOut, document_out, register_out
from ..errors import ApiError, Problem

router = Router(tags=["documents"], auth=bearer)
AUTH_ERRORS = {401: Problem, 429: Problem}


@router.get("/documents", operation_id="listDocuments", response={200: DocumentPageOut, 422: Problem, **AUTH_ERRORS},
            summary="Văn bản · Documents",
            description="Văn bản đến và đi mà người dùng của mã truy cập được xem, tìm theo từ khóa (không cần dấu, "
                        "mọi từ phải có) và lọc; văn bản mật không có trích yếu, cơ quan ban hành, người ký.\n\n"
                        "The incoming and outgoing documents the token's user may read, searched (accents optional, "
                        "every word required) and filtered; a classified document comes without its content "
                        "(abstract, issuer, signer are null).")
def list_documents(request, response: HttpResponse, q: Annotated[str, Query(max_length=200)] = "",
                   direction: Direction | None = None, status: Status | None = None,
                   register_id: Annotated[int | None, Query(ge=1)] = None,
                   document_type: Annotated[int | None, Query(ge=1)] = None,
                   page: Annotated[int, Query(ge=1)] = 1, page_size: Annotated[int, Query(ge=1, le=100)] = 20):
    response["Cache-Control"] = "no-store"
    filters = Filters(register_id=register_id, document_type_id=document_type, direction=direction or "",
                      status=status or "")
    documents = search(request.auth.user, q, filters).select_related("agency", "document_type")
    return inputs.page_of(documents, page, page_size, document_out)


@router.get("/documents/{document_id}", url_name="document", operation_id="getDocument",
            response={200: DocumentOut, 404: Problem, 422: Problem, **AUTH_ERRORS},
            summary="Chi tiết văn bản · Document details",
            description="404 nếu văn bản không có hoặc bạn không được xem.\n\n"
                        "404 when the document does not exist or you may not read it.")
def get_document(request, response: HttpResponse, document_id: int):
    response["Cache-Control"] = "no-store"
    document = (visible_documents(request.auth.user).filter(pk=document_id)
                .select_related("agency", "document_type").first())
    if document is None:
        raise ApiError(404, _("No document with this id is open to you."))
    return document_out(document)


@router.get("/document-registers", operation_id="listDocumentRegisters",
            response={200: list[RegisterOut], **AUTH_ERRORS},
            summary="Sổ đăng ký văn bản · Document registers",
            description="Sổ văn bản đến và đi của các cơ quan người dùng được xem.\n\n"
                        "The incoming and outgoing registers of the agencies the token's user may read.")
def list_registers(request, response: HttpResponse):
    response["Cache-Control"] = "no-store"
    registers = Register.objects.filter(agency__in=reader_agencies(request.auth.user)).select_related("agency")
    return [register_out(r) for r in registers.order_by("agency__code", "direction", "name")]
