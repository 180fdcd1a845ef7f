"""Routing an incoming document (Decree 30/2020/NĐ-CP art. 24): the leader's direction (bút phê, ý
kiến chỉ đạo) gives it to one main handler (xử lý chính), and to units or people who cooperate
(phối hợp) or are informed (để biết), with a deadline; a unit head passes the unit's part on to a
person of the unit; whoever handles it records how it was handled; the others acknowledge.

Each door checks ``documents.policy.require`` on the locked row (and the revision the page
showed), writes in one transaction, and schedules the notices to the new holders on commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import Membership, OrgUnit, Role
from egov.tasks import enqueue

from . import policy, signals
from .incoming import bump, lock
from .models import Assignment, AssignmentRole, Direction, Document, HandledHow, Status


@dataclass
class Target:
    """One line of a direction: a unit or a person, in a role, with an optional own deadline."""

    role: str
    unit: OrgUnit | None = None
    person: Any = None  # a User
    due_on: dt.date | None = None


def _member(person, agency_id: int, unit_id: int | None = None) -> bool:
    places = Membership.objects.valid_on().filter(official=person, agency_id=agency_id)
    if unit_id is not None:
        places = places.filter(unit_id=unit_id)
    return person.is_active and places.exists()


def notify_holder(assignment: Assignment, *, by=None) -> None:
    """Tell the holder (the person, or the head of the unit) that the document waits for them."""
    document = assignment.document
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Incoming document to handle: %(what)s") % {"what": str(document)[:120]}
        body = _("%(role)s. Deadline: %(due)s.") % {
            "role": assignment.get_role_display(),
            "due": f"{assignment.due_on:%d/%m/%Y}" if assignment.due_on else _("none")}
    enqueue("notifications.notify_officials", dossier_id=None, agency_id=document.agency_id,
            unit_id=assignment.unit_id if assignment.person_id is None else None,
            role=Role.UNIT_HEAD if assignment.person_id is None else None,
            assignee_id=assignment.person_id, skip_id=getattr(by, "pk", None),
            key=f"document-assignment:{assignment.pk}", title=title, body=body)


def direct(*, document: Document, leader, assignments: list[Target], note: str = "",
           due_on: dt.date | None = None, expected_revision: int | None = None) -> list[Assignment]:
    """The leader's direction. The first one names exactly one main handler; a later one may add
    cooperating or informed holders (or a main one, if none is open)."""
    with transaction.atomic(durable=True):
        document = lock(document, expected_revision)
        policy.require(leader, document, "direct")
        if not assignments:
            raise ValidationError(_("Choose who handles the document."))
        mains = [target for target in assignments if target.role == AssignmentRole.MAIN]
        open_main = document.assignments.filter(role=AssignmentRole.MAIN, parent__isnull=True,
                                                done_at__isnull=True).exists()
        if len(mains) > 1 or (mains and open_main) or (not mains and not open_main):
            raise ValidationError(_("A document has exactly one main handler (xử lý chính)."))
        created = []
        for target in assignments:
            if (target.unit is None) == (target.person is None):
                raise ValidationError(_("Give each line a unit or a person."))
            if target.unit is not None and target.unit.agency_id != document.agency_id:
                raise ValidationError(_("The unit is not part of this agency."))
            if target.person is not None and not _member(target.person, document.agency_id):
                raise ValidationError(_("The person does not work in this agency."))
            created.append(Assignment.objects.create(
                document=document, role=target.role, unit=target.unit, person=target.person,
                due_on=target.due_on or due_on or document.handling_due_on, note=note.strip(),
                assigned_by=leader))
        if due_on and not document.handling_due_on:
            document.handling_due_on = due_on
        document.status = Status.IN_HANDLING
        bump(document, "status", "handling_due_on")
        for assignment in created:
            transaction.on_commit(partial(notify_holder, assignment, by=leader))
        signals.directed.send(Document, document=document, by=leader)
    return created


def reassign(*, assignment: Assignment, unit_head, person, note: str = "", due_on: dt.date | None = None,
             expected_revision: int | None = None) -> Assignment:
    """The unit head passes the unit's part on to ``person`` of the unit (same role)."""
    with transaction.atomic(durable=True):
        document = lock(assignment.document, expected_revision)
        policy.require(unit_head, document, "reassign")
        held = policy.held_assignment(unit_head, document)
        assignment = Assignment.objects.get(pk=assignment.pk)
        if (held is None or held.pk != assignment.pk or assignment.unit_id is None
                or assignment.done_at is not None or assignment.children.exists()):
            raise ValidationError(_("This part is not in your hands to pass on."))
        if not _member(person, document.agency_id, assignment.unit_id):
            raise ValidationError(_("The person does not work in this unit."))
        child = Assignment.objects.create(
            document=document, parent=assignment, role=assignment.role, unit=assignment.unit, person=person,
            due_on=due_on or assignment.due_on, note=note.strip(), assigned_by=unit_head)
        bump(document)
        transaction.on_commit(lambda: notify_holder(child, by=unit_head))
        signals.processing.send(Document, document=document, by=unit_head)
    return child


