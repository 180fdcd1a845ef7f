"""Statuses both ways (QCVN 102:2016): what the receiver's clerk, leader and handlers do reaches the
sender, per recipient, never going back; a recall (13) is agreed (15: the document leaves the
register, with a trace) or refused (16, with a reason)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from documents import distribution, incoming, routing
from documents.models import AssignmentRole, HandledHow, Register, Status
from exchange import delivery, policy, recall, receiving, selectors, sending, statuses
from exchange.models import Direction, Package, StatusEvent
from notifications.models import Notification
from tests.exchange.world import RECEIVER, poll, received_document, send, sent_statuses


def _arrived(world, capture):
    """Sở Tư pháp's document, delivered and pending at Đức Xuân; the 01 back at the sender."""
    document, rows = send(world, capture)
    poll(capture)
    poll(capture)
    package = Package.objects.get(direction=Direction.IN, kind="document")
    return document, rows[0], received_document(package.exchange_id)


def _register(world):
    return Register.objects.get(agency=world.agencies["01840"], direction="incoming", confidential=False)


def test_each_step_at_the_receiver_reaches_the_sender(world, django_capture_on_commit_callbacks):
    capture, users = django_capture_on_commit_callbacks, world.users
    document, row, arrived = _arrived(world, capture)
    seen = []

    def step(action):
        with capture(execute=True):
            action()
        poll(capture)
        row.refresh_from_db()
        seen.append(row.status)

    step(lambda: incoming.accept(document=arrived, clerk=users["vanthu.ducxuan"], register=_register(world)))
    step(lambda: routing.direct(document=arrived, leader=users["chutich.ducxuan"], assignments=[
        routing.Target(role=AssignmentRole.MAIN, person=users["tuphap.ducxuan"]),
        routing.Target(role=AssignmentRole.COOPERATE, person=users["motcua.ducxuan"])]))
    step(lambda: routing.acknowledge(document=arrived, user=users["motcua.ducxuan"], note="Đã phối hợp"))
    step(lambda: routing.complete(document=arrived, user=users["tuphap.ducxuan"], how=HandledHow.FILED))
    assert seen == [statuses.ACCEPTED, statuses.ASSIGNED, statuses.PROCESSING, statuses.COMPLETED]
    (table,) = selectors.delivery_table(document)
    assert all(event is not None for event in table["steps"])  # every step with its time
    assert [e.code for e in StatusEvent.objects.filter(direction=Direction.IN, distribution=row)] == [
        "01", "03", "04", "05", "06"]


def test_a_refusal_reaches_the_sender_with_its_reason(world, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    document, row, arrived = _arrived(world, capture)
    with capture(execute=True):
        incoming.refuse(document=arrived, clerk=world.users["vanthu.ducxuan"], reason="Không đúng thẩm quyền")
    poll(capture)
    row.refresh_from_db()
    assert row.status == statuses.REFUSED
    event = StatusEvent.objects.get(direction=Direction.IN, distribution=row, code=statuses.REFUSED)
    assert event.description == "Không đúng thẩm quyền"
    assert Notification.objects.filter(user=world.users["vanthu.stp"], body="Không đúng thẩm quyền").exists()


def test_statuses_never_go_backwards(world, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    document, row, arrived = _arrived(world, capture)
    ward = world.agencies["01840"]
    about = sending.response_for(arrived.exchange_id)
    for code in (statuses.COMPLETED, statuses.ACCEPTED, statuses.ARRIVED):  # late ones arrive last
        late = sending.send_status(agency=ward, to=about.organ_code, about=about, code=code)
        receiving.receive(delivery.sealed(late))
        row.refresh_from_db()
        assert row.status == statuses.COMPLETED
    assert StatusEvent.objects.filter(direction=Direction.IN, distribution=row).count() == 4  # each one kept


def _recalled(world, capture):
    document, row, arrived = _arrived(world, capture)
    with capture(execute=True):
        distribution.recall(document, world.users["giamdoc.stp"], "Sai căn cứ pháp lý")
    (asked,) = sent_statuses(statuses.RECALL)
    assert asked.to_codes == [RECEIVER] and asked.distribution == row
    poll(capture)
    return document, row, arrived


def test_a_recall_agreed_takes_the_document_out_of_the_register(world, django_capture_on_commit_callbacks):
    capture, users = django_capture_on_commit_callbacks, world.users
    document, row, arrived = _recalled(world, capture)
    assert policy.recall_waiting(arrived) and selectors.recall_requests(users["vanthu.ducxuan"]) == [arrived]
    assert Notification.objects.filter(user=users["vanthu.ducxuan"], body="Sai căn cứ pháp lý").exists()
    with pytest.raises(PermissionDenied):
        recall.agree(document=arrived, user=users["tuphap.ducxuan"])
    with capture(execute=True):
        recall.agree(document=arrived, user=users["vanthu.ducxuan"], comment="Đã hủy bản lưu")
    arrived.refresh_from_db()
    assert arrived.status == Status.RECALLED and arrived.recalled_at is not None
    assert "Đã hủy bản lưu" in arrived.comments.get().text
    assert AuditEntry.objects.filter(object_id=str(arrived.pk), summary__event="exchange_recall_agreed").exists()
    assert not policy.recall_waiting(arrived)
    poll(capture)
    row.refresh_from_db()
    assert row.status == statuses.RECALL_AGREED
    with pytest.raises(PermissionDenied):  # answered once
        recall.refuse(document=arrived, user=users["vanthu.ducxuan"], reason="x")


def test_a_recall_refused_keeps_the_document_and_says_why(world, django_capture_on_commit_callbacks):
    capture, users = django_capture_on_commit_callbacks, world.users
    document, row, arrived = _recalled(world, capture)
    with pytest.raises(ValidationError):
        recall.refuse(document=arrived, user=users["chutich.ducxuan"], reason=" ")
    with capture(execute=True):
        recall.refuse(document=arrived, user=users["chutich.ducxuan"], reason="Văn bản đã được xử lý xong")
    arrived.refresh_from_db()
    assert arrived.status == Status.PENDING
    poll(capture)
    row.refresh_from_db()
    assert row.status == statuses.RECALL_REFUSED
    event = StatusEvent.objects.get(direction=Direction.IN, distribution=row, code=statuses.RECALL_REFUSED)
    assert event.description == "Văn bản đã được xử lý xong"
