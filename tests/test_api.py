"""The integration API (/api/v1/): the same rules as the web pages, through bearer tokens."""

import json
import os
import threading
import uuid
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from api import services as tokens
from api.models import ApiToken
from dossiers import workflow as dossier_workflow
from dossiers.codes import CODE_RE
from dossiers.models import Dossier
from dossiers.states import Status
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

API = "/api/v1"


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Stored papers go to this test's own folder, so "no file remains" is not disturbed by
    other test runs writing to the shared var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def birth(demo):
    return make_procedure(agencies=[demo.agencies["01840"]])


@pytest.fixture
def citizen(demo):
    return demo.users["congdan@example.vn"]


def _token(user, name="ứng dụng di động", **kwargs) -> str:
    return tokens.create_token(user=user, name=name, **kwargs)[1]


@pytest.fixture
def token(citizen):
    return _token(citizen)


def _auth(token: str, **headers) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", **headers}


def _papers(procedure) -> dict:
    first, second = list(procedure.current.papers.all())[:2]
    return {f"paper_{first.pk}": pdf_file(), f"paper_{second.pk}": png_file()}


def _submission(procedure, demo, *, form=None, papers=None, contact=None) -> dict:
    data = {"procedure": procedure.code, "agency": demo.agencies["01840"].code,
            "form": json.dumps(form if form is not None else BIRTH_VALUES, ensure_ascii=False)}
    if contact is not None:
        data["contact"] = json.dumps(contact, ensure_ascii=False)
    data.update(papers if papers is not None else _papers(procedure))
    return data


def _submit(client, token, procedure, demo, key=None, **kwargs):
    headers = _auth(token, HTTP_IDEMPOTENCY_KEY=str(key or uuid.uuid4()))
    return client.post(f"{API}/dossiers", _submission(procedure, demo, **kwargs), **headers)


def _stored_files() -> set[str]:
    root = settings.MEDIA_ROOT
    return {os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files}


# --- the catalog (public) --------------------------------------------------------------------

