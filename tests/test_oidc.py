"""Citizen sign-in through OpenID Connect, against a real provider (npm ``oidc-provider``).

The provider (simulators/identity/server.mjs) runs as a Node subprocess on a free local port.
The "browser" at the provider is a ``requests.Session`` filling in the provider's HTML forms;
the platform side is Django's test client, which keeps state, nonce and PKCE verifier in its
session and exchanges the code with the provider over real HTTP.
"""

import os
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import PortalProfile, User
from audit.models import AuditEntry
from tests import tools
from tests.ports import free_port

pytestmark = pytest.mark.oidc

SERVER = Path(__file__).resolve().parents[1] / "simulators" / "identity" / "server.mjs"
CLIENT_ID = "egov-test"
CLIENT_SECRET = "bi-mat-cua-cong-dich-vu-cong-thu-nghiem"
CALLBACK = "http://testserver/oidc/callback/"
# The one citizen the provider knows (see server.mjs).
CREDENTIALS = {"username": "001190001234", "password": "MatKhau-ThuNghiem-2024"}
SUBJECT = "VNEID-001234"
NAME = "Trần Thị Bình"
EMAIL = "tran.thi.binh@vneid.test"
FAILED_MESSAGE = "Signing in with the national identity did not succeed. Try again or use your password."


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """The running provider's discovery document."""
    tools.require("node")
    node = shutil.which("node")
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("oidc-provider") / "provider.log"
    log = log_path.open("wb")
    env = {
        **os.environ, "OIDC_PROVIDER_PORT": str(port), "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_REDIRECT_URI": CALLBACK,
    }
    process = subprocess.Popen(
        [node, str(SERVER), str(port)], cwd=SERVER.parents[2], env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"oidc-provider exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
                if response.ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"oidc-provider did not answer on {issuer}:\n{log_path.read_text()}")
            time.sleep(0.05)
        yield response.json()
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def oidc(provider, settings):
    """The platform configured for the provider, as settings.py does from OIDC_OP_ISSUER."""
    issuer = provider["issuer"]
    settings.OIDC_OP_ISSUER = issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_TIMEOUT = 10
    return provider


