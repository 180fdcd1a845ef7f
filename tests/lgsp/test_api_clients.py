"""``/api/v1`` accepts an agency system's OAuth token through the platform's door: the route's
scope, the client's status and quota, the log — while the people's tokens work as before."""

import pytest
from django.test import Client as Browser

from api import services as tokens
from lgsp import services
from lgsp.models import CallLog

from .conftest import call, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents_reader(make_client, demo):
    client, secret = make_client(scopes=["documents.read"], acting_user=demo.users["vanthu.stp"], per_minute=5)
    return client, token_of(client, secret)


def test_a_client_reads_the_routes_of_its_scope_as_its_account(documents_reader):
    client, token = documents_reader
    answer = call("GET", "/api/v1/documents", token)
    assert answer.status_code == 200
    registers = call("GET", "/api/v1/document-registers", token)
    assert registers.status_code == 200
    logged = CallLog.objects.filter(client=client).order_by("pk")
    assert [(row.service, row.status) for row in logged] == [("api:documents", 200), ("api:document-registers", 200)]


def test_a_route_outside_its_scopes_is_refused(documents_reader):
    for path in ("/api/v1/tasks", "/api/v1/dossiers"):
        refused = call("GET", path, documents_reader[1])
        assert refused.status_code == 403 and refused["Content-Type"].startswith("application/problem+json")


def test_a_client_acting_as_an_official_never_writes(make_client, demo):
    client, secret = make_client(scopes=["dossiers.read", "dossiers.write"], acting_user=demo.users["vanthu.stp"])
    refused = call("POST", "/api/v1/dossiers", token_of(client, secret), body={})
    assert refused.status_code == 401


def test_over_its_quota_the_api_answers_429_with_retry_after(documents_reader):
    statuses = [call("GET", "/api/v1/documents", documents_reader[1]).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = call("GET", "/api/v1/documents", documents_reader[1])
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60


def test_a_suspended_clients_token_stops_on_the_api_at_once(documents_reader, admin):
    client, token = documents_reader
    assert call("GET", "/api/v1/documents", token).status_code == 200
    services.suspend(user=admin, client=client)
    refused = call("GET", "/api/v1/documents", token)
    assert refused.status_code == 401 and refused.json()["status"] == 401


def test_an_address_outside_the_allow_list_is_refused_on_the_api(make_client, demo):
    client, secret = make_client(scopes=["documents.read"], acting_user=demo.users["vanthu.stp"],
                                 allowed_ips="10.9.0.0/16")
    token = token_of(client, secret, address="10.9.1.1")
    assert call("GET", "/api/v1/documents", token, address="10.9.1.1").status_code == 200
    assert call("GET", "/api/v1/documents", token, address="203.0.113.5").status_code == 403
    assert CallLog.objects.filter(client=client, status=403, lgsp_code=101).count() == 1


def test_the_peoples_tokens_still_work_and_an_unknown_token_is_still_refused(demo):
    citizen = next(user for user in demo.users.values() if user.kind == "citizen")
    _row, raw = tokens.create_token(user=citizen, name="ứng dụng")
    browser = Browser()
    assert browser.get("/api/v1/dossiers", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    refused = browser.get("/api/v1/dossiers", HTTP_AUTHORIZATION="Bearer egov_forged")
    assert refused.status_code == 401
    assert not CallLog.objects.exists()


def test_a_dmdc_only_client_reads_nothing_of_the_api(reader):
    assert call("GET", "/api/v1/documents", reader[1]).status_code == 403
