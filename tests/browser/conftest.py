"""Fixtures for the end-to-end tests in headless Chromium (Debian's /usr/bin/chromium, never downloaded).

One browser per session, a fresh context (cookies, storage) per test. Live-server tests are
transactional: the database is flushed after each one, so each test loads the demo itself.
"""

import json
import os
import re
from pathlib import Path

import pytest

from tests import tools

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    tools.require("chromium")
    from playwright import sync_api

    # Playwright's sync API keeps an asyncio loop on this thread; Django would then refuse ORM
    # calls made by the tests themselves (loading the demo, reading a TOTP device, flushing).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A page in a new context whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def live_demo(transactional_db):
    """The demo directory, loaded into the (flushed) database the live server reads."""
    from directory.demo import load_demo

    return load_demo()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return tools.require_node_module("axe-core/axe.min.js").read_text(encoding="utf-8")


DANGLING_ARIA_REFERENCES = """() => {
  const found = [];
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) found.push(`${element.id || element.tagName}[${attribute}] -> #${id}`);
      }
    }
  }
  return found;
}"""


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation.get('impact')}]: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(json.dumps(t, ensure_ascii=False) for t in node["target"])
            summary = re.sub(r"\s+", " ", node.get("failureSummary") or "").strip()
            html = re.sub(r"\s+", " ", node.get("html") or "")[:160]
            lines.append(f"    at {target} {html}\n      {summary}")
    return "\n".join(lines)


@pytest.fixture
def check_a11y(axe_source):
    """``check_a11y(page)`` runs axe-core (WCAG 2.1 A/AA) on the page and fails on any violation."""

    def _check(page) -> dict:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)  # evaluated, not a <script> tag, which the CSP would block
        results = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        violations = results["violations"]
        assert not violations, (
            f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:\n"
            + format_violations(violations)
        )
        # axe only reports a reference to a missing id as "needs review"; here it is an error.
        dangling = page.evaluate(DANGLING_ARIA_REFERENCES)
        assert not dangling, f"ARIA attributes pointing at ids missing from {page.url}: {dangling}"
        return results

    return _check
