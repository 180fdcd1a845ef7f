"""The applicant's own dossiers: submit (idempotent), follow, answer a supplement request,
withdraw. Every change goes through dossiers.services, like the web pages."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from dossiers import selectors, services, states
from dossiers.models import Channel, Dossier
from dossiers.states import Status as DossierStatus
from egov.http import private_file
from procedures import selectors as procedure_selectors

from .. import inputs
from ..auth import acting, bearer
from ..errors import ApiError, Problem, invalid, messages_by_field
from ..schemas import DossierOut, DossierPageOut, WithdrawIn, dossier_detail, dossier_summary

router = Router(tags=["dossiers"], auth=bearer)

AUTH_ERRORS = {401: Problem, 429: Problem}
_PAPER_PARTS = {
    "type": "string", "format": "binary",
    "description": "Giấy tờ: trường `paper_<id>` với id lấy từ `papers` của thủ tục · "
                   "papers: one part `paper_<id>` per paper, id from the procedure's `papers`",
}
_JSON_TEXT = "Chuỗi JSON · a JSON string"

SUBMIT_DOC = {
    "parameters": [{
        "in": "header", "name": "Idempotency-Key", "required": True, "schema": {"type": "string", "format": "uuid"},
        "description": "Bắt buộc. Một UUID mới cho mỗi hồ sơ; gửi lại đúng UUID đó khi thử lại thì không tạo hồ "
                       "sơ thứ hai. · Required: a new UUID per dossier; retrying with the same UUID never makes a "
                       "second dossier.",
    }],
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["procedure", "agency"],
        "properties": {
            "procedure": {"type": "string", "description": "Mã thủ tục · procedure code"},
            "agency": {"type": "string", "description": "Mã định danh cơ quan tiếp nhận · receiving agency code"},
            "form": {"type": "string", "description": f"{_JSON_TEXT}: giá trị tờ khai · e-form values",
                     "example": '{"child_name": "Nguyễn Minh An", "birth_date": "2026-11-20"}'},
            "contact": {"type": "string", "description": f"{_JSON_TEXT}: applicant_name, applicant_phone, "
                                                         "applicant_email, applicant_address, applicant_id_number; "
                                                         "người được ủy quyền · representative: representative_name, "
                                                         "representative_id_number, representative_phone, "
                                                         "authorisation"},
        },
        "patternProperties": {"^paper_[0-9]+$": _PAPER_PARTS},
        "additionalProperties": _PAPER_PARTS,
    }}}},
    "responses": {
        201: {"headers": {"Location": {"schema": {"type": "string"},
                                       "description": "URL của hồ sơ · the dossier's URL"}}},
        200: {"headers": {"Idempotent-Replayed": {
            "schema": {"type": "string", "enum": ["true"]},
            "description": "Hồ sơ đã được tạo bởi lần gửi trước cùng khoá · made by an earlier request with this key",
        }}},
    },
}

SUPPLEMENT_DOC = {
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object",
        "properties": {"note": {"type": "string", "description": "Ghi chú · note"}},
        "patternProperties": {"^paper_[0-9]+$": _PAPER_PARTS},
        "additionalProperties": _PAPER_PARTS,
    }}}},
}


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


def _own(request, code: str) -> Dossier:
    """The caller's own dossier, or 404 whether or not it exists for someone else."""
    dossier = selectors.own_dossiers(request.auth.user).filter(code=code.strip()).first()
    if dossier is None:
        raise ApiError(404, _("You have no dossier with this code."))
    return dossier


def _detail(dossier: Dossier) -> dict:
    detail = dossier_detail(
        dossier,
        can_withdraw=states.allowed(dossier.status, DossierStatus.WITHDRAWN) == states.APPLICANT,
        can_answer_supplement=dossier.status == DossierStatus.SUPPLEMENT_REQUESTED,
    )
    # Only what the applicant may download: never the result's draft (dossiers.selectors).
    shown = set(selectors.applicant_files(dossier).values_list("pk", flat=True))
    detail["files"] = [f for f in detail["files"] if f["id"] in shown]
    return detail


