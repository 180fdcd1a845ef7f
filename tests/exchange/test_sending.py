"""Sending through the outbox (Decision 28/2018/QĐ-TTg): the package and its outbox row exist
exactly when the distribution committed, a delivery run twice hands one package to the axis, a
refusal of the axis or an outbox that gives up makes a dead letter and tells the clerks, and a
retry from the console sends it again."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from documents import distribution
from documents.models import Channel
from exchange import delivery, edxml
from exchange.models import Dialect, Direction, Kind, Package, Partner, State
from notifications.models import Notification
from outbox.models import OutboxMessage
from outbox.services import drain
from tests.exchange.world import RECEIVER, SENDER, as_issued, poll, received_document, send


def test_one_signed_package_per_recipient_is_queued_with_the_distribution(world, django_capture_on_commit_callbacks):
    document, rows = send(world, django_capture_on_commit_callbacks, to=("01840", "01837"))
    exchange_rows = [row for row in rows if row.channel == Channel.EXCHANGE]
    packages = Package.objects.filter(direction=Direction.OUT, kind=Kind.DOCUMENT, document=document)
    assert packages.count() == 2 == len(exchange_rows)
    assert {p.distribution_id for p in packages} == {row.pk for row in exchange_rows}
    assert len({p.exchange_id for p in packages}) == 1  # the same DocumentId for every recipient
    first = packages.get(distribution__agency__code=RECEIVER)
    assert first.state == State.SENT and first.axis_id and first.from_code == SENDER
    content = edxml.parse(bytes(first.raw))
    assert content.subject == document.abstract and [r.code for r in content.recipients] == [RECEIVER]
    assert content.attachments[0].name == "05-QD-STP.pdf" and content.attachments[0].content.startswith(b"%PDF")
    assert edxml.verify(bytes(first.raw))  # signed with the agency's seal
    assert first.distribution.status == "sent"


def test_nothing_is_queued_when_the_distribution_rolls_back(world):
    document = as_issued(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        distribution.distribute(document, world.users["vanthu.stp"], agencies=[world.agencies["01840"]])
        assert Package.objects.filter(document=document).count() == 1
        raise RuntimeError("the caller's transaction fails after the distribution")
    assert not Package.objects.filter(document=document).exists()
    assert not OutboxMessage.objects.filter(task="exchange.deliver").exists()


def test_a_classified_document_never_leaves(world):
    document = as_issued(world, confidentiality="confidential")
    with pytest.raises(PermissionDenied):
        distribution.distribute(document, world.users["vanthu.stp"], agencies=[world.agencies["01840"]])
    assert not Package.objects.exists() and not OutboxMessage.objects.filter(task="exchange.deliver").exists()


def test_delivering_twice_puts_one_package_on_the_axis(world, axis_sim, django_capture_on_commit_callbacks):
    document, _rows = send(world, django_capture_on_commit_callbacks)
    package = Package.objects.get(document=document, direction=Direction.OUT)
    axis_id = package.axis_id
    assert delivery.deliver(package.pk) == "nothing to do"
    Package.objects.filter(pk=package.pk).update(state=State.QUEUED)  # as if the worker died before saying so
    assert delivery.deliver(package.pk) == "sent"
    package.refresh_from_db()
    assert package.axis_id == axis_id and axis_sim.pending_count() == 1


def test_a_refusal_of_the_axis_makes_a_dead_letter_and_tells_the_clerks(world, django_capture_on_commit_callbacks):
    old_stp = world.agencies["BK:STP"]  # 000.00.03.H05: no system on the axis serves it
    document, _rows = send(world, django_capture_on_commit_callbacks, to=("BK:STP",))
    package = Package.objects.get(document=document, direction=Direction.OUT)
    assert package.state == State.DEAD and old_stp.code in package.to_codes and package.error
    assert package.distribution.status == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        pass
    assert Notification.objects.filter(user=world.users["vanthu.stp"], title__contains=old_stp.code).exists()


def test_when_the_outbox_gives_up_the_package_is_dead_and_the_clerks_told(world, axis_sim, settings,
                                                                          django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    axis_sim.stop()  # the axis does not answer
    document, _rows = send(world, django_capture_on_commit_callbacks)
    package = Package.objects.get(document=document, direction=Direction.OUT)
    assert package.state == State.DEAD and package.attempts == 1
    assert OutboxMessage.objects.get(task="exchange.deliver", args=[package.pk]).dead_at is not None
    assert Notification.objects.filter(user=world.users["vanthu.stp"], title__contains=RECEIVER).exists()


def test_a_transient_failure_is_tried_again_by_the_outbox(world, axis_sim, django_capture_on_commit_callbacks):
    axis_sim.stop()
    document, _rows = send(world, django_capture_on_commit_callbacks)
    package = Package.objects.get(document=document, direction=Direction.OUT)
    assert package.state == State.QUEUED and package.error
    message = OutboxMessage.objects.get(task="exchange.deliver", args=[package.pk])
    assert message.done_at is None and message.dead_at is None
    axis_sim.start()
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        drain()
    package.refresh_from_db()
    assert package.state == State.SENT and axis_sim.pending_count() == 1


def test_a_retry_from_the_console_sends_the_dead_letter_once(world, axis_sim, settings,
                                                             django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    axis_sim.stop()
    document, _rows = send(world, django_capture_on_commit_callbacks)
    package = Package.objects.get(document=document, direction=Direction.OUT)
    assert package.state == State.DEAD
    axis_sim.start()
    with pytest.raises(PermissionDenied):
        delivery.retry(package, world.users["chuyenvien.stp"])
    with django_capture_on_commit_callbacks(execute=True):
        delivery.retry(package, world.users["vanthu.stp"])
    package.refresh_from_db()
    assert package.state == State.SENT and package.distribution.status == "sent"
    with pytest.raises(PermissionDenied):  # nothing dead any more: a second retry is not offered
        delivery.retry(package, world.users["vanthu.stp"])
    assert axis_sim.pending_count() == 1


def test_each_partner_gets_the_dialect_it_expects(world, django_capture_on_commit_callbacks):
    Partner.objects.create(code=RECEIVER, name="UBND phường Đức Xuân", dialect=Dialect.EDOC)
    document, _rows = send(world, django_capture_on_commit_callbacks)
    package = Package.objects.get(document=document, direction=Direction.OUT)
    assert package.dialect == Dialect.EDOC and edxml.dialect_of(bytes(package.raw)) == "edoc"
    poll(django_capture_on_commit_callbacks)
    assert received_document(package.exchange_id).abstract == document.abstract
