"""Error pages (400, 403 and the CSRF failure, 404, 405, 500): styled, in Vietnamese (or the
visitor's language), in the shell of the path, each with a way back, and never a traceback."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from egov import urls as root

PORTAL_HEADER = 'aria-controls="portal-menu"'  # the portal's header, with its menu button
WORKSPACE_MENU = 'href="/workspace/directory/"'  # the workspace's side menu
HOME_LINK = '<a class="btn btn-primary" href="/">Về trang chủ</a>'
WORKSPACE_LINK = '<a class="btn btn-primary" href="/workspace/">Quay lại không gian làm việc</a>'


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("tampered")


def _broken(request):
    raise RuntimeError("a bug with secret details")


# The platform's own URLs and handlers, plus views that fail on purpose, in both shells.
urlpatterns = [
    *(path(f"{prefix}boom/{name}/", view) for prefix in ("", "workspace/")
      for name, view in (("403", _forbidden), ("400", _suspicious), ("500", _broken))),
    *root.urlpatterns,
]
handler400, handler403, handler404, handler500 = root.handler400, root.handler403, root.handler404, root.handler500
with_failing_views = pytest.mark.urls(__name__)


def page(response) -> str:
    return response.content.decode()


def assert_portal_page(response, status: int, title: str, *, policy: bool = True) -> None:
    html = page(response)
    assert response.status_code == status
    assert '<html lang="vi">' in html and f"<h1 class=\"h2\">{title}</h1>" in html
    assert PORTAL_HEADER in html and WORKSPACE_MENU not in html and HOME_LINK in html
    assert f"Mã lỗi {status}" in html
    if policy:
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_404_in_the_portal(db, client):
    response = client.get("/khong-co-trang-nay/")
    assert_portal_page(response, 404, "Không tìm thấy trang nào")
    assert 'href="/procedures/"' in page(response)  # and a way on: the procedure search


def test_404_in_the_workspace_for_an_official(sign_in):
    client = sign_in("motcua.stp")
    response = client.get("/workspace/khong-co-trang-nay/")
    html = page(response)
    assert response.status_code == 404 and "Không tìm thấy trang nào" in html
    assert WORKSPACE_MENU in html and WORKSPACE_LINK in html and PORTAL_HEADER not in html
    # A page the desk officer may not read (the audit trail) answers the same, in the workspace.
    audit = client.get("/workspace/audit/")
    assert audit.status_code == 404 and WORKSPACE_MENU in page(audit)


def test_a_visitor_who_is_not_signed_in_gets_the_portal_shell_under_workspace(db, client):
    assert_portal_page(client.get("/workspace/khong-co-trang-nay/"), 404, "Không tìm thấy trang nào")


@with_failing_views
def test_403_in_both_shells(sign_in, client):
    assert_portal_page(client.get("/boom/403/"), 403, "Không có quyền truy cập")
    official = sign_in("motcua.stp")
    response = official.get("/workspace/boom/403/")
    assert response.status_code == 403 and WORKSPACE_LINK in page(response) and WORKSPACE_MENU in page(response)


def test_a_csrf_failure_says_the_form_expired(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "motcua.stp", "password": "x"})
    assert_portal_page(response, 403, "Biểu mẫu đã hết hiệu lực")
    assert "tải lại trang" in page(response)


@with_failing_views
def test_400_for_a_suspicious_request_and_a_foreign_host(db, client):
    assert_portal_page(client.get("/boom/400/"), 400, "Yêu cầu không hợp lệ")
    # Refused before the security middleware runs: the page, without the policy header.
    assert_portal_page(client.get("/", HTTP_HOST="evil.example"), 400, "Yêu cầu không hợp lệ", policy=False)


def test_405_from_require_post_is_the_styled_page_and_keeps_its_allow_header(db, client):
    response = client.get("/accounts/logout/")  # the sign-out takes POST only
    assert_portal_page(response, 405, "Không thể thực hiện thao tác này tại đây")
    assert response["Allow"] == "POST"


def test_405_stays_plain_for_clients_that_do_not_read_html(db, client):
    response = client.get("/accounts/logout/", HTTP_ACCEPT="application/json")
    assert response.status_code == 405 and response.content == b"" and response["Allow"] == "POST"


@with_failing_views
def test_500_names_no_detail_and_leads_back(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/500/")
    html = page(response)
    assert response.status_code == 500 and '<html lang="vi">' in html
    assert "Đã có lỗi xảy ra" in html and HOME_LINK in html
    assert "secret details" not in html and "Traceback" not in html and "RuntimeError" not in html
    workspace = client.get("/workspace/boom/500/")
    assert workspace.status_code == 500 and WORKSPACE_LINK in page(workspace)


def test_error_pages_speak_the_visitors_language(db, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/khong-co-trang-nay/")
    html = page(response)
    assert response.status_code == 404 and '<html lang="en">' in html
    assert "<h1 class=\"h2\">Page not found</h1>" in html and "Back to the home page" in html
