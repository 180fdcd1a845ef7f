"""The public catalog: find procedures and read what each one asks for."""

from typing import Annotated, Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router

from directory.models import Agency
from procedures import selectors

from ..errors import ApiError, Problem, invalid
from ..inputs import page_of
from ..schemas import ProcedureOut, ProcedurePageOut, procedure_detail, procedure_summary

router = Router(tags=["procedures"])

PUBLIC_CACHE = "public, max-age=300"


@router.get("/procedures", auth=None, operation_id="searchProcedures",
            response={200: ProcedurePageOut, 422: Problem, 429: Problem},
            summary="Tìm thủ tục hành chính · Search procedures",
            description="Tìm không phân biệt dấu (\"dang ky khai sinh\" tìm thấy \"Đăng ký khai sinh\"); lọc theo "
                        "lĩnh vực, cơ quan (id hoặc mã định danh), mức độ, cấp thực hiện. Không cần xác thực.\n\n"
                        "Accent-insensitive search with filters by field, agency (id or identifier code), kind "
                        "and level. No authentication.")
def list_procedures(
    request, response: HttpResponse,
    q: Annotated[str, Query(max_length=200, description="Từ khoá · search words")] = "",
    field: Annotated[str, Query(max_length=30, description="Mã lĩnh vực · field code")] = "",
    agency: Annotated[str, Query(max_length=20, description="Id hoặc mã định danh cơ quan · agency id or code")] = "",
    kind: Annotated[Literal["full", "partial"] | None,
                    Query(description="toàn trình / một phần · full / partial")] = None,
    level: Annotated[Literal["province", "district", "commune"] | None, Query(description="Cấp · level")] = None,
    page: Annotated[int, Query(ge=1)] = 1, page_size: Annotated[int, Query(ge=1, le=100)] = 20,
):
    agency_id = None
    if agency:
        agency_id = int(agency) if agency.isdigit() else (
            Agency.objects.filter(code=agency).values_list("pk", flat=True).first())
        if agency_id is None:
            raise invalid({"agency": [_("No agency has this identifier code.")]})
    found = selectors.search(q=q, field=field, agency=agency_id, kind=kind or "", level=level or "")
    response["Cache-Control"] = PUBLIC_CACHE
    return page_of(found, page, page_size, procedure_summary)


@router.get("/procedures/{code}", auth=None, operation_id="getProcedure",
            response={200: ProcedureOut, 404: Problem, 429: Problem},
            url_name="procedure", summary="Chi tiết thủ tục · Procedure details",
            description="Thành phần hồ sơ (mỗi giấy tờ gửi trong trường `paper_<id>`), phí, lệ phí, cơ quan "
                        "tiếp nhận và biểu mẫu điện tử (JSON Schema).\n\nPapers (each sent as `paper_<id>`), "
                        "fee rules, receiving agencies and the e-form (JSON Schema).")
def get_procedure(request, response: HttpResponse, code: str):
    procedure = selectors.by_code(code)
    if procedure is None:
        raise ApiError(404, _("No procedure open for applications has this code."))
    response["Cache-Control"] = PUBLIC_CACHE
    return procedure_detail(procedure)
