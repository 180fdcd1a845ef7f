"""Every error under /api/ is a problem document (RFC 9457, application/problem+json) in the
client's language, whoever answers it: the API's handlers, Django or another middleware."""

import logging

import pytest
from django.test import Client

from api import services as tokens
from api.middleware import MAX_TARGET_BYTES

API = "/api/v1"
PROBLEM = "application/problem+json"


@pytest.fixture
def token(demo):
    return tokens.create_token(user=demo.users["congdan@example.vn"], name="ứng dụng")[1]


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["type"] == "about:blank" and body["status"] == status
    return body


def test_an_unknown_address_is_a_404_problem_in_vietnamese(client, db):
    body = _problem(client.get(f"{API}/khong-co"), 404)
    assert body == {"type": "about:blank", "title": "Không tìm thấy", "status": 404, "detail": "Không tìm thấy."}
    # Under another version, and for a POST without a CSRF cookie, still a 404 problem.
    _problem(client.get("/api/v2/procedures"), 404)
    _problem(client.post(f"{API}/khong-co", {"a": "b"}), 404)


def test_english_titles_and_details_on_request(client, db):
    body = _problem(client.get(f"{API}/khong-co", HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert (body["title"], body["detail"]) == ("Not Found", "Not found.")


def test_the_portal_keeps_its_html_error_pages(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_method_the_address_does_not_take_is_a_405_naming_the_allowed_ones(client, token):
    body = _problem(client.delete(f"{API}/procedures"), 405)
    assert body["title"] == "Phương thức không được phép"
    assert client.delete(f"{API}/procedures")["Allow"] == "GET"
    response = client.put(f"{API}/dossiers", HTTP_AUTHORIZATION=f"Bearer {token}")
    _problem(response, 405)
    assert sorted(response["Allow"].split(", ")) == ["GET", "POST"]


@pytest.mark.parametrize(("extra", "status"), [(0, 422), (1, 413)], ids=["at-the-limit", "one-byte-over"])
def test_a_body_over_the_upload_limit_is_a_413(client, token, settings, extra, status):
    """Django's DATA_UPLOAD_MAX_MEMORY_SIZE; at the limit the body is read (and refused for what it says)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    prefix, suffix = '{"reason": "', '"}'
    body = prefix + "x" * (1000 - len(prefix) - len(suffix) + extra) + suffix
    response = client.post(f"{API}/dossiers/khong-co/withdraw", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    if status == 413:
        problem = _problem(response, 413)
        assert (problem["title"], problem["detail"]) == ("Nội dung quá lớn", "Nội dung yêu cầu quá lớn.")
    else:
        _problem(response, 404)  # read, then: no such dossier of mine


def test_an_oversized_multipart_submission_is_a_413(client, token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(f"{API}/dossiers", {"form": "x" * 1001}, HTTP_AUTHORIZATION=f"Bearer {token}",
                           HTTP_IDEMPOTENCY_KEY="5b1f0c5e-8a4e-4a55-9d9e-1b2f0c5e8a4e")
    _problem(response, 413)


def test_too_many_fields_is_a_400(client, db, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    assert client.get(f"{API}/procedures?" + "&".join(f"q{i}=1" for i in range(10))).status_code == 200
    body = _problem(client.get(f"{API}/procedures?" + "&".join(f"q{i}=1" for i in range(11))), 400)
    assert body["detail"] == "Không đọc được yêu cầu."


def test_a_body_that_is_not_json_is_a_400(client, token):
    response = client.post(f"{API}/dossiers/khong-co/withdraw", "{not json", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "JSON" in _problem(response, 400)["detail"]


def test_an_address_over_the_length_limit_is_a_414(client, db):
    path = f"{API}/procedures/"
    at_limit = path + "a" * (MAX_TARGET_BYTES - len(path))
    _problem(client.get(at_limit), 404)  # long, but answered: no such procedure
    body = _problem(client.get(at_limit + "a"), 414)
    assert body["title"] == "Địa chỉ quá dài"


def test_a_crash_is_a_500_problem_that_reveals_nothing_and_is_logged(db, monkeypatch, caplog):
    from procedures import selectors

    def broken(**kwargs):
        raise RuntimeError("mật khẩu cơ sở dữ liệu: hunter2")

    monkeypatch.setattr(selectors, "search", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get(f"{API}/procedures")
    body = _problem(response, 500)
    assert body == {"type": "about:blank", "title": "Lỗi máy chủ", "status": 500,
                    "detail": "Hệ thống gặp lỗi. Vui lòng thử lại sau."}
    assert "hunter2" not in response.content.decode()
    assert any(record.exc_info and "hunter2" in str(record.exc_info[1]) for record in caplog.records)


def test_the_api_own_errors_are_problems_too(client, token):
    unauthenticated = client.get(f"{API}/dossiers")
    body = _problem(unauthenticated, 401)
    assert body["title"] == "Chưa xác thực" and unauthenticated["WWW-Authenticate"] == 'Bearer realm="api"'
    invalid = _problem(client.get(f"{API}/procedures", {"kind": "level-9"}), 422)
    assert invalid["errors"] == {"kind": ["Chọn một trong các giá trị cho phép."]}
