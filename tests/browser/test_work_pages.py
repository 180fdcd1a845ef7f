"""Work management in headless Chromium: the director gives a task from the form, the specialist
reports progress from the board and the task's page, the director follows up by unit, the weekly
schedule; every page passes axe-core's WCAG 2.1 A/AA rules."""

import re

import pytest

from tests.browser.test_incoming_documents import sign_in

pytestmark = pytest.mark.browser


def test_a_task_is_given_followed_and_reported(live_demo, browser, live_server, check_a11y):
    from work.models import Task

    contexts = []

    def tab(username):
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 900})
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username)
        return page

    try:
        director = tab("giamdoc.stp")
        director.goto("/workspace/tasks/")
        check_a11y(director)
        director.goto("/workspace/tasks/new/")
        check_a11y(director)
        director.fill("#id_title", "Tổng hợp báo cáo rà soát thủ tục hành chính năm 2026")
        director.fill("#id_due_on", "18/12/2026")
        director.locator("main label", has_text="Ma Văn Sơn").first.click()
        director.locator("main form button[type='submit']").last.click()
        director.wait_for_url(re.compile(r"/workspace/tasks/\d+/$"))
        check_a11y(director)
        task = Task.objects.get(title__startswith="Tổng hợp báo cáo")
        assert task.due_on.isoformat() == "2026-12-18"

        specialist = tab("chuyenvien.stp")
        specialist.goto("/workspace/tasks/")
        assert "Tổng hợp báo cáo rà soát" in specialist.locator("main").inner_text()
        check_a11y(specialist)
        specialist.goto(f"/workspace/tasks/{task.pk}/")
        check_a11y(specialist)
        specialist.locator("details[data-action='report_progress'] summary").click()
        form = specialist.locator("main form[action$='/report_progress/']")
        form.locator("input[name$='percent']").fill("40")
        form.locator("textarea").first.fill("Đã tổng hợp xong lĩnh vực hộ tịch.")
        form.locator("button[type='submit']").click()
        specialist.wait_for_load_state("networkidle")
        check_a11y(specialist)
        assert "Đã tổng hợp xong lĩnh vực hộ tịch." in specialist.locator("main").inner_text()

        director.goto("/workspace/tasks/")
        director.locator("main a", has_text="Theo dõi, đôn đốc").first.click()
        director.wait_for_url(re.compile(r"/workspace/tasks/follow-up/\d+/$"))
        check_a11y(director)
        director.goto("/workspace/tasks/schedule/")
        check_a11y(director)
    finally:
        for context in contexts:
            context.close()
