"""The demo's incoming documents at Đức Xuân: one waiting for direction, one pending from the
exchange, each with its letter as a PDF; loading twice adds nothing."""

from documents.demo import load_demo_documents
from documents.models import Document, Status


def test_the_demo_has_two_incoming_documents_at_duc_xuan(demo):
    load_demo_documents(demo)
    load_demo_documents(demo)
    documents = Document.objects.filter(agency=demo.agencies["01840"]).order_by("status")
    assert [d.status for d in documents] == [Status.PENDING, Status.REGISTERED]
    for document in documents:
        scan = document.files.get()
        assert scan.file.read(5) == b"%PDF-"
        assert "uy ban nhan dan phuong duc xuan" in document.search_text  # the letter's own text
    assert documents.get(status=Status.REGISTERED).register_number == 1
