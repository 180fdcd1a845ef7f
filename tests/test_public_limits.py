"""The limits added in ADR 0052 through egov/limits.py: the token endpoint after failed client
authentications, the public procedure search, the feedback form. Each counts per client address
(an IPv6 address by its /64 network) and refuses the next request with 429, while another address
goes on. That every process shares the counters: tests/test_limits_across_workers.py."""

import pytest
from django.test import Client

from egov import limits
from feedback.views import SENDS
from lgsp import services as lgsp
from lgsp.oauth import FAILED_CLIENT_AUTHENTICATIONS
from procedures.views import SEARCHES

STRANGER, NEIGHBOUR, OTHER = "203.0.113.7", "2001:db8:1:2::1", "198.51.100.20"


def test_an_ipv6_address_counts_by_its_network():
    assert limits.network("2001:db8:1:2::1") == limits.network("2001:db8:1:2::ffff") == "2001:db8:1:2::/64"
    assert limits.network("::ffff:203.0.113.7") == "203.0.113.7"
    assert limits.network("not an address") == "unknown"


def test_counts_start_again_when_the_window_closes():
    brief = limits.Limit("test-brief", 2, 60)
    assert [limits.spend(brief, STRANGER) for _ in range(3)] == [True, True, False]
    limits.cache.delete(brief.key(STRANGER))  # what the window's expiry does
    assert limits.spend(brief, STRANGER)


@pytest.fixture
def client_system(demo):
    client, secret = lgsp.create_client(user=None, agency=demo.agencies["01840"], name="Một cửa huyện",
                                        scopes=["dmdc.read"])
    return client.application.client_id, secret


def _token(client_id, secret, address):
    return Client(REMOTE_ADDR=address).post("/lgsp/oauth/token/", {
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})


def test_ten_wrong_client_secrets_close_the_token_endpoint_to_that_address(client_system):
    client_id, secret = client_system
    for n in range(FAILED_CLIENT_AUTHENTICATIONS.count):
        assert _token(client_id, f"sai-{n}", STRANGER).status_code == 401
    refused = _token(client_id, secret, STRANGER)
    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert refused.json()["error"] == "invalid_client"
    assert _token(client_id, secret, OTHER).status_code == 200  # the real system, elsewhere, goes on


def test_nine_wrong_client_secrets_leave_the_address_free(client_system):
    client_id, secret = client_system
    for n in range(FAILED_CLIENT_AUTHENTICATIONS.count - 1):
        _token(client_id, f"sai-{n}", STRANGER)
    assert _token(client_id, secret, STRANGER).status_code == 200


def test_the_public_search_answers_120_pages_a_minute_to_one_network(db):
    for _ in range(SEARCHES.count):
        assert Client(REMOTE_ADDR=NEIGHBOUR).get("/procedures/", {"q": "khai sinh"}).status_code == 200
    refused = Client(REMOTE_ADDR="2001:db8:1:2::9").get("/procedures/", {"q": "khai sinh"},
                                                         HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 429 and "Quá nhiều yêu cầu" in refused.content.decode()
    assert Client(REMOTE_ADDR=OTHER).get("/procedures/").status_code == 200


def test_the_feedback_form_takes_ten_sendings_an_hour_from_one_address(db):
    for _ in range(SENDS.count):
        assert Client(REMOTE_ADDR=STRANGER).post("/feedback/send/", {"content": ""}).status_code == 200
    assert Client(REMOTE_ADDR=STRANGER).post("/feedback/send/", {"content": ""}).status_code == 429
    assert Client(REMOTE_ADDR=STRANGER).get("/feedback/send/").status_code == 200  # reading the form is free
    assert Client(REMOTE_ADDR=OTHER).post("/feedback/send/", {"content": ""}).status_code == 200
