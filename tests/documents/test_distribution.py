"""Sending an issued document out and recalling it (Decree 30/2020/NĐ-CP art. 16–19): units of the
agency are told in the app, other agencies queued for the exchange, e-mail with the PDF attached; a
classified document never leaves the agency."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents import distribution, policy
from documents.models import Channel, Distribution, Document, DocumentFile, FileKind, Status
from notifications.models import Notification
from tests.documents.outgoing_helpers import draft


def as_issued(demo, **kwargs) -> Document:
    """A document in the state issuance leaves it (the signing itself is test_issuance's)."""
    document = draft(demo, **kwargs)
    Document.objects.filter(pk=document.pk).update(status=Status.ISSUED, number_symbol="05/QĐ-STP",
                                                   issued_at=timezone.now())
    first = document.files.get(kind=FileKind.DRAFT)
    DocumentFile.objects.create(document=document, kind=FileKind.ISSUED, version=1, file=first.file.name,
                                original_name="05-QD-STP.pdf", content_type="application/pdf", size=first.size,
                                sha256=first.sha256, uploaded_by=first.uploaded_by)
    document.refresh_from_db()
    return document


def test_units_are_told_agencies_queued_and_mail_carries_the_pdf(outgoing, django_capture_on_commit_callbacks):
    users, agencies = outgoing.users, outgoing.agencies
    document = as_issued(outgoing)
    unit = outgoing.units[("STP", "Phòng Hành chính tư pháp")]
    with django_capture_on_commit_callbacks(execute=True):
        rows = distribution.distribute(document, users["vanthu.stp"], units=[unit], agencies=[agencies["01840"]],
                                       emails=["phong@example.vn"], revision=document.revision)
    assert [(row.channel, row.status) for row in rows] == [
        (Channel.INTERNAL, "sent"), (Channel.EXCHANGE, "queued"), (Channel.EMAIL, "sent")]
    assert Notification.objects.filter(user=users["truongphong.stp"], title__contains="05/QĐ-STP").exists()
    assert not Notification.objects.filter(user=users["chuyenvien2.stp"]).exists()  # another unit
    (message,) = mail.outbox
    assert message.to == ["phong@example.vn"] and message.attachments[0][0] == "05-QD-STP.pdf"
    assert message.attachments[0][1].startswith(b"%PDF-")


def test_a_classified_document_goes_to_units_only(outgoing):
    users, agencies = outgoing.users, outgoing.agencies
    document = as_issued(outgoing, confidentiality="confidential")
    clerk = users["vanthu.stp"]
    with pytest.raises(PermissionDenied):
        distribution.distribute(document, clerk, agencies=[agencies["01840"]])
    with pytest.raises(PermissionDenied):
        distribution.distribute(document, clerk, emails=["phong@example.vn"])
    assert not Distribution.objects.filter(document=document).exists() and not mail.outbox
    distribution.distribute(document, clerk, units=[outgoing.units[("STP", "Phòng Hành chính tư pháp")]])
    assert list(Distribution.objects.filter(document=document).values_list("channel", flat=True)) == ["internal"]


def test_only_the_clerk_sends_and_only_an_issued_document(outgoing):
    users = outgoing.users
    unit = outgoing.units[("STP", "Phòng Hành chính tư pháp")]
    with pytest.raises(PermissionDenied):
        distribution.distribute(as_issued(outgoing), users["giamdoc.stp"], units=[unit])
    with pytest.raises(PermissionDenied):
        distribution.distribute(draft(outgoing), users["vanthu.stp"], units=[unit])
    with pytest.raises(ValidationError):  # a unit of another agency
        distribution.distribute(as_issued(outgoing), users["vanthu.stp"],
                                units=[outgoing.units[("01840", "Tư pháp - Hộ tịch")]])


def test_the_leader_recalls_with_a_reason_and_a_replacement_is_drafted(outgoing):
    users = outgoing.users
    document = as_issued(outgoing)
    with pytest.raises(PermissionDenied):
        distribution.recall(document, users["vanthu.stp"], "Sai căn cứ")
    with pytest.raises(ValidationError):
        distribution.recall(document, users["giamdoc.stp"], "")
    document = distribution.recall(document, users["giamdoc.stp"], "Sai căn cứ pháp lý")
    assert document.status == Status.RECALLED and document.recalled_at is not None
    assert document.comments.get().text == "Thu hồi: Sai căn cứ pháp lý"
    replacement = distribution.draft_replacement(document, users["chuyenvien.stp"], body="Nội dung đã sửa.")
    assert (replacement.replaces, replacement.status, replacement.abstract) == (
        document, Status.DRAFTING, document.abstract)


ROLES = ["chuyenvien.stp", "chuyenvien2.stp", "truongphong.stp", "giamdoc.stp", "vanthu.stp", "motcua.stp",
         "chutich.ducxuan"]


@pytest.mark.parametrize("status", [Status.DRAFTING, Status.IN_REVIEW, Status.APPROVED, Status.SIGNED,
                                    Status.ISSUED, Status.RECALLED])
def test_offered_exactly_when_allowed_for_every_role(outgoing, status):
    """available_actions (what pages offer) ⇔ decide (what the doors require), and the expected holder
    of each outgoing action, for every role × status."""
    users = outgoing.users
    document = draft(outgoing)
    Document.objects.filter(pk=document.pk).update(status=status)
    document.refresh_from_db()
    expected = {
        Status.DRAFTING: {"chuyenvien.stp": {"edit_draft", "submit_review"}},
        Status.APPROVED: {"giamdoc.stp": {"sign"}},
        Status.SIGNED: {"vanthu.stp": {"issue"}},
        Status.ISSUED: {"vanthu.stp": {"distribute"}, "giamdoc.stp": {"recall"}},
    }.get(status, {})
    for name in ROLES:
        offered = policy.available_actions(users[name], document)
        assert offered == {a for a in policy.OUTGOING_ACTIONS if policy.decide(users[name], document, a)}
        assert offered == expected.get(name, set()), (name, status, offered)
