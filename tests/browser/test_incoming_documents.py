"""Incoming documents in headless Chromium: the clerk's register with its tabs, the pending arrival
accepted from its page, the registering form (with a duplicate warning), the leader's direction;
every page passes axe-core's WCAG 2.1 A/AA rules."""

import re

import pytest

from directory.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import current_code

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/(workspace|accounts/login/otp)/$"))
    if page.url.endswith("/otp/"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("#id_otp_token", current_code(device))
        page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/workspace/$"))


def test_the_clerk_accepts_and_the_leader_directs(live_demo, page, check_a11y):
    from documents.demo import load_demo_documents
    from documents.models import Document, Status

    load_demo_documents(live_demo)
    sign_in(page, "vanthu.ducxuan")
    page.goto("/workspace/documents/incoming/")
    assert page.locator("main nav a[aria-current='page']").inner_text().startswith("Chờ tiếp nhận")
    check_a11y(page)
    page.locator("main table a", has_text="1024/UBND-KSTT").click()
    page.wait_for_url(re.compile(r"/incoming/\d+/$"))
    page.locator("summary", has_text="Xem trước").first.click()
    check_a11y(page)
    page.locator("form[action$='/accept/'] button[type='submit']").click()
    page.wait_for_url(re.compile(r"/incoming/\d+/$"))
    assert Document.objects.get(number_symbol="1024/UBND-KSTT").status == Status.REGISTERED
    check_a11y(page)

    page.goto("/workspace/documents/incoming/register/")
    check_a11y(page)
    page.locator("#id_register").select_option(label="Sổ đăng ký văn bản đến")
    page.locator("#id_document_type").select_option(label="Công văn")
    page.fill("#id_number_symbol", "215/STP-HCTP")
    page.fill("#id_issuer_name", "Sở Tư pháp tỉnh Thái Nguyên")
    page.fill("#id_issued_on", Document.objects.get(number_symbol="215/STP-HCTP").issued_on.isoformat())
    page.fill("#id_abstract", "V/v rà soát thủ tục hành chính")
    page.locator("main form button[type='submit']").click()
    assert page.locator("#duplicate-warning").is_visible()
    check_a11y(page)

    page.context.clear_cookies()
    sign_in(page, "chutich.ducxuan")
    document = Document.objects.get(number_symbol="215/STP-HCTP")
    page.goto(f"/workspace/documents/incoming/{document.pk}/")
    page.locator("#id_direct-main").select_option(label="Tư pháp - Hộ tịch")
    page.fill("#id_direct-note", "Giao công chức tư pháp chủ trì rà soát")
    page.locator("form[action$='/direct/'] button[type='submit']").click()
    page.wait_for_url(re.compile(r"/incoming/\d+/$"))
    assert Document.objects.get(pk=document.pk).status == Status.IN_HANDLING
    check_a11y(page)
