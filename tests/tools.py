"""System tools the tests drive, and the one way a test says it needs one.

``require("pdfsig", "certutil")`` (or the marker ``@pytest.mark.requires_tools(...)``) skips the
test with a reason starting with :data:`MISSING` when a tool is absent. Outside CI such a skip is
allowed and named in the run's closing lines; under ``CI`` the hook in ``tests/conftest.py``
turns it into a failure, because a green run must never hide a test that did not run.
``scripts/services.sh`` installs every package named in :data:`PACKAGES`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

MISSING = "tool missing:"

# The Debian package that brings each tool (kept in step with scripts/services.sh).
PACKAGES = {
    "chromium": "chromium",
    "pdfsig": "poppler-utils",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "certutil": "libnss3-tools",
    "softhsm2-util": "softhsm2",
    "node": "nodejs",
    "tesseract": "tesseract-ocr",
    "dot": "graphviz",
}
NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"


def missing(*tools: str) -> list[str]:
    return [tool for tool in tools if shutil.which(tool) is None]


def require(*tools: str) -> None:
    """Skip (outside CI) or fail (under CI) unless every tool is on the PATH."""
    absent = missing(*tools)
    if absent:
        names = ", ".join(f"{tool} (Debian package {PACKAGES.get(tool, tool)})" for tool in absent)
        pytest.skip(f"{MISSING} {names}")


def require_node_module(name: str) -> Path:
    """A front-end package from package-lock.json (``npm ci`` in scripts/setup.sh installs it)."""
    path = NODE_MODULES / name
    if not path.exists():
        pytest.skip(f"{MISSING} node_modules/{name} (run `make setup`)")
    return path


# --- the pytest plugin (registered by tests/conftest.py) ----------------------------------------

def pytest_configure(config):
    config.addinivalue_line("markers", "requires_tools(*names): the system tools the test drives")


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("requires_tools")
    if marker is not None:
        require(*marker.args)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a test whose tool is missing fails: a skipped check is not a passed one."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and str(report.longrepr[2]).startswith(
            f"Skipped: {MISSING}"):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        item.config.stash.setdefault(_TOOL_SKIPS, set()).add(reason)
        if os.environ.get("CI"):
            report.outcome = "failed"
            report.longrepr = f"{reason} — under CI a missing tool is a failure (scripts/services.sh installs it)"
    return report


_TOOL_SKIPS = pytest.StashKey[set]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reasons = config.stash.get(_TOOL_SKIPS, set())
    if reasons:
        terminalreporter.write_sep("!", "tests that did not run because a tool is missing", red=True)
        for reason in sorted(reasons):
            terminalreporter.write_line(f"  {reason}")
