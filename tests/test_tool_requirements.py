"""A test whose system tool is missing is named at the end of the run and, under CI, fails."""

import os

import pytest

pytest_plugins = ["pytester"]

NEEDS_A_MISSING_TOOL = """
import pytest
from tests import tools

@pytest.mark.requires_tools("egov-no-such-tool")
def test_marked():
    pass

def test_inline():
    tools.require("egov-no-such-tool-either")

def test_present():
    tools.require("sh")
"""


@pytest.fixture
def run(pytester, monkeypatch):
    pytester.makepyfile(test_sample=NEEDS_A_MISSING_TOOL)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    monkeypatch.setenv("PYTHONPATH", root + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def _run(ci: bool):
        if ci:
            monkeypatch.setenv("CI", "true")
        else:
            monkeypatch.delenv("CI", raising=False)
        return pytester.runpytest_subprocess("-p", "tests.tools", "-p", "no:django", "-p", "no:cacheprovider")

    return _run


def test_outside_ci_a_missing_tool_skips_and_the_run_names_it(run):
    result = run(ci=False)
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines([
        "*tests that did not run because a tool is missing*",
        "*tool missing: egov-no-such-tool (Debian package egov-no-such-tool)",
        "*tool missing: egov-no-such-tool-either*",
    ])
    assert result.ret == 0


def test_under_ci_a_missing_tool_fails_the_run(run):
    result = run(ci=True)
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(["*under CI a missing tool is a failure*"])
    assert result.ret == 1
