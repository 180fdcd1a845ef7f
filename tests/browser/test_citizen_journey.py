"""A new citizen, in headless Chromium, end to end: registers (the activation link comes by real
SMTP), finds a procedure typing without accents, fills the e-form, uploads papers, submits, pays
through the gateway simulator, receives the e-mail with the dossier code, looks the dossier up by
its code — and every page visited passes axe-core's WCAG 2.1 A/AA rules."""

import re
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from dossiers.models import Dossier
from payments.models import Payment
from tests.browser.eform import fill_birth_registration
from tests.ports import free_port

pytestmark = pytest.mark.browser

EMAIL = "tran.van.minh@example.vn"
PASSWORD = "Minh-Bac-Kan-2026"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def inbox(settings):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    yield handler
    controller.stop()


@pytest.fixture
def gateway(settings, live_server):
    settings.PAYMENT_GATEWAY_URL = f"{live_server.url}/paysim/"
    settings.EGOV_PUBLIC_URL = live_server.url
    settings.SMS_GATEWAY_URL = f"{live_server.url}/simulators/sms/send"


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_new_citizen_applies_pays_and_follows_the_dossier(live_demo, page, check_a11y, inbox, gateway):
    from procedures.demo import load_catalog

    load_catalog()

    # 1. Register; the activation link arrives through the SMTP server.
    page.goto("/")
    check_a11y(page)
    page.locator("header a[href='/accounts/register/']").click()
    check_a11y(page)
    page.fill("#id_full_name", "Trần Văn Minh")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("main form button[type='submit']").click()
    assert "Kiểm tra hộp thư" in page.locator("main h1").inner_text()
    check_a11y(page)
    [activation] = inbox.to(EMAIL)
    assert activation["Subject"] == "Xác nhận địa chỉ thư điện tử"
    link = re.search(r"http://\S+", _body(activation)).group(0)
    page.goto(link)
    assert "đã được kích hoạt" in page.locator("main").inner_text()
    check_a11y(page)

    # 2. Sign in.
    page.goto("/accounts/login/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/account/$"))
    check_a11y(page)

    # 3. Find the procedure typing without accents.
    page.locator("header a[href='/procedures/']").click()
    check_a11y(page)
    page.fill("#q", "dang ky khai sinh")
    page.locator("main form[role='search'] button[type='submit']").click()
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).click()
    page.wait_for_url(re.compile(r"/procedures/1\.001193/$"))
    check_a11y(page)
    page.select_option("#agency", label="Ủy ban nhân dân phường Đức Xuân")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r"/dossiers/my/\d+/edit/$"))
    check_a11y(page)

    # 4. Fill the e-form (prefilled name) and attach the papers.
    assert page.input_value("#id_requester_name") == "Trần Văn Minh"
    fill_birth_registration(page, phone="0987654321", requester_id="006095001122", relationship="Cha",
                            child="Trần Bảo An", birth_date="18/11/2026", sex="Nam",
                            place="Bệnh viện Đa khoa tỉnh Bắc Kạn", copies=2)
    assert "16.000 đ" in page.locator("main").inner_text()
    check_a11y(page)

    # 5. Submit: the receipt shows the code.
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    check_a11y(page)
    dossier = Dossier.objects.get(applicant__email=EMAIL)
    assert dossier.code in page.locator("main").inner_text()

    # 6. Pay through the gateway simulator; the server-to-server notification marks it paid.
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(re.compile(r"/paysim/pay"))
    check_a11y(page)
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(re.compile(r"/payments/return"))
    assert "16.000" in page.locator("main").inner_text()
    check_a11y(page)
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == "paid" and payment.amount == 16000

    # 7. The e-mail about the submission names the dossier.
    about_dossier = [m for m in inbox.to(EMAIL) if dossier.code in m["Subject"]]
    assert about_dossier and "Thủ tục đăng ký khai sinh" in _body(about_dossier[0])

    # 8. Look the dossier up by its code, signed out.
    page.context.clear_cookies()
    page.goto("/dossiers/lookup/")
    check_a11y(page)
    page.fill("#id_code", dossier.code)
    page.locator("main form button[type='submit']").click()
    result = page.locator("main").inner_text()
    assert "chờ tiếp nhận" in result and "Trần Văn Minh" not in result
    check_a11y(page)