@router.post("/dossiers", operation_id="submitDossier",
             response={200: DossierOut, 201: DossierOut, 400: Problem, 409: Problem, 422: Problem, **AUTH_ERRORS},
             summary="Nộp hồ sơ trực tuyến · Submit a dossier", openapi_extra=SUBMIT_DOC,
             description="Một lần gửi: tờ khai, giấy tờ và nộp trong một giao dịch — hoặc có hồ sơ đầy đủ, hoặc "
                         "không có gì. 201 khi tạo mới; 200 với header `Idempotent-Replayed: true` khi gửi lại "
                         "cùng Idempotency-Key. Lỗi nhập liệu: 422 với `errors` theo từng trường (tên trường tờ "
                         "khai, `paper_<id>`, `papers`, `applicant_*`, `procedure`, `agency`, `form`, `contact`)."
                         "\n\nOne-shot, all-or-nothing submission. 201 when made; 200 with "
                         "`Idempotent-Replayed: true` on a retry with the same Idempotency-Key; 422 with field "
                         "errors otherwise.")
def submit_dossier(request, response: HttpResponse):
    _no_store(response)
    key = inputs.idempotency_key(request)
    errors: dict[str, list[str]] = {}
    procedure_code, agency_code = inputs.text(request, "procedure", errors), inputs.text(request, "agency", errors)
    if errors:
        raise invalid(errors)
    procedure = procedure_selectors.by_code(procedure_code) if procedure_code else None
    if procedure is None:
        errors["procedure"] = [_("This field is required.") if not procedure_code
                               else _("No procedure open for applications has this code.")]
        raise invalid(errors)
    version = procedure.current
    agency = next((a for a in version.agencies.all() if a.code == agency_code), None)
    if agency is None:
        errors["agency"] = [_("This field is required.") if not agency_code
                            else _("This agency does not handle this procedure.")]
    form_values = inputs.form_values(inputs.json_object(request, "form", errors), version, errors)
    contact = inputs.contact(inputs.json_object(request, "contact", errors), errors)
    uploads = inputs.papers(request, version, errors)
    if errors:
        raise invalid(errors, _("The dossier was not submitted: correct the errors listed."))
    with acting(request):
        try:
            dossier, created = services.submit_new(
                applicant=request.auth.user, procedure=procedure, agency=agency, form_values=form_values,
                uploads=uploads, key=key, contact=contact, channel=Channel.API)
        except ValidationError as refused:
            raise invalid(messages_by_field(refused),
                          _("The dossier was not submitted: correct the errors listed.")) from None
    if not created:
        if dossier.procedure_version.procedure_id != procedure.pk or dossier.agency_id != agency.pk:
            raise ApiError(409, _("This Idempotency-Key was already used for another dossier; use a new key."))
        response["Idempotent-Replayed"] = "true"
    response["Location"] = reverse("api-v1:dossier", kwargs={"code": dossier.code})
    return Status(201 if created else 200, _detail(dossier))


@router.get("/dossiers", operation_id="listDossiers", response={200: DossierPageOut, 422: Problem, **AUTH_ERRORS},
            summary="Hồ sơ của tôi · My dossiers",
            description="Các hồ sơ đã nộp của người dùng sở hữu mã truy cập, mới nhất trước.\n\n"
                        "The token owner's submitted dossiers, newest first.")
def list_dossiers(request, response: HttpResponse, status: DossierStatus | None = None,
                  page: Annotated[int, Query(ge=1)] = 1, page_size: Annotated[int, Query(ge=1, le=100)] = 20):
    _no_store(response)
    dossiers = selectors.own_dossiers(request.auth.user).select_related("procedure_version__procedure")
    if status:
        dossiers = dossiers.filter(status=status)
    return inputs.page_of(dossiers, page, page_size, dossier_summary)


