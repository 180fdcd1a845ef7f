"""Routing incoming documents (Decree 30/2020 art. 24): the leader's direction, the unit head
passing it on, completion with an answer, acknowledgement, inboxes and reminders."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from documents import incoming, routing
from documents.models import AssignmentRole, Direction, Document, HandledHow, Status
from documents.routing import Target
from documents.selectors import can_read, open_assignments
from documents.sweeps import remind_due_assignments
from notifications.models import Notification

UNIT = ("STP", "Phòng Hành chính tư pháp")


@pytest.fixture
def registered(demo, registers, letter):
    return incoming.register_paper(agency=demo.agencies["STP"], register=registers("STP"),
                                   clerk=demo.users["vanthu.stp"],
                                   metadata={"document_type": letter, "abstract": "Về việc rà soát văn bản QPPL",
                                             "number_symbol": "45/UBND-NC"})


def directed(demo, document, **extra):
    return routing.direct(document=document, leader=demo.users["giamdoc.stp"], note="Giao phòng HCTP chủ trì",
                          due_on=dt.date(2026, 12, 18), assignments=[
                              Target(AssignmentRole.MAIN, unit=demo.units[UNIT]),
                              Target(AssignmentRole.INFORM, person=demo.users["chuyenvien2.stp"])], **extra)


def notices(user, prefix="document-assignment:"):
    return Notification.objects.filter(user=user, key__startswith=prefix).count()


def test_the_chain_direct_reassign_complete_with_an_answer(demo, registered, django_capture_on_commit_callbacks):
    head, specialist = demo.users["truongphong.stp"], demo.users["chuyenvien.stp"]
    with django_capture_on_commit_callbacks(execute=True):
        main, inform = directed(demo, registered, expected_revision=registered.revision)
    assert Document.objects.get(pk=registered.pk).status == Status.IN_HANDLING
    assert notices(head) == 1 and notices(demo.users["chuyenvien2.stp"]) == 1
    assert list(open_assignments(head)) == [main]  # "Của tôi" of the unit head
    assert not open_assignments(specialist).exists()

    with django_capture_on_commit_callbacks(execute=True):
        child = routing.reassign(assignment=main, unit_head=head, person=specialist, note="Đồng chí Sơn xử lý")
    assert list(open_assignments(specialist)) == [child] and not open_assignments(head).exists()
    assert notices(specialist) == 1

    answer = Document.objects.create(agency=registered.agency, direction=Direction.OUTGOING, status=Status.ISSUED,
                                     source="drafted", document_type=registered.document_type,
                                     abstract="Trả lời về việc rà soát", number_symbol="12/STP-HCTP",
                                     created_by=specialist)
    with pytest.raises(PermissionDenied):
        routing.complete(document=registered, user=head, how=HandledHow.ANSWERED, answered_by=answer)
    with pytest.raises(ValidationError):  # answered, but by no issued document
        routing.complete(document=registered, user=specialist, how=HandledHow.ANSWERED)
    done = routing.complete(document=registered, user=specialist, how=HandledHow.ANSWERED, answered_by=answer,
                            note="Đã có văn bản trả lời")
    assert (done.status, done.handled_how, done.answered_by) == (Status.HANDLED, HandledHow.ANSWERED, answer)
    main.refresh_from_db()
    assert main.done_at is not None  # the unit's part closes with its person's
    routing.acknowledge(document=done, user=demo.users["chuyenvien2.stp"], note="Đã biết")
    inform.refresh_from_db()
    assert inform.done_at is not None


def test_only_the_leader_directs_and_with_exactly_one_main_handler(demo, registered):
    with pytest.raises(PermissionDenied):
        routing.direct(
            document=registered, leader=demo.users["truongphong.stp"],
            assignments=[Target(AssignmentRole.MAIN, unit=demo.units[UNIT])])
    with pytest.raises(ValidationError):
        routing.direct(document=registered, leader=demo.users["giamdoc.stp"],
                       assignments=[Target(AssignmentRole.INFORM, unit=demo.units[UNIT])])
    with pytest.raises(ValidationError):  # a unit of another agency
        routing.direct(document=registered, leader=demo.users["giamdoc.stp"],
                       assignments=[Target(AssignmentRole.MAIN, unit=demo.units[("SXD", "Phòng Quản lý xây dựng")])])
    with pytest.raises(incoming.StaleDocument):
        directed(demo, registered, expected_revision=registered.revision + 1)


def test_the_head_passes_on_only_to_people_of_the_unit(demo, registered):
    main, _inform = directed(demo, registered)
    with pytest.raises(ValidationError):
        routing.reassign(assignment=main, unit_head=demo.users["truongphong.stp"],
                         person=demo.users["chuyenvien2.stp"])  # Phòng Bổ trợ tư pháp
    with pytest.raises(PermissionDenied):
        routing.reassign(assignment=main, unit_head=demo.users["chuyenvien.stp"], person=demo.users["chuyenvien.stp"])


def test_a_classified_document_reaches_only_whom_it_is_given_to(demo, registers, letter):
    secret = incoming.register_paper(
        agency=demo.agencies["STP"], register=registers("STP", confidential=True), clerk=demo.users["vanthu.stp"],
        metadata={"document_type": letter, "abstract": "Mật", "confidentiality": "confidential"})
    routing.direct(document=secret, leader=demo.users["giamdoc.stp"],
                   assignments=[Target(AssignmentRole.MAIN, person=demo.users["chuyenvien.stp"])])
    assert can_read(demo.users["chuyenvien.stp"], secret)
    assert not can_read(demo.users["chuyenvien2.stp"], secret)
    assert not can_read(demo.users["truongphong.stp"], secret)  # the head of the unit is not involved


def test_a_classified_document_given_to_a_unit_reaches_its_head_not_its_staff(demo, registers, letter):
    secret = incoming.register_paper(
        agency=demo.agencies["STP"], register=registers("STP", confidential=True), clerk=demo.users["vanthu.stp"],
        metadata={"document_type": letter, "abstract": "Mật", "confidentiality": "confidential"})
    main, = routing.direct(document=secret, leader=demo.users["giamdoc.stp"],
                           assignments=[Target(AssignmentRole.MAIN, unit=demo.units[UNIT])])
    head, specialist = demo.users["truongphong.stp"], demo.users["chuyenvien.stp"]
    assert can_read(head, secret) and not can_read(specialist, secret)
    routing.reassign(assignment=main, unit_head=head, person=specialist)
    assert can_read(specialist, secret) and not can_read(demo.users["chuyenvien2.stp"], secret)


def test_reminders_go_once_to_the_holders_of_assignments_due_soon_or_overdue(demo, registered,
                                                                             django_capture_on_commit_callbacks):
    head = demo.users["truongphong.stp"]
    # Tuesday 15/12: due Friday 18/12 is three working days away, nothing yet.
    with time_machine.travel(dt.datetime(2026, 12, 15, 2, tzinfo=dt.UTC), tick=False):
        directed(demo, registered)
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_due_assignments() == 0
    # Thursday 17/12: one working day left.
    with time_machine.travel(dt.datetime(2026, 12, 17, 2, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_due_assignments() == 2
            assert remind_due_assignments() == 0
    assert notices(head, "document-reminder:") == 1
    assert notices(demo.users["chuyenvien2.stp"], "document-reminder:") == 1


def test_an_overdue_assignment_is_reminded(demo, registered, django_capture_on_commit_callbacks):
    directed(demo, registered)
    with time_machine.travel(dt.datetime(2026, 12, 28, 2, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_due_assignments() == 2
    notice = Notification.objects.get(user=demo.users["truongphong.stp"], key__startswith="document-reminder:")
    assert "quá hạn" in notice.title.lower()
