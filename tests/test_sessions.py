"""Where a user is signed in: the list of sessions, ending one or all the others, and the absolute
time-out that ends a session however active (accounts.sessions)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import UserSession
from audit.models import AuditEntry

OFFICIAL = "giamdoc.stp"


def _on_another_device(sign_in, client=None):
    """The same official signing in elsewhere, with the next one-time code (a code is used once)."""
    with time_machine.travel(dt.timedelta(seconds=31)):
        return sign_in(OFFICIAL, client)


def test_a_user_sees_their_sessions_and_signs_out_everywhere_else(sign_in):
    here, there = sign_in(OFFICIAL), _on_another_device(sign_in, Client(HTTP_USER_AGENT="Firefox trên máy ở nhà"))
    page = here.get("/accounts/security/sessions/")
    assert page.status_code == 200
    sessions = list(page.context["sessions"])
    assert len(sessions) == 2 and "Firefox trên máy ở nhà" in page.content.decode()
    assert there.get("/accounts/security/").status_code == 200

    response = here.post("/accounts/security/sessions/", {"end": "others"}, follow=True)
    assert "1" in response.content.decode() and response.status_code == 200
    assert there.get("/accounts/security/").status_code == 302  # signed out over there
    assert here.get("/accounts/security/").status_code == 200  # not here
    assert UserSession.objects.filter(user__username=OFFICIAL).count() == 1
    assert AuditEntry.objects.filter(action="security", summary__sessions="others ended").exists()


def test_one_session_is_ended_and_another_users_session_cannot_be(sign_in):
    mine, other_device = sign_in(OFFICIAL), _on_another_device(sign_in)
    target = UserSession.objects.filter(user__username=OFFICIAL).exclude(
        session_key=mine.session.session_key).get()
    attacker = sign_in("congdan@example.vn")
    assert attacker.post("/accounts/security/sessions/", {"end": target.pk}).status_code == 404
    assert other_device.get("/accounts/security/").status_code == 200  # untouched
    assert mine.post("/accounts/security/sessions/", {"end": target.pk}).status_code == 302
    assert other_device.get("/accounts/security/").status_code == 302


def test_signing_out_removes_the_session_from_the_list(sign_in):
    client = sign_in(OFFICIAL)
    assert UserSession.objects.filter(user__username=OFFICIAL).count() == 1
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user__username=OFFICIAL).exists()


@pytest.mark.parametrize(("minutes", "signed_in"), [(59, True), (61, False)])
def test_an_active_session_ends_at_its_absolute_limit(sign_in, settings, minutes, signed_in):
    settings.SESSION_ABSOLUTE_SECONDS_OFFICIAL = 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = sign_in(OFFICIAL)
        for elapsed in range(20, minutes, 20):  # active every 20 minutes: the idle limit never strikes
            traveller.move_to(start + dt.timedelta(minutes=elapsed))
            assert client.get("/accounts/security/").status_code == 200
        traveller.move_to(start + dt.timedelta(minutes=minutes))
        response = client.get("/accounts/security/")
    if signed_in:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "expired=1" in response.url


def test_citizens_have_a_longer_absolute_limit_than_officials(demo, settings):
    from accounts import sessions

    assert sessions.absolute_limit(demo.users[OFFICIAL]) == dt.timedelta(hours=10)
    assert sessions.absolute_limit(demo.users["congdan@example.vn"]) == dt.timedelta(hours=24)