class _Forms(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.forms: list[dict] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def at_provider(browser: requests.Session, url: str, *, consent: str = "confirm", credentials=CREDENTIALS):
    """Act as the citizen's browser from the authorization URL until the provider sends it back
    to the platform. Returns that URL and the interaction pages met ("login", "consent")."""
    pages: list[str] = []
    response = browser.get(url, allow_redirects=False, timeout=10)
    for _ in range(20):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(CALLBACK):
                return location, pages
            response = browser.get(location, allow_redirects=False, timeout=10)
            continue
        assert response.status_code == 200, response.text
        forms = _Forms(response.text).forms
        if forms and "password" in forms[0]["fields"]:
            pages.append("login")
            form, data = forms[0], credentials
        else:
            pages.append("consent")
            form = next(f for f in forms if f["action"].endswith(f"/{consent}"))
            data = form["fields"]
        action = urljoin(response.url, form["action"])
        response = browser.post(action, data=data, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider never sent the browser back; pages: {pages}")


def new_browser() -> requests.Session:
    browser = requests.Session()
    browser.trust_env = False  # straight to 127.0.0.1, whatever proxy the environment sets
    return browser


def authorization_url(client: Client, issuer: str) -> str:
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response.url.startswith(f"{issuer}/auth?")
    return response.url


def sign_in(client: Client, browser: requests.Session, issuer: str, **kwargs):
    """The whole flow; returns the platform's answer to the callback and the provider's pages."""
    callback, pages = at_provider(browser, authorization_url(client, issuer), **kwargs)
    return client.get(callback), pages


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def with_query(url: str, **changes) -> str:
    return url.split("?", 1)[0] + "?" + urlencode({**query(url), **changes})


def assert_failed_and_signed_out(client: Client, response) -> None:
    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?oidc=failed"
    page = client.get(response.url)
    assert page.status_code == 200
    with translation.override(page.headers["Content-Language"]):
        assert escape(translation.gettext(FAILED_MESSAGE)) in page.content.decode()
    assert "_auth_user_id" not in client.session
    account = client.get(reverse("portal:account"))
    assert account.status_code == 302 and account.url.startswith(reverse("accounts:login"))


def test_citizen_signs_in_with_the_national_identity(db, oidc, client):
    issuer = oidc["issuer"]
    # settings.py derives the endpoints from the issuer; they are where the provider has them.
    assert oidc["authorization_endpoint"] == f"{issuer}/auth" and oidc["token_endpoint"] == f"{issuer}/token"
    assert oidc["userinfo_endpoint"] == f"{issuer}/me" and oidc["jwks_uri"] == f"{issuer}/jwks"
    assert not User.objects.filter(profile__oidc_subject=SUBJECT).exists()

    request = authorization_url(client, issuer)
    params = query(request)
    assert params["response_type"] == "code" and params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == CALLBACK
    assert set(params["scope"].split()) == {"openid", "email", "profile"}
    assert params["code_challenge_method"] == "S256" and params["code_challenge"] and params["nonce"]

    browser = new_browser()
    callback, pages = at_provider(browser, request)
    assert pages == ["login", "consent"]
    returned = query(callback)
    assert returned["state"] == params["state"] and returned["code"] and returned["iss"] == issuer

    response = client.get(callback)  # the code is exchanged with the provider here
    assert response.status_code == 302 and response.url == reverse("portal:account")
    assert client.session["_auth_user_backend"] == "accounts.oidc.CitizenOIDCBackend"
    account = client.get(response.url)  # no second-factor step for the national identity
    assert account.status_code == 200
    assert NAME in account.content.decode()

    user = User.objects.get(profile__oidc_subject=SUBJECT)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.kind == User.Kind.CITIZEN and user.full_name == NAME
    assert user.email == EMAIL and user.email_verified and not user.has_usable_password()
    assert user.profile.oidc_subject == SUBJECT
    login = AuditEntry.objects.filter(action="login", object_type="accounts.user", object_id=str(user.pk))
    assert login.count() == 1 and login.get().actor_id == user.pk

    # Later, on another device: same subject, same account; the name follows the provider.
    User.objects.filter(pk=user.pk).update(full_name="Tên cũ")
    other = Client()
    response, pages = sign_in(other, new_browser(), issuer)
    assert pages == ["login", "consent"]
    assert response.status_code == 302 and response.url == reverse("portal:account")
    assert int(other.session["_auth_user_id"]) == user.pk
    assert User.objects.filter(profile__oidc_subject=SUBJECT).count() == 1
    assert PortalProfile.objects.filter(oidc_subject=SUBJECT).count() == 1
    user.refresh_from_db()
    assert user.full_name == NAME
    assert login.count() == 2

    # The first browser still has its session at the provider: single sign-on, no pages at all.
    third = Client()
    response, pages = sign_in(third, browser, issuer)
    assert pages == []
    assert response.status_code == 302 and int(third.session["_auth_user_id"]) == user.pk
    assert User.objects.filter(profile__oidc_subject=SUBJECT).count() == 1


def _tampered_state(client, issuer):
    callback, _ = at_provider(new_browser(), authorization_url(client, issuer))
    return with_query(callback, state="x" * 32)


def _code_refused_by_provider(client, issuer):
    callback, _ = at_provider(new_browser(), authorization_url(client, issuer))
    return with_query(callback, code="forged-authorization-code")


def _code_of_another_request(client, issuer):
    # Two requests in one session; A's state with B's code: the provider refuses the exchange
    # (B's code was bound to B's PKCE challenge, the platform sends A's verifier).
    first = authorization_url(client, issuer)
    second, _ = at_provider(new_browser(), authorization_url(client, issuer))
    return with_query(second, state=query(first)["state"])


def _callback_in_another_browser(client, issuer):
    callback, _ = at_provider(new_browser(), authorization_url(Client(), issuer))
    return callback


def _citizen_declines(client, issuer):
    callback, pages = at_provider(new_browser(), authorization_url(client, issuer), consent="abort")
    assert pages == ["login", "consent"] and query(callback)["error"] == "access_denied"
    return callback


@pytest.mark.parametrize(
    "make_callback",
    [_tampered_state, _code_refused_by_provider, _code_of_another_request, _callback_in_another_browser,
     _citizen_declines],
    ids=lambda f: f.__name__.lstrip("_"),
)
def test_a_failed_sign_in_leads_back_to_the_login_page(db, oidc, client, make_callback):
    logins = AuditEntry.objects.filter(action="login").count()
    response = client.get(make_callback(client, oidc["issuer"]))
    assert_failed_and_signed_out(client, response)
    assert not User.objects.filter(profile__oidc_subject=SUBJECT).exists()
    assert AuditEntry.objects.filter(action="login").count() == logins


def test_userinfo_for_another_subject_than_the_id_token_is_refused(db, oidc, client, monkeypatch):
    real = OIDCAuthenticationBackend.get_userinfo

    def other_subject(self, access_token, id_token, payload):
        return {**real(self, access_token, id_token, payload), "sub": "VNEID-999999"}

    monkeypatch.setattr(OIDCAuthenticationBackend, "get_userinfo", other_subject)
    response, _ = sign_in(client, new_browser(), oidc["issuer"])
    assert_failed_and_signed_out(client, response)
    assert not PortalProfile.objects.filter(oidc_subject__in=[SUBJECT, "VNEID-999999"]).exists()


def test_a_deactivated_citizen_is_refused_not_duplicated(db, oidc, client):
    user = User.objects.create(username=f"oidc-{SUBJECT}", full_name=NAME, is_active=False)
    PortalProfile.objects.create(user=user, oidc_subject=SUBJECT)
    response, _ = sign_in(client, new_browser(), oidc["issuer"])
    assert_failed_and_signed_out(client, response)
    assert User.objects.filter(profile__oidc_subject=SUBJECT).get() == user
    assert AuditEntry.objects.filter(action="login_failed").exists()
    assert not AuditEntry.objects.filter(action="login", object_id=str(user.pk)).exists()


def test_an_existing_account_with_the_same_email_is_not_taken_over(db, oidc, client):
    local = User.objects.create(username="binh.local", email=EMAIL.upper(), full_name="Bình (tài khoản cũ)")
    response, _ = sign_in(client, new_browser(), oidc["issuer"])
    assert response.status_code == 302 and response.url == reverse("portal:account")
    created = User.objects.get(profile__oidc_subject=SUBJECT)
    assert created != local and int(client.session["_auth_user_id"]) == created.pk
    assert created.email == "" and not created.email_verified
    local.refresh_from_db()
    assert local.email == EMAIL.upper()
    assert not PortalProfile.objects.filter(user=local).exists()


def test_password_login_never_reaches_the_identity_provider(demo, oidc, client):
    # Django offers every authenticate() to every backend: a code/state in the login URL must
    # not make the password form exchange it with the provider (it used to end in a 500).
    credentials = {"username": "no.such.user", "password": "wrong-password"}
    response = client.post(reverse("accounts:login") + "?code=abc&state=def", credentials)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("enabled", [True, False])
def test_login_page_offers_the_national_identity_only_when_configured(db, settings, client, enabled):
    settings.OIDC_ENABLED = enabled
    settings.OIDC_OP_ISSUER = "https://vneid.example" if enabled else ""
    page = client.get(reverse("accounts:login")).content.decode()
    assert (f'href="{reverse("oidc_authentication_init")}"' in page) is enabled
