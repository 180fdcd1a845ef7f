"""Fixtures of the retention tests: an archive storage of the test's own, and the commune's procedure."""

import pytest

from tests.dossier_scenarios import birth_procedure


@pytest.fixture(autouse=True)
def archive_root(settings, tmp_path):
    root = tmp_path / "archive"
    settings.STORAGES = {**settings.STORAGES, "retention": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}}
    return root


@pytest.fixture
def procedure(demo):
    return birth_procedure(demo)


@pytest.fixture
def job(django_capture_on_commit_callbacks):
    """``job(today=…)`` runs the retention job as the schedule would, with what it does after commit (the
    stored files deleted) done too: each test runs in a transaction that never commits."""
    from retention.services import run

    def _run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return run(**kwargs)

    return _run
