"""The interactive API documentation works under the strict Content-Security-Policy: every
script and style comes from this server, and the browser reports no violation."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests import tools

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""


def _visit_docs(base_url: str) -> dict:
    """Runs in its own thread: the browser tests' session-wide Playwright may already hold an
    event loop on the main thread, and the sync API allows one per thread."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(base_url=base_url)
            page.set_default_timeout(15_000)
            requested = []
            page.on("request", lambda request: requested.append(request.url))
            page.add_init_script(RECORD_VIOLATIONS)
            page.goto("/api/v1/docs")
            page.wait_for_selector(".swagger-ui .info .title")
            page.wait_for_selector(".opblock")
            seen = {
                "title": page.locator(".swagger-ui .info .title").inner_text(),
                "operations": page.locator(".opblock").count(),
                "violations": page.evaluate("() => window.__cspViolations"),
                "requested": requested,
            }
            # The recorder itself works: an inline script is refused and reported.
            page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "1";
                                      document.body.appendChild(s); }""")
            page.wait_for_function("() => window.__cspViolations.length > 0")
            return seen
        finally:
            browser.close()


def test_swagger_ui_renders_the_document_without_csp_violations(transactional_db, live_server):
    tools.require("chromium")
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(_visit_docs, live_server.url).result(timeout=120)
    assert seen["title"].startswith("Cổng dịch vụ công – API")
    assert seen["operations"] == 14  # every operation of the document: 2 catalog, 6 dossier, 1 lookup, 3 documents, 2 tasks
    assert seen["violations"] == []
    assert all(url.startswith((live_server.url, "data:")) for url in seen["requested"]), seen["requested"]
