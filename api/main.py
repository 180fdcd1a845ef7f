"""The integration API, version 1: one NinjaAPI with its routers, error shapes and limits."""

from ninja import NinjaAPI

from . import errors, links
from .auth import AddressThrottle, UserThrottle
from .docs import LocalSwagger, assets_available
from .errors import MEDIA_TYPE
from .routes import documents, dossiers, lookup, procedures, tasks

DESCRIPTION = """\
API của Cổng dịch vụ công cấp tỉnh cho Cổng Dịch vụ công quốc gia, ứng dụng di động và hệ thống \
khác: tìm thủ tục, nộp hồ sơ kèm giấy tờ, theo dõi, bổ sung và rút hồ sơ — cùng các quy tắc như \
trên trang web. Xác thực: `Authorization: Bearer <mã truy cập>` (cấp bởi quản trị tỉnh hoặc lệnh \
`api_token`). Lỗi luôn là một tài liệu problem+json (RFC 9457): `{"type": "about:blank", "title": "...", \
"status": 404, "detail": "...", "errors": {"trường": ["..."]}}`, bằng tiếng Việt, hoặc tiếng Anh với \
`Accept-Language: en`; kể cả 404 cho địa chỉ không có, 405 cho phương thức không dùng được (header `Allow` \
liệt kê các phương thức được), 413 cho nội dung quá lớn, 414 cho địa chỉ quá dài và 500.

API of the provincial public-service portal for the national portal, mobile apps and other \
systems: find procedures, submit dossiers with their papers, follow them, answer supplement \
requests, withdraw — with the same rules as the web pages. Authentication: \
`Authorization: Bearer <token>` (issued by the province administrator or the `api_token` \
command). Errors are always problem documents (RFC 9457, `application/problem+json`): \
`{"type": "about:blank", "title": "...", "status": 404, "detail": "...", "errors": {"field": ["..."]}}`, in \
Vietnamese, or in English with `Accept-Language: en`; this includes 404 for an unknown address, 405 for a \
method the address does not take (the `Allow` header lists those it does), 413 for a body too large, 414 for \
a URL too long, and 500.
"""

TAGS = [
    {"name": "procedures", "description": "Thủ tục hành chính (công khai) · administrative procedures (public)"},
    {"name": "dossiers", "description": "Hồ sơ của người dùng (cần mã truy cập) · the user's dossiers (token)"},
    {"name": "lookup", "description": "Tra cứu hồ sơ (công khai) · public dossier tracking"},
    {"name": "documents", "description": "Văn bản đến, đi và sổ văn bản (cần mã truy cập) · documents and registers "
                                         "of the e-office (token)"},
    {"name": "tasks", "description": "Công việc (cần mã truy cập) · tasks of the e-office (token)"},
]

# Generous for a person or an integration; stops a runaway client or a scraper.
USER_RATE = "600/min"
ADDRESS_RATE = "120/min"


# Answers any operation can give whatever it does: limits and failures of the server itself.
COMMON_ERRORS = {
    400: "Yêu cầu không đọc được · the request could not be read",
    414: "Địa chỉ (URL) quá dài · the URL is too long",
    429: "Quá nhiều yêu cầu · too many requests",
    500: "Lỗi máy chủ · server error",
}
BODY_ERRORS = {413: "Nội dung yêu cầu quá lớn · the request body is too large"}


class EgovApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Every operation documents every status it can answer, and errors as problem+json."""
        schema = super().get_openapi_schema(**kwargs)
        problem = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for status, description in {**COMMON_ERRORS,
                                            **(BODY_ERRORS if "requestBody" in operation else {})}.items():
                    responses.setdefault(status, {"description": description})
                for status, response in responses.items():
                    if int(status) >= 400:
                        response["content"] = dict(problem)
        links.add_links(schema)
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


api = EgovApi(
    title="Cổng dịch vụ công – API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs=LocalSwagger(),
    docs_url="/docs" if assets_available() else None,
    throttle=[UserThrottle(USER_RATE), AddressThrottle(ADDRESS_RATE)],
    openapi_extra={"tags": TAGS},
)
errors.install(api)
api.add_router("/", procedures.router)
api.add_router("/", dossiers.router)
api.add_router("/", lookup.router)
api.add_router("/", documents.router)
api.add_router("/", tasks.router)
