"""Fixtures of the architecture tests: the demo directory, Graphviz, and the PDF's text."""

import subprocess

import pytest

from tests.tools import require


@pytest.fixture
def dot():
    """Graphviz's ``dot`` draws every diagram: missing, the test is skipped (failed under CI)."""
    require("dot")


@pytest.fixture
def pdf_text():
    """The text of a PDF as ``pdftotext -raw`` reads it, white space collapsed."""
    require("pdftotext")

    def _text(body: bytes) -> str:
        completed = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=body,
                                   capture_output=True, check=True)
        return " ".join(completed.stdout.decode().split())

    return _text
