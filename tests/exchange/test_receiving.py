"""Receiving (Decision 28/2018/QĐ-TTg): a document arrives in the addressee's register waiting for
the clerk, its sender is told 01; every package is kept, an invalid one refused with its reason and
a status 02 back to its sender; the same package twice registers nothing twice."""

import re

import pytest

from documents.models import Direction as DocumentDirection
from documents.models import Document, Source, Status
from exchange import edxml, receiving, statuses
from exchange.models import Direction, Kind, Package, State, StatusEvent
from tests.exchange.world import RECEIVER, SENDER, poll, received_document, send, sent_statuses, signed_package


def test_a_sent_document_waits_for_the_clerk_and_its_sender_hears_it_arrived(world, axis_sim,
                                                                              django_capture_on_commit_callbacks):
    document, rows = send(world, django_capture_on_commit_callbacks)
    assert poll(django_capture_on_commit_callbacks) == {"received": 1, "failed": 0}
    package = Package.objects.get(direction=Direction.IN, kind=Kind.DOCUMENT)
    arrived = received_document(package.exchange_id)
    assert (arrived.status, arrived.source, arrived.number_symbol, arrived.abstract) == (
        Status.PENDING, Source.EXCHANGE, "05/QĐ-STP", document.abstract)
    assert arrived.issuer_agency == world.agencies["STP"] and arrived.files.get().original_name == "05-QD-STP.pdf"
    assert package.state == State.RECEIVED and package.document == arrived
    (status,) = sent_statuses(statuses.ARRIVED)
    assert status.to_codes == [SENDER] and status.state == State.SENT
    assert poll(django_capture_on_commit_callbacks)["received"] == 1  # the 01, back at the sender
    distribution = rows[0]
    distribution.refresh_from_db()
    assert distribution.status == statuses.ARRIVED
    event = StatusEvent.objects.get(direction=Direction.IN, distribution=distribution)
    assert (event.code, event.organ_code, event.document) == (statuses.ARRIVED, RECEIVER, document)
    assert axis_sim.pending_count() == 0  # everything acknowledged once kept


def test_the_same_package_twice_is_registered_once(world):
    data = signed_package(world)
    first = receiving.receive(data, axis_id="a1")
    again = receiving.receive(data, axis_id="a2")
    assert first.pk == again.pk and first.state == State.RECEIVED
    resent = receiving.receive(signed_package(world))  # another package id, the same DocumentId
    assert resent.state == State.DUPLICATE and resent.pk != first.pk
    assert Document.objects.filter(direction=DocumentDirection.INCOMING, exchange_id=first.exchange_id).count() == 1
    assert len(sent_statuses(statuses.ARRIVED)) == 1


def _drop_subject(xml: bytes) -> bytes:
    return re.sub(rb"<(\w+:)?Subject>.*?</(\w+:)?Subject>", b"", xml, count=1, flags=re.S)


def _other_namespace(xml: bytes) -> bytes:
    return xml.replace(b"http://www.mic.gov.vn/TBT/QCVN_102_2016", b"http://example.org/edXML")


def _tamper_attachment(xml: bytes) -> bytes:
    return xml.replace(b"JVBERi0", b"JVBERi1", 1)  # "%PDF-" becomes "%PDF5": the manifest's hash no longer fits


def _tamper_after_signing(data: bytes) -> bytes:
    return data.replace("rà soát".encode(), "xóa bỏ".encode(), 1)


INVALID = {
    "malformed": dict(raw=b"<edXML><edXMLEnvelope><broken"),
    "wrong namespace": dict(after_signing=_other_namespace),
    "missing field": dict(mutate=_drop_subject),
    "tampered attachment": dict(mutate=_tamper_attachment),
    "bad signature": dict(after_signing=_tamper_after_signing),
    # The ward's own seal on a package that says it comes from Sở Tư pháp: a forgery.
    "sealed by another agency": dict(sealed_by="01840"),
    "unknown recipient": dict(to="000.00.99.H55"),
    "oversized": dict(oversized=True),
}


@pytest.mark.parametrize("kind", list(INVALID))
def test_an_invalid_package_is_kept_refused_with_its_reason(world, settings, kind):
    case = dict(INVALID[kind])
    if case.pop("oversized", False):
        data = signed_package(world)
        settings.EXCHANGE_MAX_PACKAGE_BYTES = len(data) - 1
    else:
        data = case.pop("raw", None) or signed_package(world, **case)
    package = receiving.receive(data, axis_id="axis-1")
    assert package.state == State.REFUSED and package.error, kind
    assert bytes(package.raw) == data[:receiving.KEEP_BYTES] and package.size == len(data)
    assert not Document.objects.filter(direction=DocumentDirection.INCOMING, source=Source.EXCHANGE).exists()
    refusals = sent_statuses(statuses.REFUSED)
    if kind == "malformed":
        assert refusals == []  # the sender cannot be read
        return
    (status,) = refusals
    assert status.to_codes == [SENDER] and status.state == State.QUEUED
    # An unknown code is answered by the province's People's Committee, whose system received it.
    assert status.from_code == ("000.00.00.H55" if kind == "unknown recipient" else RECEIVER)
    answer = edxml.parse(bytes(status.raw))
    assert (answer.code, answer.description, answer.response_for.document_id) == (
        statuses.REFUSED, package.error, package.exchange_id)
    assert receiving.receive(data).pk == package.pk  # offered again: kept once, answered once
    assert len(sent_statuses(statuses.REFUSED)) == 1


def test_a_bad_package_on_the_axis_does_not_hold_back_the_others(world, axis_sim, django_capture_on_commit_callbacks):
    from exchange.axis import current

    junk = (f'<?xml version="1.0" encoding="UTF-8"?><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">'
            f"<edXMLEnvelope><edXMLHeader><MessageHeader><To><OrganId>{RECEIVER}</OrganId></To></MessageHeader>"
            f"</edXMLHeader></edXMLEnvelope></edXML>").encode()
    current().send("junk-package-1", junk)
    document, _rows = send(world, django_capture_on_commit_callbacks)
    assert poll(django_capture_on_commit_callbacks) == {"received": 2, "failed": 0}
    kept = Package.objects.get(direction=Direction.IN, package_id__startswith="sha256-")
    assert kept.state == State.REFUSED and bytes(kept.raw) == junk
    assert received_document(Package.objects.get(direction=Direction.IN, kind=Kind.DOCUMENT,
                                                 state=State.RECEIVED).exchange_id).abstract == document.abstract
    assert axis_sim.pending_count() == 1  # only the 01 back to the sender waits now
