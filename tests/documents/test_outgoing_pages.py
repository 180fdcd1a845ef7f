"""The outgoing documents' pages: drafting from the form, the tabs with their counts, the document's
page offering exactly the allowed actions, someone else's document → 404, a stale form refused."""

from documents.models import Document, Status
from tests.documents.outgoing_helpers import draft


def test_a_specialist_drafts_from_the_form_and_sees_it_in_the_tab(outgoing, sign_in):
    client = sign_in("chuyenvien.stp")
    from documents.models import DocumentType

    response = client.post("/workspace/documents/outgoing/new/", {
        "agency": outgoing.agencies["STP"].pk, "document_type": DocumentType.objects.get(abbreviation="KH").pk,
        "abstract": "Kế hoạch kiểm tra công tác hộ tịch", "body": "Mục đích, yêu cầu.", "recipients_text": "Lưu: VT",
        "urgency": "normal", "confidentiality": "normal"})
    document = Document.objects.get(abstract="Kế hoạch kiểm tra công tác hộ tịch")
    assert response.status_code == 302 and response.url == f"/workspace/documents/outgoing/{document.pk}/"
    page = client.get("/workspace/documents/outgoing/").content.decode()
    assert "Kế hoạch kiểm tra công tác hộ tịch" in page and 'data-count="drafting">1<' in page
    detail = client.get(response.url).content.decode()
    assert 'id="action-edit_draft"' in detail and 'id="action-submit_review"' in detail
    assert 'id="action-sign"' not in detail


def test_the_review_tab_and_form_are_the_reviewers_only(outgoing, sign_in):
    from documents import drafting

    users = outgoing.users
    document = draft(outgoing)
    drafting.submit_for_review(document, users["chuyenvien.stp"], [users["truongphong.stp"]])
    head = sign_in("truongphong.stp")
    assert 'data-count="to_review">1<' in head.get("/workspace/documents/outgoing/?tab=to_review").content.decode()
    document.refresh_from_db()
    response = head.post(f"/workspace/documents/outgoing/{document.pk}/review/", {
        "review-revision": document.revision, "review-decision": "return", "review-comment": "Bổ sung mục 2."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.DRAFTING
    # A form shown before the return is stale now.
    writer = sign_in("chuyenvien.stp")
    stale = writer.post(f"/workspace/documents/outgoing/{document.pk}/edit_draft/", {
        "edit_draft-revision": document.revision - 1, "edit_draft-abstract": "x", "edit_draft-body": "y"})
    assert stale.status_code == 200 and "Người khác vừa thay đổi văn bản này" in stale.content.decode()


def test_someone_elses_document_is_not_found(outgoing, sign_in):
    document = draft(outgoing)
    client = sign_in("tuphap.ducxuan")
    assert client.get(f"/workspace/documents/outgoing/{document.pk}/").status_code == 404
    assert client.post(f"/workspace/documents/outgoing/{document.pk}/edit_draft/", {}).status_code == 404
    file = document.files.get()
    assert client.get(f"/workspace/documents/outgoing/{document.pk}/files/{file.pk}/").status_code == 404
    own = sign_in("chuyenvien.stp").get(f"/workspace/documents/outgoing/{document.pk}/files/{file.pk}/")
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF-")
