"""Files left in storage by a submission killed half-way (referenced by no row) are deleted once
older than the grace period; referenced files and recent ones stay."""

import datetime as dt
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from dossiers import services
from outbox import orphans
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file


def _age(name: str, hours: float) -> None:
    path = default_storage.path(name)
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.fixture
def papers(demo):
    """A draft with two papers stored and referenced, both written two days ago."""
    procedure = make_procedure(agencies=[demo.agencies["01840"]], code="9.000500")
    citizen = demo.users["congdan@example.vn"]
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies["01840"])
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
    required = list(procedure.current.papers.all())
    records = services.attach_papers(dossier=draft, user=citizen,
                                     uploads={required[0].pk: pdf_file(), required[1].pk: png_file()})
    for record in records:
        _age(record.file.name, 48)
    return [record.file.name for record in records]


def _orphan(name: str, hours: float) -> str:
    name = default_storage.save(name, ContentFile(b"%PDF-1.4 left behind by a killed submission"))
    _age(name, hours)
    return name


def test_an_old_file_nothing_references_is_deleted_and_the_rest_kept(papers, settings):
    settings.ORPHAN_FILE_GRACE_HOURS = 24
    old = _orphan("dossiers/2026/11/0a1b2c.pdf", hours=25)
    fresh = _orphan("dossiers/2026/11/3d4e5f.pdf", hours=23)  # its transaction may still be running
    report = orphans.sweep()
    assert report.orphans == [old] and report.deleted == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh)
    assert all(default_storage.exists(name) for name in papers)


def test_a_dry_run_reports_without_deleting(papers, settings, capsys):
    old = _orphan("slips/2026/11/mau-01-999.pdf", hours=30)
    call_command("orphan_files")
    out = capsys.readouterr().out
    assert old in out and "dry run" in out and papers[0] not in out
    assert default_storage.exists(old)
    call_command("orphan_files", "--delete")
    assert not default_storage.exists(old) and all(default_storage.exists(name) for name in papers)


def test_every_file_field_of_the_project_counts_as_a_reference(db):
    fields = {f"{model._meta.label}.{name}" for model, name in orphans.file_fields(default_storage)}
    assert {"dossiers.DossierFile.file", "dossiers.Slip.file", "procedures.PaperRequirement.template",
            "signing.SigningKey.appearance_image"} <= fields


def test_an_empty_storage_is_not_an_error(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "nothing-here"
    assert orphans.sweep().checked == 0


def test_the_grace_period_is_a_setting(db, settings):
    settings.ORPHAN_FILE_GRACE_HOURS = 1
    name = _orphan("dossiers/2026/11/777.pdf", hours=2)
    assert orphans.sweep().orphans == [name]
    assert orphans.grace() == dt.timedelta(hours=1)
