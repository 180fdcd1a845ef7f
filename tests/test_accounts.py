"""Sign-in, second factor, lock-out, registration, sessions and the security headers around them."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.models import AuditEntry
from directory.demo import DEMO_PASSWORD
from tests.conftest import current_code


def _login(client, username, password=DEMO_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_passwords_are_stored_with_argon2(demo):
    import egov.settings as production  # the module, not the suite's settings (tests/hashers.py lowers the cost)

    assert demo.users["chuyenvien.stp"].password.startswith("argon2$argon2id$")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"  # Django's cost


def test_specialist_without_second_factor_lands_in_the_workspace(demo, client):
    response = _login(client, "chuyenvien.stp")
    assert response.status_code == 302 and response.url == "/workspace/"
    page = client.get("/workspace/")
    assert "Phòng Hành chính tư pháp" in page.content.decode()


def test_wrong_password_is_refused_with_a_vietnamese_message(demo, client):
    response = _login(client, "chuyenvien.stp", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert AuditEntry.objects.filter(action="login_failed").exists()


def test_leader_must_pass_the_totp_step_before_any_page(demo, client):
    response = _login(client, "giamdoc.stp")
    assert response.url == "/accounts/login/otp/"
    # Not signed in yet: the workspace sends the leader back to the login page.
    assert client.get("/workspace/").status_code == 302
    response = client.post("/accounts/login/otp/", {"otp_token": "000000"})
    assert response.status_code == 200
    assert client.get("/workspace/").status_code == 302
    device = TOTPDevice.objects.get(user=demo.users["giamdoc.stp"])
    time.sleep(1.1)  # django-otp slows down guessing: one second after a wrong code
    response = client.post("/accounts/login/otp/", {"otp_token": current_code(device)})
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 200


def test_leader_without_a_device_must_enrol_one_to_sign_in(demo, client):
    TOTPDevice.objects.filter(user=demo.users["giamdoc.sxd"]).delete()
    response = _login(client, "giamdoc.sxd")
    assert response.url == "/accounts/login/enroll/"
    page = client.get(response.url)
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=demo.users["giamdoc.sxd"], confirmed=False)
    response = client.post("/accounts/login/enroll/", {"otp_token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/workspace/").status_code == 200


def test_five_wrong_codes_lock_the_second_step(demo, client):
    _login(client, "giamdoc.stp")
    for _ in range(5):
        client.post("/accounts/login/otp/", {"otp_token": "000000"})
    device = TOTPDevice.objects.get(user=demo.users["giamdoc.stp"])
    response = client.post("/accounts/login/otp/", {"otp_token": current_code(device)})
    assert response.status_code == 429


def test_a_session_made_without_the_second_factor_is_ended(demo, client):
    client.force_login(demo.users["quantri.tinh"])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_specialist_may_turn_on_totp_and_then_needs_it(demo, sign_in):
    client = sign_in("chuyenvien.stp")
    client.get("/accounts/security/totp/")
    device = TOTPDevice.objects.get(user=demo.users["chuyenvien.stp"], confirmed=False)
    assert client.post("/accounts/security/totp/", {"otp_token": current_code(device)}).status_code == 302
    assert _login(Client(), "chuyenvien.stp").url == "/accounts/login/otp/"


def test_leader_cannot_turn_the_second_factor_off(demo, sign_in):
    client = sign_in("giamdoc.stp")
    client.post("/accounts/security/totp/disable/")
    assert TOTPDevice.objects.filter(user=demo.users["giamdoc.stp"], confirmed=True).exists()


def test_repeated_failures_lock_the_account_for_a_while(demo, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "motcua.stp", "sai-mat-khau")
    response = _login(client, "motcua.stp")  # even the right password is refused now
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    assert AuditEntry.objects.filter(action="locked_out").exists()


def test_other_accounts_are_not_locked_by_someone_elses_failures(demo, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "motcua.stp", "sai-mat-khau")
    assert _login(client, "chuyenvien.stp").status_code == 302


def test_sign_in_and_out_are_audited(demo, client):
    _login(client, "chuyenvien.stp")
    client.post("/accounts/logout/")
    actions = list(AuditEntry.objects.filter(actor_label="chuyenvien.stp").values_list("action", flat=True))
    assert "login" in actions and "logout" in actions


def test_sessions_expire_after_inactivity_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_password_change_needs_the_old_password_and_is_audited(demo, sign_in):
    client = sign_in("chuyenvien.stp")
    response = client.post("/accounts/security/password/", {
        "old_password": "wrong", "new_password1": "Mot-mat-khau-moi-2026", "new_password2": "Mot-mat-khau-moi-2026"})
    assert response.status_code == 200
    response = client.post("/accounts/security/password/", {
        "old_password": DEMO_PASSWORD, "new_password1": "Mot-mat-khau-moi-2026",
        "new_password2": "Mot-mat-khau-moi-2026"})
    assert response.status_code == 302
    assert User.objects.get(username="chuyenvien.stp").check_password("Mot-mat-khau-moi-2026")
    assert AuditEntry.objects.filter(action="security", summary__password="changed").exists()


REGISTRATION = {
    "kind": "citizen", "full_name": "Hoàng Thị Lan", "email": "lan.hoang@example.vn",
    "password1": "Lan-Bac-Kan-2026", "password2": "Lan-Bac-Kan-2026",
}


def test_citizen_registers_and_activates_through_the_emailed_link(db, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/register/", REGISTRATION)
    assert response.status_code == 200
    user = User.objects.get(email="lan.hoang@example.vn")
    assert not user.is_active
    assert _login(client, "lan.hoang@example.vn", "Lan-Bac-Kan-2026").status_code == 200  # not active yet
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Xác nhận địa chỉ thư điện tử"
    link = re.search(r"http://\S+", message.body).group(0)
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 400  # a used link does not work twice
    response = _login(client, "lan.hoang@example.vn", "Lan-Bac-Kan-2026")
    assert response.status_code == 302 and response.url == "/account/"


def test_registration_refuses_a_taken_email_and_weak_passwords_with_reasons(demo, client):
    response = client.post("/accounts/register/", {**REGISTRATION, "email": "CongDan@example.vn",
                                                   "password1": "12345", "password2": "12345"})
    page = response.content.decode()
    assert "đã có tài khoản" in page
    assert "quá ngắn" in page or "quá phổ biến" in page
    assert User.objects.filter(email__iexact="congdan@example.vn").count() == 1


def test_business_registration_needs_a_valid_tax_code(db, client):
    response = client.post("/accounts/register/", {**REGISTRATION, "kind": "business", "business_name": "HTX Ba Bể",
                                                   "tax_code": "12AB"})
    assert "mã số thuế" in response.content.decode().lower()
    assert not User.objects.filter(email="lan.hoang@example.vn").exists()


def test_login_form_is_protected_against_cross_site_requests(demo):
    client = Client(enforce_csrf_checks=True)
    assert _login(client, "chuyenvien.stp").status_code == 403


def test_every_page_carries_a_strict_content_security_policy(db, client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("path", ["/workspace/", "/workspace/audit/", "/account/", "/accounts/security/"])
def test_private_pages_need_a_sign_in(db, client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_citizens_are_kept_out_of_the_workspace(demo, sign_in):
    client = sign_in("congdan@example.vn")
    assert client.get("/workspace/").status_code == 302
