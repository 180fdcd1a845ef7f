"""Attacks on sign-in found in review: enrolling a new authenticator with only the password, and
dodging the lock-out by changing the case of the name or switching between e-mail and username."""

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.demo import DEMO_PASSWORD
from tests.conftest import current_code


def _login(client, username, password=DEMO_PASSWORD, address="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _next_code(device) -> str:
    """The code of the next 30-second step (accepted within the device's tolerance), so that a
    test can prove a device twice without waiting for the clock."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=1):0{device.digits}d}"


def _signed_in(client) -> bool:
    return client.get("/workspace/").status_code == 200


# --- enrolment of a second factor -----------------------------------------------------------

def test_password_alone_does_not_open_the_enrolment_page_of_a_leader_with_a_device(demo):
    real = TOTPDevice.objects.get(user=demo.users["giamdoc.stp"], confirmed=True)
    client = Client()
    assert _login(client, "giamdoc.stp").url == "/accounts/login/otp/"
    response = client.get("/accounts/login/enroll/")
    assert response.status_code == 302 and response.url == "/accounts/login/otp/"
    assert "data:image/svg+xml" not in response.content.decode()  # no new secret handed out
    assert not TOTPDevice.objects.filter(user=demo.users["giamdoc.stp"], confirmed=False).exists()
    assert not _signed_in(client)
    assert TOTPDevice.objects.get(user=demo.users["giamdoc.stp"], confirmed=True).pk == real.pk


def test_password_alone_cannot_confirm_a_new_device_and_sign_in(demo):
    leader = demo.users["giamdoc.stp"]
    real = TOTPDevice.objects.get(user=leader, confirmed=True)
    client = Client()
    _login(client, "giamdoc.stp")
    # The attacker's own authenticator (as if the page had handed out its secret).
    planted = TOTPDevice.objects.create(user=leader, name="Authenticator", confirmed=False)
    response = client.post("/accounts/login/enroll/", {"otp_token": current_code(planted)})
    assert response.status_code == 302 and response.url == "/accounts/login/otp/"
    assert not _signed_in(client)
    real.refresh_from_db()
    assert real.confirmed
    assert list(TOTPDevice.objects.filter(user=leader, confirmed=True)) == [real]
    planted.refresh_from_db()
    assert not planted.confirmed


def test_a_leader_without_a_device_still_enrols_on_first_sign_in(demo):
    leader = demo.users["giamdoc.sxd"]
    TOTPDevice.objects.filter(user=leader).delete()
    client = Client()
    assert _login(client, "giamdoc.sxd").url == "/accounts/login/enroll/"
    assert client.get("/accounts/login/enroll/").status_code == 200
    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    assert client.post("/accounts/login/enroll/", {"otp_token": current_code(device)}).status_code == 302
    assert _signed_in(client)


def test_enrolment_page_needs_a_password_first(demo):
    client = Client()
    response = client.get("/accounts/login/enroll/")
    assert response.status_code == 302 and response.url == "/accounts/login/"


def test_moving_to_a_new_phone_needs_the_code_of_the_current_one(demo, sign_in):
    leader = demo.users["giamdoc.stp"]
    client = sign_in("giamdoc.stp")
    real = TOTPDevice.objects.get(user=leader, confirmed=True)
    page = client.get("/accounts/security/totp/")
    assert page.status_code == 200 and 'name="current_token"' in page.content.decode()
    new = TOTPDevice.objects.get(user=leader, confirmed=False)
    # Only the new phone's code: refused, the current phone stays.
    response = client.post("/accounts/security/totp/", {"otp_token": current_code(new)})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=leader, confirmed=True).pk == real.pk
    # A wrong code for the current phone: refused as well.
    response = client.post("/accounts/security/totp/", {"otp_token": current_code(new), "current_token": "000000"})
    assert response.status_code == 200
    assert "mã của điện thoại đang dùng" in response.content.decode().lower()
    assert TOTPDevice.objects.get(user=leader, confirmed=True).pk == real.pk


def test_moving_to_a_new_phone_with_both_codes_replaces_the_device(demo, sign_in):
    leader = demo.users["giamdoc.stp"]
    client = sign_in("giamdoc.stp")
    real = TOTPDevice.objects.get(user=leader, confirmed=True)
    client.get("/accounts/security/totp/")
    new = TOTPDevice.objects.get(user=leader, confirmed=False)
    response = client.post("/accounts/security/totp/",
                           {"otp_token": current_code(new), "current_token": _next_code(real)})
    assert response.status_code == 302 and response.url == "/accounts/security/"
    assert list(TOTPDevice.objects.filter(user=leader, confirmed=True)) == [new]


def test_replacing_a_device_through_the_service_needs_the_current_code(demo):
    from accounts import services

    leader = demo.users["giamdoc.stp"]
    real = TOTPDevice.objects.get(user=leader, confirmed=True)
    new = services.start_totp_enrollment(leader)
    with pytest.raises(services.CurrentDeviceCodeNeeded):
        services.confirm_totp(user=leader, device=new, token=current_code(new))
    with pytest.raises(services.CurrentDeviceCodeNeeded):
        services.confirm_totp(user=leader, device=new, token=current_code(new), current_token="000000")
    assert list(TOTPDevice.objects.filter(user=leader, confirmed=True)) == [real]


# --- lock-out keyed on the account ----------------------------------------------------------

VARIANTS = ["motcua.sxd", "MOTCUA.SXD@THAINGUYEN.GOV.VN", "Motcua.Sxd@thainguyen.gov.vn", "motcua.sxd@thainguyen.gov.vn",
            "Motcua.Sxd", " motcua.sxd "]


def _fail_with_variants(client, address="10.0.0.1"):
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, VARIANTS[n % len(VARIANTS)], "sai-mat-khau", address)
        assert response.status_code == (200 if n < settings.AXES_FAILURE_LIMIT - 1 else 429)


@pytest.mark.parametrize("typed", ["motcua.sxd", "MOTCUA.SXD@THAINGUYEN.GOV.VN", "motcua.sxd@thainguyen.gov.vn"])
def test_failures_in_any_casing_or_by_email_lock_the_account(demo, typed):
    client = Client()
    _fail_with_variants(client)
    response = _login(client, typed)
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    assert not _signed_in(client)


def test_one_failure_short_of_the_limit_does_not_lock(demo):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, VARIANTS[n % len(VARIANTS)], "sai-mat-khau")
    assert _login(client, "Motcua.Sxd@thainguyen.gov.vn").status_code == 302


def test_the_lock_of_one_account_leaves_other_accounts_open(demo):
    client = Client()
    _fail_with_variants(client)
    assert _login(client, "motcua.stp").status_code == 302


def test_the_lock_is_per_client_address_so_a_stranger_cannot_lock_the_owner_out(demo):
    _fail_with_variants(Client(), address="203.0.113.9")
    assert _login(Client(), "motcua.sxd@thainguyen.gov.vn", address="10.0.0.2").status_code == 302


def test_unknown_names_are_counted_case_insensitively_too(demo):
    from accounts.backends import lockout_key

    assert lockout_key(None, {"username": "Nobody@Example.VN "}) == lockout_key(None, {"username": "nobody@example.vn"})
    assert lockout_key(None, {"username": "MOTCUA.SXD@thainguyen.gov.vn"}) == "motcua.sxd"
    assert lockout_key(None, {"username": "congdan@EXAMPLE.vn"}) == "congdan@example.vn"


def test_sign_in_and_lock_out_agree_on_the_account_in_any_casing(demo):
    assert _login(Client(), "Motcua.Sxd").status_code == 302
    assert _login(Client(), "MOTCUA.SXD@thainguyen.gov.vn").status_code == 302


def test_a_name_in_another_casing_that_fits_two_accounts_signs_in_neither(demo, django_user_model):
    from accounts.backends import resolve_account

    twin = django_user_model.objects.create_user(username="MOTCUA.SXD", password=DEMO_PASSWORD, kind="official")
    assert resolve_account("motcua.sxd") == demo.users["motcua.sxd"]  # the exact name wins
    assert resolve_account("MOTCUA.SXD") == twin
    assert resolve_account("Motcua.Sxd") is None
    assert _login(Client(), "Motcua.Sxd").status_code == 200
