"""A paper is what its content says, not what its name or first bytes claim: a "%PDF-" prefix in
front of an HTML page is refused, and a file is always downloaded under a name ending with the
extension of the type its content was found to be."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import services
from dossiers.models import DossierFile
from dossiers.uploads import inspect, named_as
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

POLYGLOT = b"%PDF-1.4\n<html><body><script>document.location='https://evil.example/'</script></body></html>\n"


@pytest.fixture
def draft(demo):
    procedure = make_procedure(agencies=[demo.agencies["01840"]], code="9.000600")
    citizen = demo.users["congdan@example.vn"]
    dossier = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies["01840"])
    services.save_draft(dossier=dossier, applicant=citizen, form_values=BIRTH_VALUES)
    return dossier


def _attach(draft, upload, paper=0):
    papers = list(draft.procedure_version.papers.all())
    return services.attach_papers(dossier=draft, user=draft.applicant, uploads={papers[paper].pk: upload})[0]


@pytest.mark.parametrize("body", [
    POLYGLOT,
    POLYGLOT + b"1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",  # with the PDF structure bolted on
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n<!DOCTYPE html><p>hi</p>",
    b"%PDF-\n<svg onload=alert(1)>",  # no version, no objects
    b"%PDF-1.4\n1 0 obj<<>>endobj\n",  # cut off before its end-of-file marker
])
def test_a_pdf_prefix_in_front_of_something_else_is_refused(draft, body):
    with pytest.raises(ValidationError, match="kiểm tra nội dung"):
        _attach(draft, SimpleUploadedFile("to-khai.html", body, content_type="application/pdf"))
    assert not DossierFile.objects.filter(dossier=draft).exists()


def test_a_real_pdf_named_html_is_kept_and_downloaded_as_pdf(draft, sign_in):
    record = _attach(draft, pdf_file("to-khai.html"))
    assert record.original_name == "to-khai.pdf" and record.content_type == "application/pdf"
    response = sign_in("congdan@example.vn").get(f"/dossiers/files/{record.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="to-khai.pdf"' in response["Content-Disposition"]


def test_a_file_stored_under_a_misleading_name_is_still_served_with_its_type(draft, sign_in):
    record = _attach(draft, pdf_file())
    DossierFile.objects.filter(pk=record.pk).update(original_name="giay-to.html")  # stored before the fix
    response = sign_in("congdan@example.vn").get(f"/dossiers/files/{record.pk}/")
    assert 'filename="giay-to.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(("name", "kind", "served"), [
    ("to-khai.html", "pdf", "to-khai.pdf"),
    ("giay chung sinh", "png", "giay chung sinh.png"),
    ("anh.pdf", "png", "anh.png"),
    ("anh.JPEG", "jpeg", "anh.JPEG"),
    ("anh.jpeg.exe", "jpeg", "anh.jpeg.jpg"),
    (".pdf", "pdf", "tep.pdf"),
    ("", "docx", "tep.docx"),
])
def test_the_name_ends_with_the_real_type(name, kind, served):
    assert named_as(name, kind) == served


def test_a_png_named_pdf_is_stored_as_png(draft):
    upload = png_file("giay-chung-sinh.pdf")
    kind, _digest = inspect(upload, accepted=["pdf", "png"], max_size_mb=2)
    assert kind == "png" and upload.name == "giay-chung-sinh.png"