@router.get("/dossiers/{code}", url_name="dossier", operation_id="getDossier",
            response={200: DossierOut, 404: Problem, **AUTH_ERRORS},
            summary="Chi tiết hồ sơ · Dossier details",
            description="Trạng thái, quá trình xử lý, tệp, phí. 404 nếu hồ sơ không phải của bạn.\n\n"
                        "Status, timeline, files and fee; 404 for a dossier that is not yours.")
def get_dossier(request, response: HttpResponse, code: str):
    _no_store(response)
    return _detail(_own(request, code))


@router.get("/dossiers/{code}/files/{file_id}", url_name="dossier_file", operation_id="downloadDossierFile",
            response={200: None, 404: Problem, 422: Problem, **AUTH_ERRORS},
            summary="Tải tệp của hồ sơ · Download a file of the dossier",
            openapi_extra={"responses": {200: {
                "description": "Tệp, với kiểu nội dung của nó (PDF, ảnh…) · the file, with its own content type",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}}})
def download_file(request, code: str, file_id: int):
    dossier = _own(request, code)
    record = dossier.files.filter(pk=file_id, replaced=False).select_related("dossier").first()
    if record is None or not selectors.can_read_file(request.auth.user, record):
        raise ApiError(404, _("This dossier has no such file."))
    return private_file(record.file, content_type=record.content_type, filename=record.download_name)


@router.post("/dossiers/{code}/supplement", operation_id="answerSupplement",
             response={200: DossierOut, 404: Problem, 409: Problem, 422: Problem, **AUTH_ERRORS},
             summary="Bổ sung hồ sơ · Answer a supplement request", openapi_extra=SUPPLEMENT_DOC,
             description="Gửi giấy tờ được yêu cầu bổ sung (`paper_<id>`) và ghi chú; hồ sơ trở lại xử lý.\n\n"
                         "Send the papers asked for (`paper_<id>`) and a note; the dossier goes back to processing.")
def answer_supplement(request, response: HttpResponse, code: str):
    _no_store(response)
    dossier = _own(request, code)
    if dossier.status != DossierStatus.SUPPLEMENT_REQUESTED:
        raise ApiError(409, _("No supplement has been requested for this dossier."))
    errors: dict[str, list[str]] = {}
    uploads = inputs.papers(request, dossier.procedure_version, errors)
    note = inputs.text(request, "note", errors)
    if len(note) > 2000:
        errors["note"] = [_("The note is longer than %(max)d characters.") % {"max": 2000}]
    if errors:
        raise invalid(errors)
    with acting(request):
        dossier = services.answer_supplement(dossier=dossier, applicant=request.auth.user, uploads=uploads,
                                             note=note)
    return _detail(_own(request, dossier.code))


@router.post("/dossiers/{code}/withdraw", operation_id="withdrawDossier",
             response={200: DossierOut, 404: Problem, 409: Problem, 422: Problem, **AUTH_ERRORS},
             summary="Rút hồ sơ · Withdraw a dossier",
             description="Rút hồ sơ khi còn được phép, kèm lý do.\n\nWithdraw the dossier, with a reason, while "
                         "this is still allowed.")
def withdraw_dossier(request, response: HttpResponse, code: str, payload: WithdrawIn):
    _no_store(response)
    dossier = _own(request, code)
    if states.allowed(dossier.status, DossierStatus.WITHDRAWN) != states.APPLICANT:
        raise ApiError(409, _("This dossier can no longer be withdrawn."))
    if len(payload.reason) > 1000:
        raise invalid({"reason": [_("The reason is longer than %(max)d characters.") % {"max": 1000}]})
    with acting(request):
        try:
            dossier = services.withdraw(dossier=dossier, applicant=request.auth.user, reason=payload.reason)
        except ValidationError as refused:
            raise invalid(messages_by_field(refused, "reason")) from None
    return _detail(_own(request, dossier.code))