def test_search_without_accents_finds_the_procedure(client, birth):
    response = client.get(f"{API}/procedures", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert birth.code in [item["code"] for item in response.json()["items"]]
    assert client.get(f"{API}/procedures", {"q": "khong co thu tuc nao nhu the"}).json()["count"] == 0


def test_search_filters_by_agency_code_and_kind(client, birth, demo):
    found = client.get(f"{API}/procedures", {"agency": demo.agencies["01840"].code, "kind": "full"}).json()
    assert birth.code in [item["code"] for item in found["items"]]
    assert client.get(f"{API}/procedures", {"agency": demo.agencies["SXD"].code, "q": "khai sinh"}).json()[
        "count"] == 0
    assert client.get(f"{API}/procedures", {"kind": "level-9"}).status_code == 422


def test_procedure_details_name_papers_fees_agencies_and_form(client, birth, demo):
    details = client.get(f"{API}/procedures/{birth.code}").json()
    assert details["name"] == birth.current.name and details["old_level"] == 4
    assert [p["required"] for p in details["papers"]] == [True, True, False]
    assert details["papers"][0]["upload_field"] == f"paper_{details['papers'][0]['id']}"
    assert details["fees"][0]["rule"]["type"] == "per_unit"
    assert details["agencies"] == [{"id": demo.agencies["01840"].pk, "code": demo.agencies["01840"].code,
                                    "name": demo.agencies["01840"].name}]
    assert details["form_schema"]["required"] == ["requester_name", "child_name", "birth_date", "sex"]
    assert client.get(f"{API}/procedures/0.000000").status_code == 404


# --- submitting ------------------------------------------------------------------------------

def test_submission_is_made_once_per_idempotency_key(client, token, birth, demo, citizen):
    key = uuid.uuid4()
    first = _submit(client, token, birth, demo, key=key)
    assert first.status_code == 201, first.content
    body = first.json()
    assert CODE_RE.match(body["code"])
    assert body["status"] == Status.SUBMITTED and body["fee_amount"] == 16000
    assert len(body["files"]) == 2 and body["files"][0]["download_url"].startswith("/dossiers/files/")
    assert first["Location"] == f"{API}/dossiers/{body['code']}"
    assert first["Cache-Control"] == "no-store"
    again = _submit(client, token, birth, demo, key=key)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == body["code"]
    assert Dossier.objects.filter(applicant=citizen).count() == 1
    assert len(_stored_files()) == 2  # the replay stored nothing more
    dossier = Dossier.objects.get(code=body["code"])
    assert dossier.channel == "api"
    # The audit trail names the token's user, not an anonymous request.
    from audit.models import AuditEntry

    created = AuditEntry.objects.get(action="create", object_type="dossiers.dossier", object_id=str(dossier.pk))
    assert created.actor_id == citizen.pk


def test_submission_needs_an_idempotency_key(client, token, birth, demo, citizen):
    missing = client.post(f"{API}/dossiers", _submission(birth, demo), **_auth(token))
    assert missing.status_code == 400
    assert missing.json()["detail"] == ("Thiếu header Idempotency-Key: gửi một UUID mới cho mỗi hồ sơ, và gửi lại "
                                        "đúng UUID đó khi thử lại.")
    not_uuid = client.post(f"{API}/dossiers", _submission(birth, demo), **_auth(token, HTTP_IDEMPOTENCY_KEY="abc"))
    assert not_uuid.status_code == 400
    assert not_uuid.json()["detail"] == "Header Idempotency-Key phải là một UUID, ví dụ 3f2c8a4e-6b1d-4c9a-9f0e-2d7b5a1c8e44."
    assert not Dossier.objects.filter(applicant=citizen).exists()


# A NUL character (found by the stateful OpenAPI walk: PostgreSQL refuses one in a query's text, a
# server error) is refused by one middleware, for every page and endpoint, before any query.
NUL_MESSAGE = ["Giá trị chứa ký tự NUL, không được chấp nhận."]


@pytest.mark.parametrize("field", ["procedure", "agency", "form"])
def test_a_submission_with_a_nul_character_is_refused_and_nothing_is_stored(client, token, birth, demo, citizen,
                                                                              field):
    sent = _submission(birth, demo)
    sent[field] = {"form": json.dumps({**BIRTH_VALUES, "child_name": "Lò Văn\x00A"}),  # as JSON: \u0000
                   "procedure": birth.code + "\x00", "agency": "\x00"}[field]
    refused = client.post(f"{API}/dossiers", sent, **_auth(token, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())))
    assert refused.status_code == 422 and refused.json()["errors"] == {field: NUL_MESSAGE}
    assert not Dossier.objects.filter(applicant=citizen).exists() and not _stored_files()


def test_a_search_or_an_address_with_a_nul_character_is_refused_not_a_server_error(client, token, submitted):
    search = client.get(f"{API}/procedures", {"q": "khai sinh\x00", "page": "1"})
    assert search.status_code == 422 and search.json()["errors"] == {"q": NUL_MESSAGE}
    assert search["Content-Type"] == "application/problem+json"
    assert client.get(f"{API}/procedures/1.000%00").status_code == 404
    assert client.get(f"{API}/dossiers/{submitted.code}%00", **_auth(token)).status_code == 404
    reason = client.post(f"{API}/dossiers/{submitted.code}/withdraw", {"reason": "Nộp nhầm\x00"},
                         content_type="application/json", **_auth(token))
    assert reason.status_code == 422 and reason.json()["errors"] == {"body": NUL_MESSAGE}
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED  # nothing was done
    assert client.get(f"{API}/procedures", {"q": "khai sinh"}).status_code == 200  # without it, answered


