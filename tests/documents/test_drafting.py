"""Drafting and review of outgoing documents (Decree 30/2020/NĐ-CP art. 10–13): every version kept,
the chain approves in order or returns with a comment kept with its version, every door guarded by
the one policy and the optimistic revision."""

import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents import drafting, layout
from documents.models import Comment, FileKind, ReviewState, Status
from documents.outgoing_files import StaleDocument, current_version
from notifications.models import Notification
from tests.documents.outgoing_helpers import approved, draft, kind, pdf_upload


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def versions(document) -> list[int]:
    return list(document.files.filter(kind=FileKind.DRAFT).values_list("version", flat=True))


def test_a_new_draft_is_laid_out_as_version_one(outgoing):
    document = draft(outgoing)
    assert document.status == Status.DRAFTING
    assert document.drafted_by == outgoing.users["chuyenvien.stp"]
    assert document.drafting_unit.name == "Phòng Hành chính tư pháp"
    assert versions(document) == [1]


def test_only_officials_of_the_agency_draft_its_documents(outgoing):
    with pytest.raises(PermissionDenied):
        draft(outgoing, by="tuphap.ducxuan")  # a ward's official, not of Sở Tư pháp


def test_a_changed_text_is_a_new_version_and_the_old_one_is_kept(outgoing):
    document = draft(outgoing)
    first = document.files.get(kind=FileKind.DRAFT, version=1)
    document = drafting.save_draft(document, outgoing.users["chuyenvien.stp"], revision=document.revision,
                                   body="Nội dung mới của dự thảo.")
    assert versions(document) == [1, 2]
    document = drafting.save_draft(document, outgoing.users["chuyenvien.stp"], urgency="urgent")
    assert versions(document) == [1, 2]  # the urgency is not in the text
    first.refresh_from_db()
    assert "rà soát thủ tục hộ tịch" in pdf_text(first.file.read())


def test_an_uploaded_pdf_is_the_next_version(outgoing):
    document = draft(outgoing)
    record = drafting.add_version(document, outgoing.users["chuyenvien.stp"], pdf_upload(layout.render(document)))
    assert (record.kind, record.version) == (FileKind.DRAFT, 2)
    with pytest.raises(ValidationError):
        drafting.add_version(document, outgoing.users["chuyenvien.stp"], pdf_upload(b"not a pdf"))


def test_only_the_drafter_changes_the_draft(outgoing):
    document = draft(outgoing)
    with pytest.raises(PermissionDenied):
        drafting.save_draft(document, outgoing.users["chuyenvien2.stp"], body="khác")


def test_a_form_shown_before_a_change_is_refused(outgoing):
    document = draft(outgoing)
    stale = document.revision
    drafting.save_draft(document, outgoing.users["chuyenvien.stp"], revision=stale, body="Lần một.")
    with pytest.raises(StaleDocument):
        drafting.save_draft(document, outgoing.users["chuyenvien.stp"], revision=stale, body="Lần hai.")


def test_the_chain_approves_in_order_and_the_leaders_are_told(outgoing, django_capture_on_commit_callbacks):
    users = outgoing.users
    document = draft(outgoing)
    with django_capture_on_commit_callbacks(execute=True):
        drafting.submit_for_review(document, users["chuyenvien.stp"], [users["truongphong.stp"], users["giamdoc.stp"]])
    document.refresh_from_db()
    assert document.status == Status.IN_REVIEW
    assert Notification.objects.filter(user=users["truongphong.stp"], title__icontains="dự thảo").exists()
    with pytest.raises(PermissionDenied):  # not the director's turn yet
        drafting.review(document, users["giamdoc.stp"], approve=True)
    drafting.review(document, users["truongphong.stp"], approve=True, comment="Đồng ý.")
    with django_capture_on_commit_callbacks(execute=True):
        assert drafting.review(document, users["giamdoc.stp"], approve=True).status == Status.APPROVED
    assert list(document.reviews.values_list("state", flat=True)) == [ReviewState.APPROVED] * 2


