"""Help and support in headless Chromium: a citizen finds the guide to "cấp bản sao trích lục hộ
tịch" typing without accents, opens it, goes on to apply, asks "Cần hỗ trợ?" from the apply page
(the page and the draft travel with the question), the commune's desk officer answers in the
workspace, and the citizen reads the answer; every page passes axe-core's WCAG 2.1 A/AA rules."""

import re

import pytest

from directory.demo import DEMO_PASSWORD
from tests.browser.test_incoming_documents import sign_in

pytestmark = pytest.mark.browser


def test_a_citizen_finds_the_guide_asks_for_help_and_reads_the_answer(live_demo, browser, live_server, page,
                                                                      check_a11y):
    from procedures.demo import load_catalog
    from support.demo import load_demo
    from support.models import SupportRequest

    load_catalog()
    load_demo()

    # 1. The citizen signs in and opens the help centre from the portal's menu.
    page.goto("/accounts/login/")
    page.fill("#id_username", "congdan@example.vn")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/account/$"))
    page.locator("header a[href='/help/']").click()
    page.wait_for_url(re.compile(r"/help/$"))
    check_a11y(page)

    # 2. Typing without accents finds the guide.
    page.fill("#id_q", "cap ban sao trich luc ho tich")
    page.locator("main form[role='search'] button[type='submit']").click()
    page.wait_for_url(re.compile(r"/help/search/\?q="))
    check_a11y(page)
    page.get_by_role("link", name="Hướng dẫn cấp bản sao trích lục hộ tịch").click()
    page.wait_for_url(re.compile(r"/help/guides/2\.000635/$"))
    assert "Lỗi thường gặp" in page.locator("main").inner_text()
    check_a11y(page)

    # 3. From the guide to the procedure, and on to the apply page.
    page.get_by_role("link", name="Đến trang thủ tục và nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r"/procedures/2\.000635/$"))
    page.select_option("#agency", label="Ủy ban nhân dân phường Đức Xuân")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r"/dossiers/my/\d+/edit/$"))
    draft_path = re.search(r"/dossiers/my/\d+/edit/$", page.url).group(0)

    # 4. "Cần hỗ trợ?" from the apply page: the page and the draft go with the question.
    page.get_by_role("link", name="Cần hỗ trợ?").click()
    page.wait_for_url(re.compile(r"/help/ask/\?"))
    assert draft_path in page.locator("#ask-context").inner_text()
    check_a11y(page)
    page.select_option("#id_topic", "procedure")
    page.fill("#id_question", "Tôi xin trích lục khai sinh cho mẹ thì có cần giấy ủy quyền không?")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    page.wait_for_url(re.compile(r"/help/requests/[\w-]+/$"))
    check_a11y(page)
    request = SupportRequest.objects.get()
    assert request.page == draft_path and request.dossier.applicant.username == "congdan@example.vn"
    assert request.agency.name == "Ủy ban nhân dân phường Đức Xuân"

    # 5. The commune's desk officer answers from the workspace's queue.
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    try:
        desk = context.new_page()
        sign_in(desk, "motcua.ducxuan")
        desk.goto("/workspace/support/")
        check_a11y(desk)
        desk.get_by_role("link", name=f"#{request.pk}").click()
        desk.wait_for_url(re.compile(rf"/workspace/support/requests/{request.pk}/$"))
        assert draft_path in desk.locator("#request-page").inner_text()
        check_a11y(desk)
        desk.fill("#id_answer", "Con xin trích lục khai sinh cho mẹ thì không cần văn bản ủy quyền.")
        desk.get_by_role("button", name="Gửi câu trả lời").click()
        desk.wait_for_url(re.compile(rf"/workspace/support/requests/{request.pk}/$"))
        check_a11y(desk)
    finally:
        context.close()

    # 6. The citizen is told, and reads the answer.
    page.goto("/notifications/")
    assert f"Yêu cầu hỗ trợ số {request.pk} của bạn đã được trả lời" in page.locator("main").inner_text()
    page.goto("/help/requests/")
    check_a11y(page)
    page.get_by_role("link", name=f"#{request.pk}").click()
    assert "không cần văn bản ủy quyền" in page.locator("#request-answer").inner_text()
    check_a11y(page)
