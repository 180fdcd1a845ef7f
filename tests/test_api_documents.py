"""The documents API: only what the token's user may read; a classified document without its
content; the registers of the user's agencies. Officials read with their own read-only tokens
(ADR 0029); citizens' tokens see no document at all."""

import datetime as dt

import pytest
from django.utils import timezone

from api import services as tokens
from documents.models import Direction
from tests.documents.search_helpers import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer(demo):
    """Headers with a real token of ``username`` (an official's made as after the second factor)."""

    def headers(username):
        user = demo.users[username]
        expires = timezone.now() + dt.timedelta(days=7) if user.is_official else None
        raw = tokens.create_token(user=user, name="e-office", expires_at=expires, second_factor=user.is_official)[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return headers


@pytest.fixture
def documents(demo):
    return {
        "open": make_document(demo, abstract="Kế hoạch phòng chống thiên tai", number_symbol="12/KH-UBND"),
        "secret": make_document(demo, abstract="Nội dung mật về thiên tai", classified=True),
        "commune": make_document(demo, "01840", abstract="Thiên tai ở xã", created_by="vanthu.ducxuan"),
        "outgoing": make_document(demo, direction=Direction.OUTGOING, abstract="Công văn trả lời"),
    }


def test_the_list_has_only_visible_documents(client, demo, documents, bearer):
    answer = client.get("/api/v1/documents", {"q": "thien tai"}, **bearer("vanthu.stp")).json()
    by_id = {item["id"]: item for item in answer["items"]}
    assert set(by_id) == {documents["open"].pk, documents["secret"].pk}
    assert by_id[documents["open"].pk]["abstract"] == "Kế hoạch phòng chống thiên tai"
    secret = by_id[documents["secret"].pk]
    assert secret["classified"] is True and secret["abstract"] is None and secret["issuer_name"] is None
    answer = client.get("/api/v1/documents", {"q": "thien tai"}, **bearer("chuyenvien.stp")).json()
    assert answer["count"] == 0


def test_filters_and_pages(client, demo, documents, bearer):
    answer = client.get("/api/v1/documents", {"direction": "outgoing", "page_size": 1},
                        **bearer("vanthu.stp")).json()
    assert [i["id"] for i in answer["items"]] == [documents["outgoing"].pk] and answer["pages"] == 1


def test_another_agencys_document_is_404(client, demo, documents, bearer):
    headers = bearer("vanthu.stp")
    assert client.get(f"/api/v1/documents/{documents['commune'].pk}", **headers).status_code == 404
    detail = client.get(f"/api/v1/documents/{documents['open'].pk}", **headers).json()
    assert detail["number_symbol"] == "12/KH-UBND"


def test_registers_of_the_users_agencies(client, demo, documents, bearer):
    registers = client.get("/api/v1/document-registers", **bearer("vanthu.ducxuan")).json()
    assert registers and {r["agency_code"] for r in registers} == {demo.agencies["01840"].code}


def test_a_token_is_required(client, demo):
    assert client.get("/api/v1/documents").status_code == 401


def test_a_citizens_token_reads_no_document(client, demo, documents, bearer):
    headers = bearer("congdan@example.vn")
    assert client.get("/api/v1/documents", **headers).json()["count"] == 0
    assert client.get(f"/api/v1/documents/{documents['open'].pk}", **headers).status_code == 404
    assert client.get("/api/v1/document-registers", **headers).json() == []
