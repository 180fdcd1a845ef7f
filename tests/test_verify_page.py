"""The public verification page (/verify/), in Vietnamese: the link in a result's QR code shows the
issued document itself — its agency, name, number and date, its signatures checked, the PDF in the
page and a download — and nothing for a link that names no issued document."""

import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import result_state
from signing.models import CertificateKind, SignatureRecord
from tests import dossier_scenarios as scenarios
from tests.test_signing_verify import overlay_signature_field, updated

pytestmark = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")
POLITE = "Không thể hiển thị văn bản cho mã này"


@pytest.fixture
def procedure(registered, demo):
    return scenarios.birth_procedure(demo)


def _qr_hash(pdf: bytes) -> str:
    """The hash in the verification link the official's signature printed beside the QR code."""
    text = "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                                  check=True, timeout=60).stdout.decode().split())
    return re.search(r"/verify/\?h=([0-9a-f]{64})", text).group(1)


def _hashes(dossier) -> set[str]:
    """The verification link's hash and the official's signature's input hash: both name the document."""
    official = SignatureRecord.objects.filter(kind=CertificateKind.PERSONAL, dossier_file__dossier=dossier).get()
    pdf = official.dossier_file.file.open("rb").read()
    return {_qr_hash(pdf), official.input_sha256}


def test_the_qr_link_of_an_issued_result_shows_the_document(procedure, demo, client):
    dossier = scenarios.issued(demo, procedure)
    issued = result_state.result_for(dossier)
    for sha256 in _hashes(dossier):
        page = client.get(f"/verify/?h={sha256}").content.decode()
        assert issued.issue_number in page and "Ủy ban nhân dân" in page and "Giấy khai sinh" in page
        assert issued.uploaded_at.astimezone().strftime("%d/%m/%Y") in page
        assert "Cả 2 chữ ký đều hợp lệ và văn bản không bị sửa đổi." in page  # the file as it is now
        assert f'<iframe src="/verify/document/{sha256}/"' in page
        assert f'href="/verify/document/{sha256}/?download=1"' in page and "Tải văn bản (PDF)" in page
        assert POLITE not in page

    sha256 = next(iter(_hashes(dossier)))
    preview = client.get(f"/verify/document/{sha256}/")
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in preview[
        "Content-Security-Policy"]
    assert b"".join(preview.streaming_content) == issued.file.open("rb").read()
    assert client.get(f"/verify/document/{sha256}/?download=1")["Content-Disposition"].startswith("attachment")


def test_a_signed_result_not_issued_yet_is_not_shown(procedure, demo, client):
    dossier = scenarios.signed(demo, procedure)
    for sha256 in _hashes(dossier):
        page = client.get(f"/verify/?h={sha256}").content.decode()
        assert POLITE in page and "<iframe" not in page
        assert client.get(f"/verify/document/{sha256}/").status_code == 404


def test_an_unknown_or_malformed_link_gets_the_same_polite_answer(procedure, demo, client):
    for value in ("0" * 64, "not-a-hash", "A" * 64):
        response = client.get("/verify/", {"h": value})
        assert response.status_code == 200
        assert POLITE in response.content.decode() and "<iframe" not in response.content.decode()
    assert client.get(f"/verify/document/{'0' * 64}/").status_code == 404
    assert client.get("/verify/document/xyz/").status_code == 404


def test_a_tampered_pdf_uploaded_fails_in_vietnamese(procedure, demo, client):
    dossier = scenarios.issued(demo, procedure)
    pdf = result_state.result_for(dossier).file.open("rb").read()
    tampered = updated(pdf, overlay_signature_field)
    page = client.post("/verify/", {"document": SimpleUploadedFile("kq.pdf", tampered)}).content.decode()
    assert "Văn bản đã bị thay đổi sau khi ký" in page and "ĐÃ BỊ THAY ĐỔI" in page
    assert 'class="alert alert-danger"' in page
    # the signer's certificate is named with Vietnamese labels, times as the reader writes them
    assert "Tên: " in page and "Common Name" not in page
    assert re.search(r"\d\d:\d\d:\d\d \d\d/\d\d/\d{4}", page)
    assert 'class="form-control' in page and "<p><label" not in page  # styled like the portal's forms


def test_the_upload_form_says_what_is_missing_in_vietnamese(db, client):
    page = client.post("/verify/", {}).content.decode()
    assert "Vui lòng chọn tệp PDF cần kiểm tra." in page
    assert "Xác thực văn bản ký số" in page and "Kiểm tra tệp PDF" in page
