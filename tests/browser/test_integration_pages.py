"""The integration platform's pages in headless Chromium: the province's administrator opens the
client systems, the call log with its usage chart drawn by ECharts (and the table beside it), and
the public developer portal with the demo's sandbox client; axe-core finds no WCAG 2.1 A/AA
violation on any of them."""

from __future__ import annotations

import pytest

from tests.browser.test_incoming_documents import sign_in

pytestmark = pytest.mark.browser


def test_the_province_admin_follows_the_client_systems_and_a_developer_reads_the_portal(live_demo, page,
                                                                                        check_a11y):
    from lgsp.demo import SANDBOX_CLIENT_ID, load_demo

    systems = load_demo()
    sign_in(page, "quantri.tinh")
    page.goto("/workspace/integration/")
    table = page.locator("main table")
    for system in systems:
        assert system.name in table.inner_text()
    check_a11y(page)

    page.goto("/workspace/integration/calls/")
    page.wait_for_selector(".dashboards-chart canvas")
    assert page.evaluate("() => typeof window.echarts") == "object"
    assert page.locator("figure table caption").count() == 1  # the chart's data, for screen readers
    assert systems[0].name in page.locator("figure table thead").text_content()
    check_a11y(page)

    page.goto(f"/workspace/integration/{systems[0].pk}/")
    assert systems[0].client_id in page.locator("main").inner_text()
    check_a11y(page)

    page.context.clear_cookies()
    page.goto("/lgsp/developers/")
    main = page.locator("main").inner_text()
    assert "/dmdc/openapi.json" in main and "/api/v1/openapi.json" in main and SANDBOX_CLIENT_ID in main
    check_a11y(page)
