"""The integration API, version 1: one NinjaAPI with its routers, error shapes and limits."""

from ninja import NinjaAPI

from . import errors
from .auth import AddressThrottle, UserThrottle
from .docs import LocalSwagger, assets_available
from .routes import dossiers, lookup, procedures

DESCRIPTION = """\
API của Cổng dịch vụ công cấp tỉnh cho Cổng Dịch vụ công quốc gia, ứng dụng di động và hệ thống \
khác: tìm thủ tục, nộp hồ sơ kèm giấy tờ, theo dõi, bổ sung và rút hồ sơ — cùng các quy tắc như \
trên trang web. Xác thực: `Authorization: Bearer <mã truy cập>` (cấp bởi quản trị tỉnh hoặc lệnh \
`api_token`). Lỗi luôn có dạng `{"detail": "...", "errors": {"trường": ["..."]}}`, bằng tiếng Việt, \
hoặc tiếng Anh với `Accept-Language: en`.

API of the provincial public-service portal for the national portal, mobile apps and other \
systems: find procedures, submit dossiers with their papers, follow them, answer supplement \
requests, withdraw — with the same rules as the web pages. Authentication: \
`Authorization: Bearer <token>` (issued by the province administrator or the `api_token` \
command). Errors are always `{"detail": "...", "errors": {"field": ["..."]}}`, in Vietnamese, or \
in English with `Accept-Language: en`.
"""

TAGS = [
    {"name": "procedures", "description": "Thủ tục hành chính (công khai) · administrative procedures (public)"},
    {"name": "dossiers", "description": "Hồ sơ của người dùng (cần mã truy cập) · the user's dossiers (token)"},
    {"name": "lookup", "description": "Tra cứu hồ sơ (công khai) · public dossier tracking"},
]

# Generous for a person or an integration; stops a runaway client or a scraper.
USER_RATE = "600/min"
ADDRESS_RATE = "120/min"


class EgovApi(NinjaAPI):
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
