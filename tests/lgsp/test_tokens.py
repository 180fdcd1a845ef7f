"""The token endpoint (OAuth 2.0 client credentials): a token for the scopes granted, none for a
stopped client, a rotated secret or an address not allowed; a stopped client's tokens stop at once."""

import pytest

from lgsp import services
from lgsp.models import ClientStatus

from .conftest import ask_token, call, token_of

pytestmark = pytest.mark.django_db
CATEGORY = "/dmdc/Category/DanToc"


def test_a_client_gets_a_token_for_the_scopes_it_was_granted_and_reads_with_it(make_client):
    client, secret = make_client(scopes=["dmdc.read", "dmdc.write"])
    answer = ask_token(client.client_id, secret)
    assert answer.status_code == 200
    assert set(answer.json()["scope"].split()) == {"dmdc.read", "dmdc.write"}
    assert answer.json()["expires_in"] == 3600
    assert call("GET", CATEGORY, answer.json()["access_token"]).status_code == 200


def test_a_scope_not_granted_gets_no_token(make_client):
    client, secret = make_client(scopes=["dmdc.read"])
    answer = ask_token(client.client_id, secret, scope="dmdc.write")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"


def test_a_wrong_secret_gets_no_token(make_client):
    client, secret = make_client()
    assert ask_token(client.client_id, secret + "x").status_code == 401


@pytest.mark.parametrize("door", [services.suspend, services.revoke])
def test_a_suspended_or_revoked_client_is_refused_at_once(make_client, admin, door):
    client, secret = make_client()
    token = token_of(client, secret)
    assert call("GET", CATEGORY, token).status_code == 200
    door(user=admin, client=client)
    refused = call("GET", CATEGORY, token)
    assert refused.status_code == 401 and refused.json() == {
        "status": 0, "errorCode": 100, "message": refused.json()["message"]}
    assert ask_token(client.client_id, secret).status_code == 401


def test_a_resumed_client_gets_a_new_token_but_the_old_one_stays_dead(make_client, admin):
    client, secret = make_client()
    old = token_of(client, secret)
    services.suspend(user=admin, client=client)
    client = services.resume(user=admin, client=client)
    assert client.status == ClientStatus.ACTIVE
    assert call("GET", CATEGORY, old).status_code == 401
    assert call("GET", CATEGORY, token_of(client, secret)).status_code == 200


def test_after_rotation_the_old_secret_and_its_tokens_stop_and_the_new_one_works(make_client, admin):
    client, old_secret = make_client()
    old_token = token_of(client, old_secret)
    client, new_secret = services.rotate_secret(user=admin, client=client)
    assert new_secret != old_secret
    assert ask_token(client.client_id, old_secret).status_code == 401
    assert call("GET", CATEGORY, old_token).status_code == 401
    assert call("GET", CATEGORY, token_of(client, new_secret)).status_code == 200


def test_an_address_outside_the_allow_list_gets_no_token_and_its_calls_are_refused_with_101(make_client):
    client, secret = make_client(allowed_ips="10.20.0.0/16\n192.0.2.7")
    assert ask_token(client.client_id, secret, address="198.51.100.1").status_code == 401
    token = token_of(client, secret, address="10.20.3.4")
    assert call("GET", CATEGORY, token, address="192.0.2.7").status_code == 200
    refused = call("GET", CATEGORY, token, address="198.51.100.1")
    assert refused.status_code == 403 and refused.json()["errorCode"] == 101


def test_a_forged_forwarded_for_header_does_not_pass_the_allow_list(make_client):
    client, secret = make_client(allowed_ips="10.20.0.0/16")
    token = token_of(client, secret, address="10.20.3.4")
    from django.test import Client as Browser

    forged = Browser(REMOTE_ADDR="198.51.100.1").get(CATEGORY, HTTP_AUTHORIZATION=f"Bearer {token}",
                                                     HTTP_X_FORWARDED_FOR="10.20.3.4")
    assert forged.status_code == 403 and forged.json()["errorCode"] == 101


def test_a_scope_taken_away_is_taken_from_the_tokens_already_issued(make_client, admin):
    client, secret = make_client(scopes=["dmdc.read", "dmdc.write"])
    token = token_of(client, secret)
    client = services.update_client(user=admin, client=client, scopes=["dmdc.read"])
    assert call("GET", CATEGORY, token).status_code == 401
    fresh = token_of(client, secret)
    assert call("POST", CATEGORY, fresh, body={"data": [{"ma": "98", "ten": "x"}]}).status_code == 403
