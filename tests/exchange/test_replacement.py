"""A replacement (thay thế) of a document sent through the exchange says which one it replaces; the
receiver keeps both in its register, the new one naming the earlier, the earlier saying so."""

import pytest

from documents.models import Comment, Document
from exchange import edxml, receiving
from exchange.models import Direction, Kind, Package
from tests.exchange.world import SENDER, as_issued, received_document, send, signed_package

pytestmark = pytest.mark.django_db


def test_the_replacement_names_the_document_it_replaces(world, django_capture_on_commit_callbacks):
    first, _rows = send(world, django_capture_on_commit_callbacks)
    second = as_issued(world, replaces=first)
    Document.objects.filter(pk=second.pk).update(number_symbol="06/QĐ-STP")
    second.refresh_from_db()
    send(world, django_capture_on_commit_callbacks, document=second)
    earlier, later = (Package.objects.get(direction=Direction.OUT, kind=Kind.DOCUMENT, document=doc)
                      for doc in (first, second))
    parsed = edxml.parse(bytes(later.raw))
    assert (parsed.business, parsed.replaces) == ("replace", earlier.exchange_id)
    assert edxml.parse(bytes(earlier.raw)).business == ""


def test_a_document_never_sent_through_the_exchange_is_replaced_as_a_new_one(world, django_capture_on_commit_callbacks):
    kept_here = as_issued(world)
    second = as_issued(world, replaces=kept_here)
    Document.objects.filter(pk=second.pk).update(number_symbol="06/QĐ-STP")
    second.refresh_from_db()
    send(world, django_capture_on_commit_callbacks, document=second)
    package = Package.objects.get(direction=Direction.OUT, kind=Kind.DOCUMENT, document=second)
    assert edxml.parse(bytes(package.raw)).business == ""


@pytest.mark.parametrize("business", ["replace", "update"])
def test_the_receiver_keeps_both_and_links_them(world, business):
    first_id, second_id = f"{SENDER},2026-01-05,12/STP-VP", f"{SENDER},2026-01-09,15/STP-VP"
    receiving.receive(signed_package(world, document_id=first_id))
    receiving.receive(signed_package(world, document_id=second_id, subject="về việc rà soát thủ tục (thay thế)",
                                     business=business, replaces=first_id))
    earlier, later = received_document(first_id), received_document(second_id)
    assert later.replaces == earlier
    (note,) = Comment.objects.filter(document=earlier)
    assert ("thay thế" if business == "replace" else "cập nhật") in note.text and later.number_symbol in note.text


def test_a_replacement_of_a_document_never_received_is_registered_as_it_is(world):
    receiving.receive(signed_package(world, document_id=f"{SENDER},2026-01-09,15/STP-VP", business="replace",
                                     replaces=f"{SENDER},2025-12-01,99/STP-VP"))
    later = received_document(f"{SENDER},2026-01-09,15/STP-VP")
    assert later.replaces is None and not Comment.objects.exists()
