"""Public tracking of a dossier by its code (tra cứu hồ sơ), as on the portal's lookup page:
status and timeline without personal data; the applicant's name only with the phone or ID
number given at submission."""

from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router

from audit.middleware import client_ip
from dossiers import selectors

from ..errors import ApiError, Problem
from ..schemas import LookupOut, lookup_out

router = Router(tags=["lookup"])

@router.get("/lookup/{code}", auth=None, operation_id="lookupDossier",
            response={200: LookupOut, 404: Problem, 422: Problem, 429: Problem},
            summary="Tra cứu hồ sơ · Track a dossier",
            description="Trạng thái và quá trình xử lý, không có dữ liệu cá nhân. Gửi số điện thoại hoặc số định "
                        "danh đã khai khi nộp (header `X-Lookup-Secret`, hoặc tham số `secret`) để xem thêm tên "
                        "người nộp. Không cần xác thực.\n\nStatus and timeline without personal data; with the "
                        "phone or ID number given at submission (header `X-Lookup-Secret` or parameter `secret`) "
                        "also the applicant's name. No authentication.")
def lookup(request, response: HttpResponse, code: str,
           secret: Annotated[str, Query(max_length=20, description="Số điện thoại hoặc số định danh · phone or ID "
                                                                     "number")] = "",
           x_lookup_secret: Annotated[str, Header(alias="X-Lookup-Secret", max_length=20)] = ""):
    response["Cache-Control"] = "no-store"
    dossier = selectors.public_by_code(code)
    if dossier is None:
        raise ApiError(404, _("No dossier has this code."))
    answer = (x_lookup_secret or secret).strip()
    verified = False
    if answer:
        try:
            verified = selectors.check_lookup_secret(dossier, answer, client_address=client_ip(request))
        except selectors.TooManyGuesses:
            raise ApiError(429, _("Too many wrong answers for this dossier. Try again in an hour.")) from None
    return lookup_out(dossier, verified=verified)