def test_a_page_with_a_nul_character_in_its_query_or_its_form_answers_400(client, demo):
    assert client.get("/procedures/", {"q": "khai sinh\x00"}).status_code == 400
    assert client.get("/procedures/", {"q": "khai sinh"}).status_code == 200
    sent = urlencode({"username": "congdan@example.vn\x00", "password": "x"})  # as a browser sends a form
    assert client.post("/accounts/login/", sent, content_type="application/x-www-form-urlencoded").status_code == 400
    assert client.get("/procedures/1.000%00/").status_code == 404


def _disguised(procedure):
    papers = list(procedure.current.papers.all())
    return {f"paper_{papers[0].pk}": pdf_file(), f"paper_{papers[1].pk}": png_file(),
            f"paper_{papers[2].pk}": png_file("uy-quyen.pdf")}  # an image named .pdf; only PDF is accepted


def _paper_as_text(procedure):
    first, second = list(procedure.current.papers.all())[:2]
    return {f"paper_{first.pk}": pdf_file(), f"paper_{second.pk}": "JVBERi0xLjQK"}  # base64 text, no filename


def _only_first_paper(procedure):
    first = procedure.current.papers.first()
    return {f"paper_{first.pk}": pdf_file()}


@pytest.mark.parametrize(("change", "field", "vietnamese"), [
    ({"form": {**BIRTH_VALUES, "sex": "X"}}, "sex",
     "Hãy chọn một lựa chọn hợp lệ. X không phải là một trong các lựa chọn khả thi."),
    ({"papers": _only_first_paper}, "papers", "Còn thiếu: Giấy chứng sinh"),
    ({"papers": _disguised}, "paper_{third}", "Tệp uy-quyen.pdf không đúng định dạng được chấp nhận (PDF); hệ thống "
                                              "kiểm tra nội dung tệp, không chỉ tên tệp."),
    ({"papers": _paper_as_text}, "paper_{second}", "Giấy tờ phải được gửi dưới dạng tệp: một phần multipart có "
                                                   "tên tệp (filename)."),
    ({"contact": {"applicant_phone": "123"}}, "applicant_phone", "Nhập số điện thoại Việt Nam, ví dụ 0912345678."),
], ids=["invalid-form-value", "missing-required-paper", "disguised-file-type", "paper-sent-as-text",
        "invalid-phone"])
def test_a_refused_submission_names_the_fields_and_leaves_nothing(client, token, birth, demo, citizen, change,
                                                                  field, vietnamese):
    if callable(change.get("papers")):
        change = {**change, "papers": change["papers"](birth)}
    papers = list(birth.current.papers.all())
    field = field.format(second=papers[1].pk, third=papers[2].pk)
    before = _stored_files()
    response = _submit(client, token, birth, demo, **change)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["errors"] == {field: [vietnamese]}, body
    assert body["detail"] == "Hồ sơ chưa được nộp: vui lòng sửa các lỗi được liệt kê."  # Vietnamese by default
    assert not Dossier.objects.filter(applicant=citizen).exists()
    assert _stored_files() == before


def test_a_form_error_after_the_papers_were_stored_removes_them_again(client, token, birth, demo, citizen):
    # The papers are valid, so they are written to storage before the e-form is refused.
    before = _stored_files()
    response = _submit(client, token, birth, demo, form={**BIRTH_VALUES, "birth_date": "31/02/2026"})
    assert response.status_code == 422 and response.json()["errors"] == {"birth_date": [
        "Nhập ngày theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 25/03/2024."]}
    assert not Dossier.objects.filter(applicant=citizen).exists()
    assert _stored_files() == before


