"""Quên mật khẩu: a new password through a link sent by e-mail, which works once, never says
whether an address has an account, and never skips an official's second factor."""

import re

import pytest
from django.core import mail

from accounts.models import User
from audit.models import AuditEntry
from directory.demo import DEMO_PASSWORD

NEW_PASSWORD = "Thai-Nguyen-moi-2026"


def ask_for_link(client, email: str, capture):
    with capture(execute=True):
        return client.post("/accounts/password-reset/", {"email": email})


def emailed_link() -> str:
    """The link's path; the mail carries it under the platform's public address (EGOV_PUBLIC_URL)."""
    assert len(mail.outbox) == 1
    return re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)


def set_password(client, link: str, password: str = NEW_PASSWORD):
    form = client.get(link)  # Django moves the token into the session and redirects to a neutral address
    assert form.status_code == 302
    page = client.get(form.url)
    assert "Đặt mật khẩu mới" in page.content.decode()
    return client.post(form.url, {"new_password1": password, "new_password2": password})


def login(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_the_sign_in_page_links_to_the_password_reset(demo, client):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in page and "Quên mật khẩu?" in page
    form = client.get("/accounts/password-reset/").content.decode()
    assert '<html lang="vi">' in form and 'type="email"' in form


def test_a_citizen_chooses_a_new_password_through_the_emailed_link(demo, client, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.EGOV_PUBLIC_URL = "https://dichvucong.thainguyen.gov.vn"
    response = ask_for_link(client, "CongDan@Example.vn", django_capture_on_commit_callbacks)  # any casing
    assert response.status_code == 302 and response.url == "/accounts/password-reset/sent/"
    message = mail.outbox[0]
    assert message.to == ["congdan@example.vn"] and message.subject == "Đặt mật khẩu mới"
    assert "Xin chào Nguyễn Thị Hồng" in message.body and "chỉ dùng được một lần" in message.body
    assert "https://dichvucong.thainguyen.gov.vn/accounts/password-reset/" in message.body  # never the Host header
    link = emailed_link()

    done = set_password(client, link)
    assert done.status_code == 302 and done.url == "/accounts/login/"
    assert "Mật khẩu của bạn đã được thay đổi" in client.get(done.url).content.decode()
    assert login(client, "congdan@example.vn", DEMO_PASSWORD).status_code == 200  # the old one: refused
    assert login(client, "congdan@example.vn", NEW_PASSWORD).status_code == 302
    user = User.objects.get(email="congdan@example.vn")
    assert AuditEntry.objects.filter(object_id=str(user.pk), action="security",
                                     summary={"password": "reset"}).count() == 1


def test_the_link_works_once(demo, client, django_capture_on_commit_callbacks):
    ask_for_link(client, "congdan@example.vn", django_capture_on_commit_callbacks)
    link = emailed_link()
    set_password(client, link)
    again = client.get(link, follow=True).content.decode()
    assert "Đường dẫn này đã được sử dụng hoặc đã hết hạn." in again
    assert 'name="new_password1"' not in again


def test_a_weak_password_is_refused_with_reasons(demo, client, django_capture_on_commit_callbacks):
    ask_for_link(client, "congdan@example.vn", django_capture_on_commit_callbacks)
    response = set_password(client, emailed_link(), password="12345")
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    assert login(client, "congdan@example.vn", DEMO_PASSWORD).status_code == 302  # unchanged


def test_the_answer_never_tells_whether_an_address_has_an_account(demo, client, django_capture_on_commit_callbacks):
    known = ask_for_link(client, "congdan@example.vn", django_capture_on_commit_callbacks)
    unknown = ask_for_link(client, "khong-co-ai@example.vn", django_capture_on_commit_callbacks)
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["congdan@example.vn"]
    page = client.get(unknown.url).content.decode()
    assert "Nếu địa chỉ này thuộc một tài khoản" in page and "khong-co-ai" not in page


def test_an_account_not_yet_activated_or_without_a_password_receives_nothing(demo, client,
                                                                           django_capture_on_commit_callbacks):
    User.objects.create_user(username="chua.kich.hoat@example.vn", email="chua.kich.hoat@example.vn",
                             password=NEW_PASSWORD, is_active=False)
    User.objects.create_user(username="oidc-123", email="vneid@example.vn")  # national identity only
    ask_for_link(client, "chua.kich.hoat@example.vn", django_capture_on_commit_callbacks)
    ask_for_link(client, "vneid@example.vn", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_at_most_three_links_an_hour_to_one_address_and_the_fourth_looks_the_same(
        demo, client, django_capture_on_commit_callbacks):
    answers = [ask_for_link(client, "congdan@example.vn", django_capture_on_commit_callbacks) for _ in range(4)]
    assert len(mail.outbox) == 3
    assert {(answer.status_code, answer.url) for answer in answers} == {(302, "/accounts/password-reset/sent/")}


@pytest.mark.parametrize("username", ["giamdoc.stp"])  # Sở Tư pháp's director: a leader, a TOTP device
def test_an_official_still_gives_the_one_time_code_after_a_reset(demo, client, username,
                                                               django_capture_on_commit_callbacks):
    user = demo.users[username]
    ask_for_link(client, user.email, django_capture_on_commit_callbacks)
    done = set_password(client, emailed_link())
    assert done.url == "/accounts/login/"
    assert client.get("/workspace/").status_code == 302  # the reset signed nobody in
    response = login(client, username, NEW_PASSWORD)
    assert response.status_code == 302 and response.url == "/accounts/login/otp/"
    assert client.get("/workspace/").url.startswith("/accounts/login/")  # not in before the code
