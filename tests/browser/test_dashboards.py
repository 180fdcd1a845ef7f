"""The dashboards in headless Chromium: the chairman of the province sees the province's dashboard
with the ranked communes and the province indices; the chairman of Đức Xuân sees his ward's own
dashboard only (no other commune named, the province's page is not found). Each chart is drawn by
Apache ECharts served from our static files, and axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest

from tests.browser.test_incoming_documents import sign_in

pytestmark = pytest.mark.browser


def charts_drawn(page) -> int:
    page.wait_for_selector(".dashboards-chart canvas")
    assert page.evaluate("() => typeof window.echarts") == "object"
    return page.locator(".dashboards-chart canvas").count()


def test_each_leader_sees_their_own_dashboard(live_demo, page, check_a11y):
    from dashboards.demo import load_demo

    load_demo()
    bac_kan = live_demo.agencies["01837"].name  # another ward of the demo

    sign_in(page, "chutich.tinh")
    page.goto("/workspace/dashboards/")
    assert page.url.endswith("/workspace/dashboards/province/")
    assert charts_drawn(page) >= 3  # dossiers settled, communes ranked, province indices
    ranking = page.locator("#ranking-title + p + table")
    assert bac_kan in ranking.inner_text()
    check_a11y(page)
    page.goto("/workspace/dashboards/indices/")
    assert charts_drawn(page) == 2  # the trend and the DTI pillars
    assert "Chính quyền số" in page.locator("main").inner_text()
    check_a11y(page)

    page.context.clear_cookies()
    sign_in(page, "chutich.ducxuan")
    page.goto("/workspace/dashboards/")
    ward = live_demo.agencies["01840"]
    assert page.url.endswith(f"/workspace/dashboards/agencies/{ward.pk}/")
    assert ward.name in page.locator("h1").inner_text()
    assert charts_drawn(page) >= 1
    assert bac_kan not in page.locator("main").inner_text()
    check_a11y(page)
    response = page.goto("/workspace/dashboards/province/")
    assert response is not None and response.status == 404
    response = page.goto(f"/workspace/dashboards/agencies/{live_demo.agencies['01837'].pk}/")
    assert response is not None and response.status == 404