def test_a_draft_approved_below_the_leader_is_announced_to_the_leaders(outgoing, django_capture_on_commit_callbacks):
    users = outgoing.users
    document = draft(outgoing)
    drafting.submit_for_review(document, users["chuyenvien.stp"], [users["truongphong.stp"]])
    with django_capture_on_commit_callbacks(execute=True):
        assert drafting.review(document, users["truongphong.stp"], approve=True).status == Status.APPROVED
    assert Notification.objects.filter(user=users["giamdoc.stp"], title__icontains="chờ ký").exists()


def test_a_return_sends_the_draft_back_with_its_comment_and_the_revision_starts_again(
        outgoing, django_capture_on_commit_callbacks):
    users = outgoing.users
    document = draft(outgoing)
    chain = [users["truongphong.stp"], users["giamdoc.stp"]]
    drafting.submit_for_review(document, users["chuyenvien.stp"], chain)
    with pytest.raises(ValidationError):  # a return says what to change
        drafting.review(document, users["truongphong.stp"], approve=False)
    with django_capture_on_commit_callbacks(execute=True):
        document = drafting.review(document, users["truongphong.stp"], approve=False, comment="Sửa căn cứ pháp lý.")
    assert document.status == Status.DRAFTING
    assert Comment.objects.get(document=document).version == 1
    assert Notification.objects.filter(user=users["chuyenvien.stp"], body__contains="Sửa căn cứ").exists()
    assert not document.reviews.filter(state=ReviewState.PENDING).exists()  # the director is not asked
    document = drafting.save_draft(document, users["chuyenvien.stp"], body="Căn cứ Luật Hộ tịch 2014.")
    assert current_version(document) == 2
    drafting.submit_for_review(document, users["chuyenvien.stp"], chain)
    assert set(document.reviews.filter(version=2).values_list("state", flat=True)) == {ReviewState.PENDING}
    assert versions(document) == [1, 2]  # both versions kept


def test_the_drafter_does_not_review_their_own_draft(outgoing):
    users = outgoing.users
    document = draft(outgoing)
    with pytest.raises(ValidationError):
        drafting.submit_for_review(document, users["chuyenvien.stp"], [users["chuyenvien.stp"]])
    with pytest.raises(ValidationError):  # an official of another agency
        drafting.submit_for_review(document, users["chuyenvien.stp"], [users["chutich.ducxuan"]])


def test_readers_comment_on_a_draft_in_review_and_not_after_signing(outgoing):
    users = outgoing.users
    document = approved(outgoing)
    note = drafting.comment(document, users["truongphong.stp"], "Kiểm tra lại Điều 2.")
    assert note.version == 1
    with pytest.raises(PermissionDenied):  # cannot read it: a specialist of another unit / agency
        drafting.comment(document, users["tuphap.ducxuan"], "?")


def test_the_layout_has_the_blanks_the_issuance_fills_and_the_signers_placeholder(outgoing):
    from signing.placement import AUTHORITY_PLACEHOLDER, DATE_FIELD, NUMBER_FIELD, locate_placeholders

    decision = layout.render(draft(outgoing))
    text = pdf_text(decision)
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ TƯ PHÁP", "Số: ……/……",
                  "ngày … tháng … năm …", "QUYẾT ĐỊNH", "Về việc ban hành quy chế làm việc", AUTHORITY_PLACEHOLDER,
                  "Nơi nhận:", "- Như Điều 3;", "rà soát thủ tục hộ tịch"):
        assert words in text, words
    assert set(locate_placeholders(decision)) == {NUMBER_FIELD, DATE_FIELD}
    twin = draft(outgoing)  # the same text: another document, another file (the QR code names one)
    assert twin.files.get().sha256 != draft(outgoing).files.get().sha256
    letter = pdf_text(layout.render(draft(outgoing, type_="CV", abstract="rà soát thủ tục hộ tịch")))
    assert "V/v rà soát thủ tục hộ tịch" in letter and "CÔNG VĂN" not in letter.upper().replace("V/V", "")


def test_every_door_offers_what_the_policy_allows(outgoing):
    from documents import policy

    users = outgoing.users
    document = draft(outgoing)
    assert policy.available_actions(users["chuyenvien.stp"], document) == {"edit_draft", "submit_review"}
    assert policy.available_actions(users["truongphong.stp"], document) == set()
    assert kind("QĐ").abbreviation == "QĐ"
