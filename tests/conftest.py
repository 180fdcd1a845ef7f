"""Shared fixtures: the Bắc Kạn demo directory and one-line helpers for signed-in clients."""

import pytest
from django.test import Client
from django_otp.oath import totp

from directory.demo import DEMO_PASSWORD, load_demo

pytest_plugins = ["tests.tools", "tests.signing_fixtures"]


def pytest_configure(config):
    """Argon2id at a test cost (tests/hashers.py), set before anything is hashed; production's
    hashers stay checked by tests/test_accounts.py."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher",
                                 *(h for h in settings.PASSWORD_HASHERS if not h.endswith(".Argon2PasswordHasher"))]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo once per run; each test then works inside a transaction rolled back after it."""
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counters kept in the cache (second-factor failures) must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_request_left_open():
    """A test that does not read a streamed download leaves its request open (Django's test client
    sends request_finished only when the body is consumed); the next test must not inherit it."""
    from outbox.services import _after_response
    from workdays import calendar

    _after_response.calls = None
    yield
    _after_response.calls = None
    # A test that changed calendar overrides is rolled back without a commit: its thread would
    # otherwise keep reading the calendar uncached (workdays.calendar._uncommitted).
    calendar.clear_cache()


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """Each test writes its files to a folder of its own, so tests that count files on disk
    are not disturbed by other runs."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    """The demo directory (agencies, units, officials for every role, two portal users)."""
    return load_demo()


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def sign_in(demo):
    """``sign_in("giamdoc.stp")`` returns a client that went through the real login (and TOTP)."""

    def _sign_in(username: str, client: Client | None = None) -> Client:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = client or Client()
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.content[:500]
        if response.url.startswith("/accounts/login/otp/"):
            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            response = client.post("/accounts/login/otp/", {"otp_token": current_code(device)})
            assert response.status_code == 302
        return client

    return _sign_in
