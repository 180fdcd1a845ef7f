"""Audit trail: append-only, appended without a shared lock, sealed into signed and chained Merkle
checkpoints, verified by a command that names the first broken entry (decision 0048)."""

import datetime as dt
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from audit import sealing
from audit.context import acting_as
from audit.models import GENESIS, AppendOnlyError, AuditEntry, ChainHead, Checkpoint
from audit.services import record, verify_chain
from directory.models import OrgUnit
from tests.concurrency import runs_while_another_holds

SQLITE_TRIGGERS = {"audit_entry_no_update": "audit_auditentry", "audit_checkpoint_no_update": "audit_checkpoint"}


def _tamper(sql: str, params: list) -> None:
    """What a database administrator with full rights could do behind the application's back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            for trigger in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {trigger}")
            cursor.execute(sql, params)
            for trigger, table in SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER {trigger} BEFORE UPDATE ON {table} "
                               "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;")


def _insert_raw(entry_id: int, at: dt.datetime, object_id: str) -> None:
    """An entry written with a chosen id, as a transaction that took its id earlier would commit it."""
    entry = AuditEntry(at=at, actor_label="x", action="update", object_type="test.thing", object_id=object_id,
                       summary={}, prev_hash="")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_auditentry (id, at, actor_label, action, object_type, object_id, summary, "
                       "prev_hash, hash) VALUES (%s, %s, 'x', 'update', 'test.thing', %s, '{}', '', %s)",
                       [entry_id, at, object_id, entry.compute_hash()])


@pytest.fixture
def trail(db):
    return [record(action="update", object_type="test.thing", object_id=str(i), summary={"n": i}) for i in range(5)]


def _seal_after_the_grace() -> int:
    """Seal as the sealer would once the gaps left by earlier (rolled-back) tests are old."""
    return sealing.seal_all(now=dt.datetime.now(dt.UTC) + sealing.GAP_GRACE + dt.timedelta(seconds=1))


@pytest.fixture
def sealed(trail):
    """The trail sealed by the sealer, as beat does every few seconds."""
    assert _seal_after_the_grace() == AuditEntry.objects.count()
    return trail


def test_each_entry_hashes_its_content_and_the_sealer_chains_signed_checkpoints(trail):
    assert all(entry.hash == entry.compute_hash() and entry.prev_hash == "" for entry in trail)
    report = verify_chain()
    assert report.ok and report.checked == AuditEntry.objects.count() and report.unsealed == report.checked
    later = dt.datetime.now(dt.UTC) + sealing.GAP_GRACE + dt.timedelta(seconds=1)
    first = sealing.seal(now=later)
    assert first.prev_hash == GENESIS and first.count == AuditEntry.objects.count()
    record(action="update", object_type="test.thing", object_id="6")
    second = sealing.seal(now=later)
    assert second.prev_hash == first.hash and second.first_id == first.last_id + 1 and second.count == 1
    assert sealing.seal(now=later) is None  # nothing new
    report = verify_chain()
    assert report.ok and report.unsealed == 0 and report.checkpoints == 2
    assert ChainHead.objects.get(pk=1).last_hash == second.hash


def test_the_merkle_root_is_rfc_6962s_tree_hash():
    leaves = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(3)]

    def leaf(h):
        return hashlib.sha256(b"\x00" + bytes.fromhex(h)).digest()

    def node(a, b):
        return hashlib.sha256(b"\x01" + a + b).digest()

    # n = 3: the split is at 2, so the root is node(node(L0, L1), L2).
    assert sealing.merkle_root(leaves) == node(node(leaf(leaves[0]), leaf(leaves[1])), leaf(leaves[2])).hex()
    assert sealing.merkle_root(leaves[:1]) == leaf(leaves[0]).hex()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has one writer at a time by design")
@pytest.mark.django_db(transaction=True)
def test_two_transactions_append_at_the_same_time_without_waiting_for_each_other():
    assert runs_while_another_holds(lambda: record(action="update", object_type="test.slow", object_id="1"),
                                    lambda: record(action="update", object_type="test.quick", object_id="2"))
    # The quick one committed first with the higher id; both are sealed once both committed.
    assert _seal_after_the_grace() == AuditEntry.objects.count() and verify_chain().ok


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


def test_a_removed_sealed_entry_is_reported_with_its_number(sealed):
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [sealed[1].pk])
    report = verify_chain()
    assert report.broken_at == sealed[1].pk
    assert "removed" in report.reason


def test_removing_the_newest_sealed_entries_is_detected_too(sealed):
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [sealed[-1].pk])
    assert not verify_chain().ok


def test_entries_swapped_with_their_hashes_recomputed_are_detected_by_the_seal(sealed):
    """Each entry still matches its own hash; only the Merkle root of the checkpoint sees the move."""
    a, b = sealed[1], sealed[2]
    update = "UPDATE audit_auditentry SET object_id = %s, summary = %s WHERE id = %s"
    _tamper(update, [b.object_id, json.dumps(b.summary), a.pk])
    _tamper(update, [a.object_id, json.dumps(a.summary), b.pk])
    for entry in AuditEntry.objects.filter(pk__in=[a.pk, b.pk]):
        _tamper("UPDATE audit_auditentry SET hash = %s WHERE id = %s", [entry.compute_hash(), entry.pk])
    assert all(entry.hash == entry.compute_hash() for entry in AuditEntry.objects.all())
    report = verify_chain()
    assert not report.ok and "re-ordered" in report.reason


def test_a_rewritten_history_cannot_be_sealed_again_without_the_key(sealed):
    entry = AuditEntry.objects.get(pk=sealed[2].pk)
    entry.summary = {"n": 42}
    _tamper("UPDATE audit_auditentry SET summary = %s, hash = %s WHERE id = %s",
            ['{"n": 42}', entry.compute_hash(), entry.pk])
    checkpoint = Checkpoint.objects.get()
    checkpoint.root = sealing.merkle_root(list(AuditEntry.objects.order_by("id").values_list("hash", flat=True)))
    checkpoint.hash = checkpoint.compute_hash()  # everything recomputed but the signature
    _tamper("UPDATE audit_checkpoint SET root = %s, hash = %s WHERE id = %s",
            [checkpoint.root, checkpoint.hash, checkpoint.pk])
    report = verify_chain()
    assert not report.ok and "not sealed by this installation" in report.reason


def test_the_sealer_waits_at_a_gap_until_the_entry_after_it_is_old_then_skips_it(trail):
    """An id missing between entries is a transaction still open, or rolled back."""
    _seal_after_the_grace()
    now = dt.datetime.now(dt.UTC) + sealing.GAP_GRACE * 2
    gap_id = AuditEntry.objects.order_by("-id").first().pk + 1
    _insert_raw(gap_id + 1, now - sealing.GAP_GRACE + dt.timedelta(seconds=5), "after the gap")
    assert sealing.seal(now=now) is None  # the entry after the gap is recent: the gap may still be filled
    checkpoint = sealing.seal(now=now + dt.timedelta(seconds=10))
    assert checkpoint.skipped == [[gap_id, gap_id]] and checkpoint.count == 1
    assert verify_chain().ok
    # A transaction longer than the grace commits into the skipped id: the next checkpoint seals it late.
    _insert_raw(gap_id, now - sealing.GAP_GRACE, "committed late")
    late = sealing.seal(now=now + dt.timedelta(seconds=20))
    assert late.late == [gap_id] and late.count == 1 and late.first_id == checkpoint.last_id + 1
    assert verify_chain().ok
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [gap_id])
    assert verify_chain().broken_at == gap_id  # removing it now is seen


def test_an_entry_slipped_into_a_skipped_id_after_the_late_window_is_reported(trail):
    _seal_after_the_grace()
    now = dt.datetime.now(dt.UTC) + sealing.GAP_GRACE * 2
    gap_id = AuditEntry.objects.order_by("-id").first().pk + 1
    _insert_raw(gap_id + 1, now - sealing.GAP_GRACE * 2, "after the gap")
    assert sealing.seal(now=now).skipped == [[gap_id, gap_id]]
    _insert_raw(gap_id, now, "slipped in")
    assert sealing.seal(now=now + sealing.LATE_WINDOW + dt.timedelta(seconds=1)) is None
    report = verify_chain()
    assert report.broken_at == gap_id and "inside a sealed range" in report.reason


def test_entries_chained_before_the_sealer_existed_still_verify_and_are_sealed(db):
    previous = GENESIS
    for n in range(3):  # as written before decision 0048: each names the previous one's hash
        entry = AuditEntry(at=dt.datetime.now(dt.UTC), actor_label="old", action="update", object_type="test.old",
                           object_id=str(n), summary={"n": n}, prev_hash=previous)
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        previous = entry.hash
    ChainHead.objects.update_or_create(pk=1, defaults={"last_hash": previous, "count": 0})
    assert verify_chain().ok
    record(action="update", object_type="test.new", object_id="1")
    _seal_after_the_grace()
    assert Checkpoint.objects.order_by("id").first().prev_hash == previous
    assert verify_chain().ok
    middle = AuditEntry.objects.get(object_type="test.old", object_id="1")
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [middle.pk])
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


def test_two_identical_entries_at_the_same_instant_are_both_kept_and_verify(db):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC), tick=False):
        first = record(action="read", object_type="test.same", object_id="1", summary={"fields": ["phone"]})
        second = record(action="read", object_type="test.same", object_id="1", summary={"fields": ["phone"]})
    assert first.hash != second.hash
    assert _seal_after_the_grace() >= 2 and verify_chain().ok
