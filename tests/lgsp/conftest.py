"""One-line helpers for the integration platform's tests: a registered client system, its token
from the real token endpoint, and calls through the real URLconf and middleware."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client as Browser

from directory.models import Agency
from lgsp import services

TOKEN_URL = "/lgsp/oauth/token/"


def agency(abbreviation: str) -> Agency:
    return Agency.objects.valid_on().filter(abbreviation=abbreviation).order_by("code").first()


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def ask_token(client_id: str, secret: str, *, scope: str | None = None, address: str = "127.0.0.1"):
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    return Browser(REMOTE_ADDR=address).post(TOKEN_URL, data, HTTP_AUTHORIZATION=basic(client_id, secret))


def token_of(client, secret: str, **kwargs) -> str:
    answer = ask_token(client.client_id, secret, **kwargs)
    assert answer.status_code == 200, answer.content
    return answer.json()["access_token"]


def call(method: str, path: str, token: str | None, *, body=None, address: str = "127.0.0.1"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    browser = Browser(REMOTE_ADDR=address)
    if method == "GET":
        return browser.get(path, **headers)
    return browser.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture(autouse=True)
def _reference_rows(db):
    """The rows the data migration enters (a live-server test elsewhere may have emptied the tables)."""
    from lgsp.categories import ensure_reference_rows

    ensure_reference_rows()


@pytest.fixture
def admin(demo):
    """The province's administrator (quản trị tỉnh): manages every agency's client systems."""
    return demo.users["quantri.tinh"]


@pytest.fixture
def make_client(demo, admin):
    """``make_client(scopes=[...], agency="STP", **fields)`` → (client, secret)."""

    def _make(*, scopes=("dmdc.read",), agency_abbreviation="STP", **fields):
        return services.create_client(user=admin, agency=agency(agency_abbreviation), name=fields.pop("name", "Hệ thống thử"),
                                      scopes=list(scopes), **fields)

    return _make


@pytest.fixture
def reader(make_client):
    """A client allowed to read the categories, and its token."""
    client, secret = make_client(scopes=["dmdc.read"])
    return client, token_of(client, secret)
