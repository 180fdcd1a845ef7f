"""Offered ⇔ allowed: for every demo role of the agency and every status of an incoming document,
the page's actions (``policy.available_actions``) are exactly the doors that succeed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from documents import incoming, policy, routing
from documents.models import AssignmentRole, Document, HandledHow, Status
from documents.routing import Target

PEOPLE = ["giamdoc.stp", "truongphong.stp", "chuyenvien.stp", "chuyenvien2.stp", "vanthu.stp", "motcua.stp",
          "vanthu.ducxuan"]
STATUSES = [Status.PENDING, Status.REGISTERED, Status.IN_HANDLING, Status.HANDLED, Status.REFUSED]
UNIT = ("STP", "Phòng Hành chính tư pháp")


def _direct(user, document, demo, registers):
    has_main = document.assignments.filter(role=AssignmentRole.MAIN, done_at__isnull=True).exists()
    role = AssignmentRole.INFORM if has_main else AssignmentRole.MAIN
    routing.direct(document=document, leader=user, assignments=[Target(role, person=demo.users["chuyenvien.stp"])])


def _reassign(user, document, demo, registers):
    held = policy.held_assignment(user, document) or document.assignments.filter(unit__isnull=False).first()
    if held is None:
        raise PermissionDenied("nothing held")
    routing.reassign(assignment=held, unit_head=user, person=demo.users["chuyenvien.stp"])


DOORS = {
    "accept": lambda u, d, demo, r: incoming.accept(document=d, clerk=u, register=r("STP")),
    "refuse": lambda u, d, demo, r: incoming.refuse(document=d, clerk=u, reason="Gửi nhầm"),
    "edit": lambda u, d, demo, r: incoming.edit(document=d, clerk=u, changes={"abstract": "Sửa trích yếu"}),
    "direct": _direct,
    "reassign": _reassign,
    "complete": lambda u, d, demo, r: routing.complete(document=d, user=u, how=HandledHow.FILED),
    "acknowledge": lambda u, d, demo, r: routing.acknowledge(document=d, user=u),
}


def document_in(status, demo, registers, letter) -> Document:
    clerk = demo.users["vanthu.stp"]
    if status in (Status.PENDING, Status.REFUSED):
        document = incoming.receive_electronic(
            agency=demo.agencies["STP"], metadata={"document_type": letter, "abstract": "Từ trục liên thông"},
            files=[], exchange_id=f"M-{status}")
        return incoming.refuse(document=document, clerk=clerk, reason="x") if status == Status.REFUSED else document
    document = incoming.register_paper(agency=demo.agencies["STP"], register=registers("STP"), clerk=clerk,
                                       metadata={"document_type": letter, "abstract": "Giấy"})
    if status == Status.REGISTERED:
        return document
    routing.direct(document=document, leader=demo.users["giamdoc.stp"], due_on=dt.date(2026, 12, 31), assignments=[
        Target(AssignmentRole.MAIN, unit=demo.units[UNIT]),
        Target(AssignmentRole.COOPERATE, person=demo.users["chuyenvien2.stp"])])
    if status == Status.HANDLED:
        document = routing.complete(document=document, user=demo.users["truongphong.stp"], how=HandledHow.FILED)
    return Document.objects.get(pk=document.pk)


def succeeds(name, user, document, demo, registers) -> bool:
    savepoint = transaction.savepoint()
    try:
        DOORS[name](user, Document.objects.get(pk=document.pk), demo, registers)
        return True
    except (PermissionDenied, ValidationError, incoming.StaleDocument):
        return False
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.parametrize("status", STATUSES)
def test_offered_actions_are_exactly_the_allowed_ones(status, demo, registers, letter):
    document = document_in(status, demo, registers, letter)
    assert document.status == status
    for username in PEOPLE:
        user = demo.users[username]
        offered = policy.available_actions(user, document)
        allowed = {name for name in DOORS if succeeds(name, user, document, demo, registers)}
        assert offered == allowed, (username, status)


def test_the_matrix_is_not_empty(demo, registers, letter):
    """Each action is offered to someone in some status: the matrix above tests something."""
    seen = set()
    for status in STATUSES:
        document = document_in(status, demo, registers, letter)
        for username in PEOPLE:
            seen |= policy.available_actions(demo.users[username], document)
    assert seen == set(DOORS)
