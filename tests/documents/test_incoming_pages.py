"""The incoming documents' pages: the register's tabs, registering, the document's page with
exactly the offered actions, the actions posted with the revision, files served to readers only."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import incoming
from documents.models import Document, Status
from dossiers.pdf import html_to_pdf

LETTER = "<html><body><p>UBND TỈNH THÁI NGUYÊN</p><p>Về việc kiểm tra công tác văn thư</p></body></html>"


@pytest.fixture
def pdf():
    return html_to_pdf(LETTER)


def register_by_page(client, registers, letter, pdf, **extra):
    data = {"source": "paper", "register": registers("STP").pk, "document_type": letter.pk,
            "number_symbol": "88/UBND-VP", "issued_on": "2026-12-01", "issuer_name": "UBND tỉnh Thái Nguyên",
            "abstract": "Về việc kiểm tra công tác văn thư", "urgency": "normal", "confidentiality": "normal",
            "files": SimpleUploadedFile("cv.pdf", pdf, "application/pdf"), **extra}
    return client.post("/workspace/documents/incoming/register/", data)


def test_the_clerk_registers_and_the_leader_directs_from_the_pages(demo, sign_in, registers, letter, pdf):
    clerk = sign_in("vanthu.stp")
    response = register_by_page(clerk, registers, letter, pdf)
    assert response.status_code == 302
    document = Document.objects.get(number_symbol="88/UBND-VP")
    assert document.register_number == 1 and "kiem tra cong tac van thu" in document.search_text

    listing = clerk.get("/workspace/documents/incoming/?tab=registered").content.decode()
    assert "88/UBND-VP" in listing and "Chờ phân xử lý" in listing

    again = register_by_page(clerk, registers, letter, pdf)
    assert again.status_code == 200 and 'id="duplicate-warning"' in again.content.decode()
    assert Document.objects.count() == 1

    page = clerk.get(f"/workspace/documents/incoming/{document.pk}/").content.decode()
    assert f"incoming/{document.pk}/edit/" in page and "/direct/" not in page
    file_id = document.files.get().pk
    served = clerk.get(f"/workspace/documents/incoming/files/{file_id}/")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"

    leader = sign_in("giamdoc.stp")
    page = leader.get(f"/workspace/documents/incoming/{document.pk}/").content.decode()
    assert f"incoming/{document.pk}/direct/" in page and "/edit/" not in page
    unit = demo.units[("STP", "Phòng Hành chính tư pháp")]
    post = {"direct-revision": document.revision, "direct-main": f"u:{unit.pk}", "direct-due_on": "2026-12-18",
            "direct-note": "Phòng HCTP chủ trì"}
    stale = leader.post(f"/workspace/documents/incoming/{document.pk}/direct/",
                        {**post, "direct-revision": document.revision + 1}, follow=True)
    assert "Reload" in stale.content.decode() or "tải lại" in stale.content.decode()
    assert Document.objects.get(pk=document.pk).status == Status.REGISTERED
    leader.post(f"/workspace/documents/incoming/{document.pk}/direct/", post)
    assert Document.objects.get(pk=document.pk).status == Status.IN_HANDLING

    head = sign_in("truongphong.stp")
    mine = head.get("/workspace/documents/incoming/?tab=mine").content.decode()
    assert "88/UBND-VP" in mine
    page = head.get(f"/workspace/documents/incoming/{document.pk}/").content.decode()
    assert f"incoming/{document.pk}/reassign/" in page


def test_other_agencies_see_neither_the_page_nor_the_files(demo, sign_in, registers, letter, pdf):
    document = incoming.register_paper(
        agency=demo.agencies["STP"], register=registers("STP"), clerk=demo.users["vanthu.stp"],
        metadata={"document_type": letter, "abstract": "Nội bộ", "issued_on": dt.date(2026, 12, 1)},
        files=[SimpleUploadedFile("cv.pdf", pdf, "application/pdf")])
    outsider = sign_in("vanthu.ducxuan")
    assert outsider.get(f"/workspace/documents/incoming/{document.pk}/").status_code == 404
    assert outsider.get(f"/workspace/documents/incoming/files/{document.files.get().pk}/").status_code == 404
    assert outsider.post(f"/workspace/documents/incoming/{document.pk}/edit/", {}).status_code == 404
    assert "Nội bộ" not in outsider.get("/workspace/documents/incoming/?tab=registered").content.decode()


def test_a_pending_arrival_is_accepted_from_its_page(demo, sign_in, registers, letter):
    pending = incoming.receive_electronic(agency=demo.agencies["STP"], files=[], exchange_id="P-1",
                                          metadata={"document_type": letter, "abstract": "Qua trục"})
    clerk = sign_in("vanthu.stp")
    assert "Chờ tiếp nhận" in clerk.get("/workspace/documents/incoming/").content.decode()
    clerk.post(f"/workspace/documents/incoming/{pending.pk}/accept/",
               {"accept-revision": pending.revision, "accept-register": registers("STP").pk})
    assert Document.objects.get(pk=pending.pk).register_number == 1
