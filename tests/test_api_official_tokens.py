"""Officials' own API tokens (ADR 0029): made only from a session that passed the one-time code,
short-lived, read-only; revoked by their holder only; useless once the account is deactivated."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from api import services as tokens
from api.models import ApiToken
from directory.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/api/tokens/"


def _auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_an_official_makes_a_read_only_token_on_the_page_and_reads_with_it(sign_in, demo):
    browser = sign_in("vanthu.stp")
    assert browser.get(PAGE).status_code == 200
    answer = browser.post(PAGE, {"name": "Báo cáo tuần", "days": 7})
    raw = answer.context["made"]
    assert raw and raw.encode() in answer.content
    token = ApiToken.objects.get(user=demo.users["vanthu.stp"])
    assert token.expires_at <= timezone.now() + dt.timedelta(days=7, minutes=1)
    api = Client()
    assert api.get("/api/v1/documents", **_auth(raw)).status_code == 200
    assert api.get("/api/v1/tasks", **_auth(raw)).status_code == 200
    # Writing with it is refused: an official acts signed in, with the one-time code.
    write = api.post("/api/v1/dossiers", {}, content_type="application/json", **_auth(raw))
    assert write.status_code == 401 and "chỉ đọc" in write.json()["detail"]
    # Shown once: the list shows only its first characters.
    listed = browser.get(PAGE)
    assert raw.encode() not in listed.content and token.prefix.encode() in listed.content


def test_a_password_without_the_one_time_code_makes_no_token(demo):
    browser = Client()
    answer = browser.post("/accounts/login/", {"username": "vanthu.stp", "password": DEMO_PASSWORD})
    assert answer.url.startswith("/accounts/login/otp/")
    page = browser.post(PAGE, {"name": "x", "days": 7})
    assert page.status_code in (302, 403) or page.context.get("made") is None
    assert not ApiToken.objects.filter(user=demo.users["vanthu.stp"]).exists()


@pytest.mark.parametrize("days", [31, 365])
def test_an_officials_token_expires_within_the_limit(sign_in, demo, days):
    answer = sign_in("vanthu.stp").post(PAGE, {"name": "x", "days": days})
    assert answer.context["made"] is None and "30" in answer.context["form"].errors["days"][0]
    assert not ApiToken.objects.filter(user=demo.users["vanthu.stp"]).exists()


def test_an_official_without_an_expiry_or_the_second_factor_is_refused_at_the_door(demo):
    from django.core.exceptions import ValidationError

    user = demo.users["vanthu.stp"]
    with pytest.raises(ValidationError):
        tokens.create_token(user=user, name="x", second_factor=True)
    with pytest.raises(ValidationError):
        tokens.create_token(user=user, name="x", expires_at=timezone.now() + dt.timedelta(days=1))


def test_only_the_holder_revokes_and_a_revoked_or_deactivated_token_stops(sign_in, demo):
    user = demo.users["vanthu.stp"]
    token, raw = tokens.create_token(user=user, name="x", expires_at=timezone.now() + dt.timedelta(days=3),
                                     second_factor=True)
    other = sign_in("vanthu.ducxuan")
    assert other.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert Client().get("/api/v1/documents", **_auth(raw)).status_code == 200
    assert sign_in("vanthu.stp").post(f"{PAGE}{token.pk}/revoke/").status_code == 302
    assert Client().get("/api/v1/documents", **_auth(raw)).status_code == 401
    second, raw2 = tokens.create_token(user=user, name="y", expires_at=timezone.now() + dt.timedelta(days=3),
                                       second_factor=True)
    user.is_active = False
    user.save()
    assert Client().get("/api/v1/documents", **_auth(raw2)).status_code == 401


def test_a_citizen_still_makes_tokens_that_write(sign_in, demo):
    answer = sign_in("congdan@example.vn").post(PAGE, {"name": "Ứng dụng", "days": 90})
    raw = answer.context["made"]
    assert raw
    token = ApiToken.objects.get(user=demo.users["congdan@example.vn"])
    assert tokens.may_use(token, "POST")
