"""Audit trail: append-only, hash-chained, verified by a command that names the first broken link."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from audit.context import acting_as
from audit.models import AppendOnlyError, AuditEntry
from audit.services import record, verify_chain
from directory.models import OrgUnit


def _tamper(sql: str, params: list) -> None:
    """What a database administrator with full rights could do behind the application's back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute(sql, params)
            cursor.execute(
                "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
            )


@pytest.fixture
def trail(db):
    return [record(action="update", object_type="test.thing", object_id=str(i), summary={"n": i}) for i in range(5)]


def test_each_entry_chains_the_hash_of_the_previous_one(trail):
    for previous, entry in zip(trail, trail[1:], strict=False):
        assert entry.prev_hash == previous.hash
    assert verify_chain().ok
    assert verify_chain().checked == AuditEntry.objects.count()


def test_entries_cannot_be_changed_or_deleted_through_the_application(trail):
    entry = AuditEntry.objects.get(pk=trail[0].pk)
    entry.summary = {"n": 99}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary={})
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_an_update_behind_the_applications_back(trail):
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET object_id = 'x' WHERE id = %s", [trail[1].pk])


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row triggers refuse DELETE on PostgreSQL")
def test_the_database_refuses_a_delete_on_postgresql(trail):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [trail[1].pk])


def test_a_tampered_entry_is_reported_with_its_number(trail):
    _tamper("UPDATE audit_auditentry SET summary = %s WHERE id = %s", ['{"n": 42}', trail[2].pk])
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == trail[2].pk
    assert "hash" in report.reason
    with pytest.raises(CommandError, match=f"#{trail[2].pk}"):
        call_command("audit_verify")


def test_a_removed_entry_breaks_the_link_of_the_next_one(trail):
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [trail[1].pk])
    report = verify_chain()
    assert report.broken_at == trail[2].pk
    assert "link" in report.reason


def test_removing_the_newest_entries_is_detected_too(trail):
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [trail[-1].pk])
    assert not verify_chain().ok


def test_verify_command_reports_an_intact_trail(trail, capsys):
    call_command("audit_verify")
    assert f" {AuditEntry.objects.count()} " in capsys.readouterr().out


def test_changes_to_directory_records_are_audited_with_actor_and_changed_fields(demo):
    unit = demo.units[("STP", "Phòng Hành chính tư pháp")]
    admin = demo.users["quantri.stp"]
    with acting_as(admin, "10.0.0.7"):
        unit.abbreviation = "HCTP"
        unit.save()
    entry = AuditEntry.objects.filter(object_type="directory.orgunit", object_id=str(unit.pk)).last()
    assert entry.action == "update"
    assert entry.actor_label == "quantri.stp"
    assert entry.ip == "10.0.0.7"
    assert entry.summary == {"fields": ["abbreviation"]}
    assert entry.agency_id == unit.agency_id


def test_a_change_rolled_back_leaves_no_entry(demo):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        OrgUnit.objects.create(agency=demo.agencies["STP"], name="Phòng tạm")
        raise RuntimeError
    assert AuditEntry.objects.count() == before
    assert verify_chain().ok
