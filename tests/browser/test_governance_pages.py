"""The governance pages in headless Chromium: Sở Tư pháp's clerk follows a document sent to the ward
of Đức Xuân through the exchange (the console's tabs, the package, the delivery status per recipient,
named in words on the document's page), looks at the training catalogue and their own record and
makes an API token; the province's administrator reads the training gap, the IT investment plans
(a project, the assets, the spending, the duplicates) and the architecture model (its diagram, its
versions compared). axe-core checks every page (WCAG 2.1 A/AA); a screenshot of each is written to
``artifacts/screenshots/governance/`` (``EGOV_ARTIFACTS_DIR``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import demo_server
from tests.browser.test_incoming_documents import sign_in
from tests.exchange.world import axis_sim, poll, send  # noqa: F401 - axis_sim is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.requires_tools("softhsm2-util", "certutil", "dot")]

CLERK, ADMIN = "vanthu.stp", "quantri.tinh"


def screenshots() -> Path:
    folder = Path(os.environ.get("EGOV_ARTIFACTS_DIR") or demo_server.ROOT / "artifacts") / "screenshots" / "governance"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture
def governance(test_pki, transactional_db, axis_sim, django_capture_on_commit_callbacks):  # noqa: F811
    """The demo with its registers, seals, training, IT plans and architecture model, and a document
    of Sở Tư pháp sent to Đức Xuân through the axis, arrived there (status 01 back at the sender)."""
    from architecture.demo import load_demo as load_architecture
    from directory.demo import load_demo
    from documents.demo import load_document_types, load_registers
    from itplanning.demo import load_demo as load_it_plans
    from signing import setup
    from training.demo import load_demo as load_training

    demo = load_demo()
    load_document_types()
    load_registers()
    setup.register_demo(test_pki[0])
    load_training()
    load_it_plans(demo)
    load_architecture()
    capture = django_capture_on_commit_callbacks
    document, _rows = send(demo, capture)
    poll(capture)
    poll(capture)
    return document


def test_the_governance_pages_are_usable_by_everyone(governance, browser, live_server, check_a11y):
    from exchange.models import Direction, Package
    from itplanning.models import Project

    document = governance
    folder, shots, problems = screenshots(), [0], []
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()

    def visit(url: str, name: str) -> None:
        if url:
            page.goto(url)
        page.wait_for_load_state("networkidle")
        shots[0] += 1
        page.screenshot(path=str(folder / f"{shots[0]:02d}-{name}.png"), full_page=True)
        try:
            check_a11y(page)
        except AssertionError as problem:  # every page is checked; all their problems are told at once
            problems.append(str(problem))

    def main() -> str:
        return page.locator("main").inner_text()

    try:
        sign_in(page, CLERK)
        visit("/workspace/exchange/", "exchange-console")
        tabs = page.locator("main nav a.nav-link")
        for index, href in enumerate([tabs.nth(i).get_attribute("href") for i in range(tabs.count())]):
            visit(f"/workspace/exchange/{href}", f"exchange-tab-{index + 1}")
        package = Package.objects.get(document=document, direction=Direction.OUT)
        visit(f"/workspace/exchange/packages/{package.pk}/", "exchange-package")
        assert document.number_symbol in main()
        visit(f"/workspace/exchange/documents/{document.pk}/", "exchange-delivery-status")
        assert "Ủy ban nhân dân phường Đức Xuân" in main()
        visit(f"/workspace/documents/outgoing/{document.pk}/", "outgoing-document")
        assert "– đã đến" in main() and "– 01" not in main()

        visit("/workspace/training/", "training-catalogue")
        visit("/workspace/training/record/", "training-my-record")
        visit("/api/tokens/", "api-tokens")
        page.fill("#id_name", "Đồng bộ lịch công tác")
        page.fill("#id_days", "30")
        page.locator("main form button[type='submit']").first.click()
        page.wait_for_selector("#new-token")
        visit("", "api-token-made")
        assert "Đồng bộ lịch công tác" in page.locator("main table").inner_text()

        context.clear_cookies()
        sign_in(page, ADMIN)
        visit("/workspace/training/gap/", "training-gap")
        visit("/workspace/it-planning/", "it-plans")
        project = Project.objects.order_by("pk").first()
        visit(f"/workspace/it-planning/projects/{project.pk}/", "it-project")
        assert project.name in main()
        visit("/workspace/it-planning/assets/", "it-assets")
        visit("/workspace/it-planning/reports/spending/", "it-spending")
        visit("/workspace/it-planning/reports/duplicates/", "it-duplicates")
        visit("/workspace/architecture/", "architecture")
        assert page.locator("main figure svg").count() == 1
        visit("/workspace/architecture/versions/", "architecture-versions")
        visit("/workspace/architecture/versions/compare/?before=1&after=current", "architecture-compare")
    finally:
        context.close()
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