def test_unknown_procedure_agency_fields_and_bad_json_are_field_errors(client, token, birth, demo):
    headers = _auth(token, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    unknown = client.post(f"{API}/dossiers", {"procedure": "0.000000"}, **headers)
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == {"procedure": ["Không có thủ tục nào đang tiếp nhận hồ sơ với mã này."]}
    not_an_object = 'Giá trị phải là một đối tượng JSON, ví dụ {"name": "value"}.'
    data = {**_submission(birth, demo), "agency": demo.agencies["SXD"].code, "contact": "[1, 2]"}
    refused = client.post(f"{API}/dossiers", data, **headers).json()["errors"]
    assert refused == {"agency": ["Cơ quan này không giải quyết thủ tục này."], "contact": [not_an_object]}
    typo = client.post(f"{API}/dossiers", _submission(birth, demo, form={**BIRTH_VALUES, "chid_name": "An"}),
                       **headers).json()["errors"]
    assert typo == {"form": ["Tờ khai điện tử không có trường chid_name."]}
    not_json = client.post(f"{API}/dossiers", {**_submission(birth, demo), "form": "{not json"}, **headers)
    assert not_json.status_code == 422 and not_json.json()["errors"] == {"form": [not_an_object]}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_concurrent_retries_through_the_api_make_one_dossier():
    from directory.demo import load_demo

    demo = load_demo()
    birth = make_procedure(agencies=[demo.agencies["01840"]])
    citizen = demo.users["congdan@example.vn"]
    raw = _token(citizen)
    key = uuid.uuid4()
    results, errors = [], []
    barrier = threading.Barrier(8)

    def attempt():
        try:
            data = _submission(birth, demo)
            client = Client()
            barrier.wait()
            response = client.post(f"{API}/dossiers", data, **_auth(raw, HTTP_IDEMPOTENCY_KEY=str(key)))
            results.append((response.status_code, response.json().get("code")))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert {status for status, _code in results} <= {200, 201}, results
    assert [status for status, _code in results].count(201) == 1, results
    assert len({code for _status, code in results}) == 1
    dossier = Dossier.objects.get(applicant=citizen, submission_key=key)
    assert dossier.files.count() == 2 and dossier.events.count() == 1


# --- following my dossiers -------------------------------------------------------------------

@pytest.fixture
def submitted(client, token, birth, demo):
    response = _submit(client, token, birth, demo)
    assert response.status_code == 201, response.content
    return Dossier.objects.get(code=response.json()["code"])


def test_my_dossiers_list_and_details(client, token, submitted):
    listing = client.get(f"{API}/dossiers", **_auth(token))
    assert listing.status_code == 200 and listing["Cache-Control"] == "no-store"
    assert [item["code"] for item in listing.json()["items"]] == [submitted.code]
    details = client.get(f"{API}/dossiers/{submitted.code}", **_auth(token)).json()
    assert [event["status"] for event in details["events"]] == [Status.SUBMITTED]
    assert details["status_label"] == "chờ tiếp nhận" and details["can_withdraw"] is True
    assert details["contact"]["applicant_phone"] == "0912345678"
    download = client.get(details["files"][0]["api_download_url"], **_auth(token))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_another_citizen_cannot_see_my_dossier(client, submitted, demo):
    other = _token(demo.users["doanhnghiep@example.vn"])
    response = client.get(f"{API}/dossiers/{submitted.code}", **_auth(other))
    assert response.status_code == 404
    assert client.get(f"{API}/dossiers/{submitted.code}/files/{submitted.files.first().pk}",
                      **_auth(other)).status_code == 404
    assert client.get(f"{API}/dossiers", **_auth(other)).json()["count"] == 0


def test_without_a_usable_token_the_answer_is_401(client, citizen, submitted):
    assert client.get(f"{API}/dossiers").status_code == 401
    assert client.get(f"{API}/dossiers", **_auth("made-up-token")).status_code == 401
    raw = _token(citizen, name="cũ")
    tokens.revoke_token(token=ApiToken.objects.get(token_hash=tokens.hash_token(raw)))
    revoked = client.get(f"{API}/dossiers/{submitted.code}", **_auth(raw))
    assert revoked.status_code == 401 and revoked["WWW-Authenticate"].startswith("Bearer")
    assert revoked.json()["detail"] == "Mã truy cập không đúng, đã bị thu hồi hoặc đã hết hạn."
    expired = _token(citizen, name="hết hạn")
    ApiToken.objects.filter(token_hash=tokens.hash_token(expired)).update(expires_at="2000-01-01T00:00:00Z")
    assert client.get(f"{API}/dossiers", **_auth(expired)).status_code == 401


def test_a_signed_in_browser_session_is_not_accepted_by_the_api(sign_in, submitted):
    browser = sign_in("congdan@example.vn")
    assert browser.get(f"{API}/dossiers/{submitted.code}").status_code == 401
    withdraw = browser.post(f"{API}/dossiers/{submitted.code}/withdraw", {"reason": "x"},
                            content_type="application/json")
    assert withdraw.status_code == 401
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_tokens_are_stored_hashed_and_used_time_is_kept(client, citizen):
    token, raw = tokens.create_token(user=citizen, name="cổng quốc gia")
    assert raw not in (token.token_hash, token.prefix) and raw.startswith(token.prefix)
    assert token.last_used_at is None
    before = timezone.now()
    client.get(f"{API}/dossiers", **_auth(raw))
    token.refresh_from_db()
    assert before <= token.last_used_at <= timezone.now()


def test_nobody_makes_a_token_for_an_official(demo):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        tokens.create_token(user=demo.users["motcua.ducxuan"], name="x")


def test_answering_a_supplement_request(client, token, submitted, demo):
    official = demo.users["motcua.ducxuan"]
    dossier_workflow.request_supplement(dossier=submitted, acting_user=official,
                                        missing=["Bổ sung giấy chứng sinh bản rõ hơn"])
    early = client.post(f"{API}/dossiers/{submitted.code}/withdraw", {"reason": ""},
                        content_type="application/json", **_auth(token))
    assert early.status_code == 422 and "reason" in early.json()["errors"]
    second = list(submitted.procedure_version.papers.all())[1]
    nul = client.post(f"{API}/dossiers/{submitted.code}/supplement",
                      {f"paper_{second.pk}": png_file("ro-hon.png"), "note": "Đã gửi\x00"}, **_auth(token))
    assert nul.status_code == 422 and nul.json()["errors"] == {"note": NUL_MESSAGE}
    response = client.post(f"{API}/dossiers/{submitted.code}/supplement",
                           {f"paper_{second.pk}": png_file("ro-hon.png"), "note": "Đã gửi bản rõ hơn"},
                           **_auth(token))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.SUBMITTED
    assert [f["purpose"] for f in body["files"]].count("supplement") == 1
    again = client.post(f"{API}/dossiers/{submitted.code}/supplement", {"note": "x"}, **_auth(token))
    assert again.status_code == 409


def test_a_withdrawal_needs_a_json_reason(client, token, submitted):
    broken = client.post(f"{API}/dossiers/{submitted.code}/withdraw", "{not json", content_type="application/json",
                         **_auth(token))
    assert broken.status_code == 400 and broken.json()["detail"] == "Không đọc được nội dung yêu cầu: hãy gửi JSON hợp lệ."
    missing = client.post(f"{API}/dossiers/{submitted.code}/withdraw", {}, content_type="application/json",
                          **_auth(token))
    assert missing.status_code == 422 and missing.json()["errors"] == {"reason": ["Trường này là bắt buộc."]}


def test_withdrawing_my_dossier(client, token, submitted):
    response = client.post(f"{API}/dossiers/{submitted.code}/withdraw", {"reason": "Nộp nhầm thủ tục"},
                           content_type="application/json", **_auth(token))
    assert response.status_code == 200 and response.json()["status"] == Status.WITHDRAWN
    again = client.post(f"{API}/dossiers/{submitted.code}/withdraw", {"reason": "lần nữa"},
                        content_type="application/json", **_auth(token))
    assert again.status_code == 409


# --- public lookup ---------------------------------------------------------------------------

def test_lookup_shows_no_personal_data_without_the_second_factor(client, submitted):
    response = client.get(f"{API}/lookup/{submitted.code}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nguyễn Thị Hồng" not in text and "0912345678" not in text and "006190001234" not in text
    body = response.json()
    assert body["verified"] is False and body["applicant_name"] is None
    assert [event["status"] for event in body["events"]] == [Status.SUBMITTED]


def test_lookup_with_the_right_phone_shows_the_name_and_a_wrong_one_does_not(client, submitted):
    right = client.get(f"{API}/lookup/{submitted.code}", HTTP_X_LOOKUP_SECRET="0912 345 678").json()
    assert right["verified"] is True and right["applicant_name"] == "Nguyễn Thị Hồng"
    by_query = client.get(f"{API}/lookup/{submitted.code}", {"secret": "006190001234"}).json()
    assert by_query["verified"] is True
    wrong = client.get(f"{API}/lookup/{submitted.code}", HTTP_X_LOOKUP_SECRET="0999999999")
    assert wrong.json()["verified"] is False and "Nguyễn Thị Hồng" not in wrong.content.decode()
    assert client.get(f"{API}/lookup/000.00.60.H05-000101-9999").status_code == 404


def test_lookup_stops_answering_after_too_many_wrong_answers(client, submitted):
    for _attempt in range(10):
        client.get(f"{API}/lookup/{submitted.code}", HTTP_X_LOOKUP_SECRET="0999999999")
    assert client.get(f"{API}/lookup/{submitted.code}", HTTP_X_LOOKUP_SECRET="0912345678").status_code == 429


# --- the document and the languages ----------------------------------------------------------

def test_openapi_document_is_public_and_describes_every_operation(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "Cổng dịch vụ công – API" and document["info"]["version"] == "1.0.0"
    paths = document["paths"]
    expected = {
        f"{API}/procedures": {"get"}, f"{API}/procedures/{{code}}": {"get"}, f"{API}/dossiers": {"get", "post"},
        f"{API}/dossiers/{{code}}": {"get"}, f"{API}/dossiers/{{code}}/supplement": {"post"},
        f"{API}/dossiers/{{code}}/withdraw": {"post"}, f"{API}/lookup/{{code}}": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    # Every status each operation can answer: its own, and those any request can get (400 unreadable,
    # 413 body too large where there is a body, 414 URL too long, 429 throttled, 500).
    common, token = {"400", "414", "429", "500"}, {"401"}
    statuses = {
        ("get", "procedures"): {"200", "422"}, ("get", "procedures/{code}"): {"200", "404"},
        ("post", "dossiers"): {"200", "201", "409", "413", "422", *token},
        ("get", "dossiers"): {"200", "422", *token}, ("get", "dossiers/{code}"): {"200", "404", *token},
        ("get", "dossiers/{code}/files/{file_id}"): {"200", "404", "422", *token},
        ("post", "dossiers/{code}/supplement"): {"200", "404", "409", "413", "422", *token},
        ("post", "dossiers/{code}/withdraw"): {"200", "404", "409", "413", "422", *token},
        ("get", "lookup/{code}"): {"200", "404", "422"},
        ("get", "documents"): {"200", "422", *token}, ("get", "documents/{document_id}"): {"200", "404", "422", *token},
        ("get", "document-registers"): {"200", *token},
        ("get", "tasks"): {"200", "422", *token}, ("get", "tasks/{task_id}"): {"200", "404", "422", *token},
    }
    assert {(method, path.removeprefix(f"{API}/")) for path, ops in paths.items() for method in ops} == set(statuses)
    for (method, path), expected in statuses.items():
        operation = paths[f"{API}/{path}"][method]
        assert operation["summary"] and operation["tags"], (method, path)
        assert set(operation["responses"]) == expected | common, (method, path)
        for status, response in operation["responses"].items():
            if status >= "400":
                assert response["content"] == {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}}}, (method, path, status)
    assert set(document["components"]["schemas"]["Problem"]["required"]) == {"title", "status", "detail"}
    submit = paths[f"{API}/dossiers"]["post"]
    assert {"Idempotency-Key"} <= {p["name"] for p in submit["parameters"] if p["in"] == "header"}
    assert "multipart/form-data" in submit["requestBody"]["content"]
    assert "bearer" in json.dumps(document["components"]["securitySchemes"]).lower()
    from openapi_spec_validator import validate

    validate(document)


def test_interactive_docs_load_everything_from_this_server(client, db):
    page = client.get(f"{API}/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "<script>" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js"):
        url = f"{API}/docs/assets/{asset}"
        assert url in html
        assert client.get(url).status_code == 200
    assert client.get(f"{API}/docs/assets/..%2Fsettings.py").status_code == 404


def test_english_on_request(client, token, birth, demo):
    response = client.post(f"{API}/dossiers", _submission(birth, demo), HTTP_ACCEPT_LANGUAGE="en", **_auth(token))
    assert response.status_code == 400 and response.json()["detail"] == (
        "The Idempotency-Key header is required: send a new UUID for each dossier, and the same UUID again when you "
        "retry.")
    refused = client.post(f"{API}/dossiers", _submission(birth, demo, papers=_only_first_paper(birth)),
                          HTTP_ACCEPT_LANGUAGE="en", **_auth(token, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())))
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"papers": ["Missing paper: Giấy chứng sinh"]}
    assert refused.json()["detail"] == "The dossier was not submitted: correct the errors listed."
    english = client.get(f"{API}/dossiers", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["title"], english["detail"]) == (
        "Unauthorized", "Sign in with an access token: send the header 'Authorization: Bearer <token>'.")
    vietnamese = client.get(f"{API}/dossiers", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert (vietnamese["title"], vietnamese["detail"]) == (
        "Chưa xác thực", "Cần xác thực bằng mã truy cập: gửi header 'Authorization: Bearer <mã truy cập>'.")


def test_obviously_abusive_use_is_throttled(client, db, monkeypatch):
    from api.auth import AddressThrottle
    from api.main import api

    [per_address] = [t for t in api.throttle if isinstance(t, AddressThrottle)]
    monkeypatch.setattr(per_address, "num_requests", 3)
    answers = [client.get(f"{API}/procedures").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


# --- issuing tokens --------------------------------------------------------------------------

def test_the_command_prints_a_working_token_once(client, citizen, capsys):
    call_command("api_token", "create", citizen.username, "--name", "thử", "--days", "30")
    raw = capsys.readouterr().out.strip()
    assert client.get(f"{API}/dossiers", **_auth(raw)).status_code == 200
    call_command("api_token", "revoke", raw[:12])
    assert client.get(f"{API}/dossiers", **_auth(raw)).status_code == 401


def test_the_province_administrator_issues_a_token_in_the_admin(sign_in, client, citizen, demo):
    admin = sign_in("quantri.tinh")
    assert admin.get("/admin/api/apitoken/").status_code == 200
    response = admin.post("/admin/api/apitoken/add/", {"user": citizen.pk, "name": "Cổng DVC quốc gia"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=citizen, name="Cổng DVC quốc gia")
    raw = response.context["raw_token"]
    assert raw.startswith(token.prefix) and tokens.hash_token(raw) == token.token_hash
    assert client.get(f"{API}/dossiers", **_auth(raw)).status_code == 200
    official = admin.post("/admin/api/apitoken/add/", {"user": demo.users["motcua.ducxuan"].pk, "name": "x"})
    assert official.status_code == 200 and not ApiToken.objects.filter(name="x").exists()
    agency_admin = sign_in("quantri.stp")
    assert agency_admin.get("/admin/api/apitoken/").status_code == 403