def _close(assignment: Assignment, note: str, now) -> None:
    """Done, and each parent whose parts are all done with it."""
    current: Assignment | None = assignment
    while current is not None:
        if current.children.filter(done_at__isnull=True).exists():
            return
        current.done_at, current.done_note = now, note.strip()
        current.save(update_fields=["done_at", "done_note"])
        current = current.parent


def complete(*, document: Document, user, how: str, answered_by: Document | None = None, note: str = "",
             expected_revision: int | None = None) -> Document:
    """The main handler records how the document was handled: answered by an issued outgoing
    document of the agency, filed, or taken note of."""
    if how not in HandledHow.values:
        raise ValidationError(_("Say how the document was handled."))
    with transaction.atomic(durable=True):
        document = lock(document, expected_revision)
        policy.require(user, document, "complete")
        if how == HandledHow.ANSWERED:
            if (answered_by is None or answered_by.direction != Direction.OUTGOING
                    or answered_by.agency_id != document.agency_id or answered_by.status != Status.ISSUED):
                raise ValidationError(_("Choose the issued outgoing document of the agency that answers it."))
        else:
            answered_by = None
        now = timezone.now()
        held = policy.held_assignment(user, document, roles=[AssignmentRole.MAIN])
        assert held is not None  # policy said so
        _close(held, note, now)
        document.status, document.handled_at, document.handled_how = Status.HANDLED, now, how
        document.answered_by = answered_by
        bump(document, "status", "handled_at", "handled_how", "answered_by")
        signals.completed.send(Document, document=document, by=user)
    return document


def answered(*, answer: Document, now) -> Document | None:
    """Issuing ``answer`` (in its transaction, after ``policy.require(clerk, answer, "issue")``) marks
    the incoming document it answers handled, its main assignments closed: the handler asked for
    nothing else when they drafted the answer from it (``policy.may_answer``)."""
    incoming = answer.in_reply_to
    if incoming is None:
        return None
    incoming = lock(incoming, None)
    if incoming.status != Status.IN_HANDLING:
        return None
    for held in incoming.assignments.filter(role=AssignmentRole.MAIN, done_at__isnull=True, children__isnull=True):
        _close(held, str(_("Answered by %(number)s") % {"number": answer.number_symbol}), now)
    incoming.status, incoming.handled_at, incoming.handled_how = Status.HANDLED, now, HandledHow.ANSWERED
    incoming.answered_by = answer
    bump(incoming, "status", "handled_at", "handled_how", "answered_by")
    signals.completed.send(Document, document=incoming, by=None)
    return incoming


def acknowledge(*, document: Document, user, note: str = "", expected_revision: int | None = None) -> Assignment:
    """A cooperating or informed holder says they did their part or took note."""
    with transaction.atomic(durable=True):
        document = lock(document, expected_revision)
        policy.require(user, document, "acknowledge")
        held = policy.held_assignment(user, document, roles=[AssignmentRole.COOPERATE, AssignmentRole.INFORM])
        assert held is not None
        _close(held, note, timezone.now())
        bump(document)
        signals.processing.send(Document, document=document, by=user)
    return held


def issued_answers(document: Document):
    """The outgoing documents that may answer ``document``: issued by its agency."""
    return Document.objects.filter(agency_id=document.agency_id, direction=Direction.OUTGOING,
                                   status=Status.ISSUED).order_by("-issued_at", "-id")
