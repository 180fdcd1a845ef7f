"""The retention job: never a dossier in processing or under a hold, a dry run changes nothing, a second
run nothing more, an erasure leaves no orphan file and an audit entry, the audit trail still verifies."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from audit.sealing import seal_all
from audit.services import verify_chain
from dossiers.models import Dossier, DossierEvent, DossierFile, FilePurpose, Slip
from outbox import orphans
from retention import archive
from retention.models import ArchivedRecord, Kind, RetentionRun
from retention.services import nightly_due, place_hold, release_hold

from .records import day, draft, finished, in_processing, local

pytestmark = pytest.mark.django_db
LATER = day("2040-06-01")


def _stored() -> set[str]:
    return set(orphans.stored_names(default_storage))


def _no_orphan() -> bool:
    return orphans.sweep(dry_run=True, now=timezone.now() + dt.timedelta(days=2)).orphans == []


def test_a_dossier_in_processing_is_never_touched(demo, procedure, job):
    dossier = in_processing(demo, procedure)
    Dossier.objects.filter(pk=dossier.pk).update(received_at=local("2010-01-05"), submitted_at=local("2010-01-04"))
    files = _stored()
    job(today=LATER)
    current = Dossier.objects.get(pk=dossier.pk)
    assert current.applicant_name == dossier.applicant_name and current.status == dossier.status
    assert _stored() == files and not ArchivedRecord.objects.exists()


def test_archiving_packs_everything_then_removes_the_personal_data(demo, procedure, archive_root, job):
    dossier = finished(demo, procedure, local("2012-05-02"))
    papers = list(DossierFile.objects.filter(dossier=dossier).values_list("file", flat=True))
    report = job(today=LATER)
    assert report.counts[Kind.DOSSIER_SETTLED]["archived"] == 1 and report.errors == []
    kept = ArchivedRecord.objects.get(object_id=dossier.pk)
    manifest = archive.check(kept.package, kept.sha256)
    assert manifest["record"]["code"] == dossier.code and "Thông tư 10/2022/TT-BNV" in manifest["policy"]["legal_basis"]
    assert sum(m["name"].startswith("files/") for m in manifest["members"]) == len(papers) == 2
    assert archive.read_record(kept.package)["dossier"]["applicant_name"] == dossier.applicant_name
    live = Dossier.objects.get(pk=dossier.pk)
    assert (live.applicant_name, live.applicant_id_number, live.form_data) == ("", "", {})
    assert live.code == dossier.code and live.status == dossier.status  # the statistics still count it
    assert not DossierFile.objects.filter(dossier=dossier).exclude(purpose=FilePurpose.RESULT).exists()
    assert not any(default_storage.exists(name) for name in papers)
    assert all(event.note == "" for event in DossierEvent.objects.filter(dossier=dossier))
    assert not Slip.objects.filter(dossier=dossier).exclude(file="").exists()
    entry = AuditEntry.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk),
                                      summary__retention=Kind.DOSSIER_SETTLED).get()
    assert entry.summary["package"] == kept.package and entry.summary["sha256"] == kept.sha256
    assert _no_orphan()


def test_a_dry_run_changes_nothing(demo, procedure, archive_root, job):
    dossier = finished(demo, procedure, local("2012-05-02"))
    old = draft(demo, procedure, local("2026-01-01"))
    files, entries = _stored(), AuditEntry.objects.count()
    report = job(today=LATER, dry_run=True)
    assert report.dry_run and report.counts[Kind.DOSSIER_SETTLED]["due"] == 1 and report.counts[Kind.DRAFT]["due"] == 1
    assert report.counts[Kind.DOSSIER_SETTLED]["archived"] == 0
    assert Dossier.objects.get(pk=dossier.pk).applicant_name == dossier.applicant_name
    assert Dossier.objects.filter(pk=old.pk).exists() and _stored() == files
    assert AuditEntry.objects.count() == entries and not ArchivedRecord.objects.exists()
    assert not archive_root.exists() or not any(archive_root.rglob("*.tar"))


def test_a_second_run_does_nothing_more(demo, procedure, job):
    finished(demo, procedure, local("2012-05-02"))
    draft(demo, procedure, local("2026-01-01"))
    first = job(today=LATER)
    assert first.counts[Kind.DOSSIER_SETTLED]["archived"] == 1 and first.counts[Kind.DRAFT]["erased"] == 1
    entries, archived = AuditEntry.objects.count(), ArchivedRecord.objects.count()
    second = job(today=LATER)
    assert all(tally["due"] == 0 for kind, tally in second.counts.items() if kind != Kind.SESSIONS)
    assert (AuditEntry.objects.count(), ArchivedRecord.objects.count()) == (entries, archived)


def test_erasing_a_draft_leaves_no_orphan_file_and_an_audit_entry(demo, procedure, job):
    old = draft(demo, procedure, local("2026-01-01"))
    names = list(DossierFile.objects.filter(dossier=old).values_list("file", flat=True))
    assert names and all(default_storage.exists(name) for name in names)
    job(today=day("2026-12-07"))
    assert not Dossier.objects.filter(pk=old.pk).exists()
    assert not any(default_storage.exists(name) for name in names) and _no_orphan()
    entry = AuditEntry.objects.get(action="delete", object_type="dossiers.dossier", object_id=str(old.pk),
                                   summary__retention=Kind.DRAFT)
    assert entry.summary["files_removed"] == len(names) and entry.actor_label == "system"


def test_log_rows_are_erased_in_batches_each_with_an_audit_entry(demo, settings, job):
    from axes.models import AccessLog

    settings.RETENTION_BATCH = 2
    for _ in range(5):
        line = AccessLog.objects.create(username="x", user_agent="a", http_accept="*", path_info="/")
        AccessLog.objects.filter(pk=line.pk).update(attempt_time=local("2020-01-01"))
    report = job(today=day("2026-12-07"))
    assert report.counts[Kind.LOGIN_ATTEMPTS]["erased"] >= 5 and not AccessLog.objects.filter(username="x").exists()
    assert AuditEntry.objects.filter(object_type="axes.accesslog", summary__retention=Kind.LOGIN_ATTEMPTS).count() >= 3


def test_a_legal_hold_keeps_a_dossier_until_released(demo, procedure, job):
    dossier = finished(demo, procedure, local("2012-05-02"))
    admin = demo.users["quantri.tinh"]
    hold = place_hold(acting_user=admin, reason="Khiếu nại số 12/KN đang giải quyết", dossier_code=dossier.code)
    report = job(today=LATER)
    assert report.counts[Kind.DOSSIER_SETTLED]["held"] == 1 and report.counts[Kind.DOSSIER_SETTLED]["archived"] == 0
    assert Dossier.objects.get(pk=dossier.pk).applicant_name == dossier.applicant_name
    release_hold(acting_user=admin, hold=hold)
    assert job(today=LATER).counts[Kind.DOSSIER_SETTLED]["archived"] == 1


def test_the_audit_trail_still_verifies_after_a_run(demo, procedure, job):
    finished(demo, procedure, local("2012-05-02"))
    draft(demo, procedure, local("2026-01-01"))
    job(today=LATER)
    seal_all(now=timezone.now() + dt.timedelta(minutes=5))
    report = verify_chain()
    assert report.ok, report.reason


def test_the_command_prints_the_report_and_a_dry_run_changes_nothing(demo, procedure, capsys):
    dossier = finished(demo, procedure, local("2012-05-02"))
    call_command("retention", "--dry-run", "--day", "2040-06-01")
    out = capsys.readouterr().out
    assert '"dry_run": true' in out and '"dossier_settled"' in out
    assert Dossier.objects.get(pk=dossier.pk).applicant_name == dossier.applicant_name
    assert RetentionRun.objects.get().trigger == RetentionRun.Trigger.COMMAND


def test_the_schedule_runs_once_a_night(db):
    night = timezone.make_aware(dt.datetime(2026, 12, 8, 2, 0))
    assert nightly_due(night) and not nightly_due(night.replace(hour=12))
    RetentionRun.objects.create(day=night.date(), started_at=night, trigger=RetentionRun.Trigger.SCHEDULE)
    assert not nightly_due(night.replace(hour=3))
