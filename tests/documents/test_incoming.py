"""Registering incoming documents (văn bản đến, Decree 30/2020 art. 20-21): arrival numbers,
classified documents, OCR of scans, e-mails, electronic arrivals and duplicates."""

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTPUTF8
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image, ImageDraw, ImageFont

from documents import incoming
from documents.emails import Upload
from documents.models import Comment, Confidentiality, DocumentFile, FileKind, Source, Status
from documents.selectors import can_read, visible_documents
from egov.text import fold

FONT = "egov/fonts/LiberationSerif-Regular.ttf"


def meta(letter, **extra):
    return {"document_type": letter, "abstract": "Về việc tổ chức hội nghị tổng kết", **extra}


def paper(demo, registers, letter, agency="STP", clerk="vanthu.stp", **extra):
    return incoming.register_paper(agency=demo.agencies[agency], register=registers(agency),
                                   clerk=demo.users[clerk], metadata=meta(letter, **extra), files=[])


def test_arrival_numbers_follow_each_other_without_gaps(demo, registers, letter):
    numbers = [paper(demo, registers, letter).register_number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_a_refused_registration_gives_its_number_back(demo, registers, letter):
    paper(demo, registers, letter)
    with pytest.raises(ValidationError):
        paper(demo, registers, letter, confidentiality=Confidentiality.CONFIDENTIAL)
    assert paper(demo, registers, letter).register_number == 2


def test_arrival_numbers_restart_every_year(demo, registers, letter):
    with time_machine.travel(dt.datetime(2026, 12, 31, 9, tzinfo=dt.UTC), tick=False):
        paper(demo, registers, letter)
        last_of_year = paper(demo, registers, letter)
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC), tick=False):
        first_of_year = paper(demo, registers, letter)
    assert (last_of_year.register_year, last_of_year.register_number) == (2026, 2)
    assert (first_of_year.register_year, first_of_year.register_number) == (2027, 1)


def test_each_register_numbers_on_its_own(demo, registers, letter):
    paper(demo, registers, letter)
    other = paper(demo, registers, letter, agency="01840", clerk="vanthu.ducxuan")
    assert other.register_number == 1


def test_only_the_clerk_registers(demo, registers, letter):
    with pytest.raises(PermissionDenied):
        paper(demo, registers, letter, clerk="chuyenvien.stp")
    with pytest.raises(PermissionDenied):  # the clerk of another agency
        paper(demo, registers, letter, clerk="vanthu.ducxuan")


def test_a_classified_document_in_an_ordinary_register_is_refused_with_the_reason(demo, registers, letter):
    with pytest.raises(ValidationError, match="Sổ đăng ký văn bản mật đến"):
        paper(demo, registers, letter, confidentiality=Confidentiality.SECRET)


def test_a_classified_document_is_never_visible_to_a_specialist_not_involved(demo, registers, letter):
    secret = incoming.register_paper(
        agency=demo.agencies["STP"], register=registers("STP", confidential=True), clerk=demo.users["vanthu.stp"],
        metadata=meta(letter, confidentiality=Confidentiality.CONFIDENTIAL), files=[])
    ordinary = paper(demo, registers, letter)
    assert secret.register_number == 1  # the confidential register keeps its own numbers
    assert can_read(demo.users["vanthu.stp"], secret) and can_read(demo.users["giamdoc.stp"], secret)
    specialist = demo.users["chuyenvien.stp"]
    assert not can_read(specialist, secret)
    assert not visible_documents(specialist).filter(pk=secret.pk).exists()
    assert not can_read(demo.users["vanthu.ducxuan"], ordinary)


def scanned_letter() -> bytes:
    image = Image.new("L", (1700, 500), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 64)
    draw.text((80, 120), "QUYẾT ĐỊNH", font=font, fill=0)
    draw.text((80, 260), "về việc tổ chức hội nghị", font=font, fill=0)
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.requires_tools("tesseract")
def test_ocr_reads_the_vietnamese_words_of_a_scan(demo, registers, letter):
    document = incoming.register_paper(
        agency=demo.agencies["STP"], register=registers("STP"), clerk=demo.users["vanthu.stp"],
        metadata=meta(letter, abstract="Văn bản giấy"), files=[Upload("scan.png", scanned_letter(), "image/png")])
    scan = document.files.get()
    assert scan.kind == FileKind.MAIN
    assert "QUYẾT ĐỊNH" in scan.text and "hội nghị" in scan.text
    assert "quyet dinh" in document.search_text and "hoi nghi" in document.search_text


def test_a_pdf_with_a_text_layer_is_read_without_ocr(demo, registers, letter):
    from dossiers.pdf import html_to_pdf

    pdf = html_to_pdf("<html><body><p>Kế hoạch phòng chống thiên tai năm 2026</p></body></html>")
    document = incoming.register_paper(
        agency=demo.agencies["STP"], register=registers("STP"), clerk=demo.users["vanthu.stp"],
        metadata=meta(letter), files=[Upload("kh.pdf", pdf, "application/pdf")])
    assert "phong chong thien tai" in document.search_text


def test_an_email_is_registered_with_its_attachment(demo, registers, letter):
    message = EmailMessage()
    message["From"] = "Văn phòng UBND tỉnh <vanphong@thainguyen.gov.vn>"
    message["To"] = "stp@thainguyen.gov.vn"
    message["Subject"] = "V/v báo cáo kết quả cải cách hành chính quý IV"
    message.set_content("Kính gửi Sở Tư pháp, đề nghị báo cáo trước ngày 20/12.")
    message.add_attachment(b"%PDF-1.4 not really", maintype="application", subtype="pdf", filename="cong-van.pdf")
    raw = message.as_bytes(policy=SMTPUTF8)  # (the default policy's folding loses a space: CPython's)
    proposal = incoming.email_proposal(raw)
    assert proposal["abstract"] == "V/v báo cáo kết quả cải cách hành chính quý IV"
    document = incoming.register_email(
        agency=demo.agencies["STP"], register=registers("STP"), clerk=demo.users["vanthu.stp"],
        metadata={"document_type": letter}, eml=raw)
    assert document.source == Source.EMAIL and document.status == Status.REGISTERED
    assert document.abstract == "V/v báo cáo kết quả cải cách hành chính quý IV"
    assert document.issuer_name == "Văn phòng UBND tỉnh"
    attachment = document.files.get()
    assert attachment.original_name == "cong-van.pdf" and attachment.file.read() == b"%PDF-1.4 not really"
    assert "bao cao truoc ngay 20 12" in document.search_text


def test_the_same_document_twice_warns_the_clerk(demo, registers, letter):
    first = paper(demo, registers, letter, issuer_name="UBND tỉnh Thái Nguyên", number_symbol="123/UBND-VP",
                  issued_on=dt.date(2026, 11, 30))
    with pytest.raises(incoming.DuplicateFound) as found:
        paper(demo, registers, letter, issuer_name="ubnd tinh thai nguyen", number_symbol="123/UBND - VP",
              issued_on=dt.date(2026, 11, 30))
    assert found.value.existing == first
    copy = incoming.register_paper(
        agency=demo.agencies["STP"], register=registers("STP"), clerk=demo.users["vanthu.stp"],
        metadata=meta(letter, issuer_name="UBND tỉnh Thái Nguyên", number_symbol="123/UBND-VP",
                      issued_on=dt.date(2026, 11, 30)), allow_duplicate=True)
    assert copy.register_number == 2
    assert list(incoming.duplicates_of(copy)) == [first]
    # Another date is another document.
    paper(demo, registers, letter, issuer_name="UBND tỉnh Thái Nguyên", number_symbol="123/UBND-VP",
          issued_on=dt.date(2026, 12, 1))


def arrival(demo, letter, exchange_id="X-1", **extra):
    return incoming.receive_electronic(
        agency=demo.agencies["STP"], metadata=meta(letter, issuer_name="UBND tỉnh Thái Nguyên",
                                                   number_symbol="123/UBND-VP", issued_on=dt.date(2026, 11, 30),
                                                   **extra),
        files=[Upload("cv.pdf", b"%PDF-1.4 x", "application/pdf")], exchange_id=exchange_id)


def test_an_electronic_arrival_waits_for_the_clerk_then_takes_a_number(demo, registers, letter):
    pending = arrival(demo, letter)
    assert pending.status == Status.PENDING and pending.register_number is None
    assert arrival(demo, letter) == pending  # the exchange delivering twice
    with pytest.raises(PermissionDenied):
        incoming.accept(document=pending, clerk=demo.users["chuyenvien.stp"], register=registers("STP"))
    with pytest.raises(incoming.StaleDocument):
        incoming.accept(document=pending, clerk=demo.users["vanthu.stp"], register=registers("STP"),
                        expected_revision=pending.revision + 1)
    accepted = incoming.accept(document=pending, clerk=demo.users["vanthu.stp"], register=registers("STP"),
                               expected_revision=pending.revision)
    assert (accepted.status, accepted.register_number) == (Status.REGISTERED, 1)
    assert DocumentFile.objects.filter(document=accepted).count() == 1


def test_an_electronic_arrival_matching_the_paper_copy_is_flagged_on_acceptance(demo, registers, letter):
    first = paper(demo, registers, letter, issuer_name="UBND tỉnh Thái Nguyên", number_symbol="123/UBND-VP",
                  issued_on=dt.date(2026, 11, 30))
    accepted = incoming.accept(document=arrival(demo, letter), clerk=demo.users["vanthu.stp"],
                               register=registers("STP"))
    assert list(incoming.duplicates_of(accepted)) == [first]
    flag = Comment.objects.get(document=accepted)
    assert str(first.register_number) in flag.text


def test_a_refused_arrival_keeps_the_reason_and_no_number(demo, registers, letter):
    with pytest.raises(ValidationError):
        incoming.refuse(document=arrival(demo, letter), clerk=demo.users["vanthu.stp"], reason=" ")
    refused = incoming.refuse(document=arrival(demo, letter), clerk=demo.users["vanthu.stp"],
                              reason="Gửi nhầm cơ quan")
    assert refused.status == Status.REFUSED and refused.register_number is None
    assert Comment.objects.get(document=refused).text == "Gửi nhầm cơ quan"


def test_a_classified_document_never_arrives_through_the_exchange(demo, letter):
    with pytest.raises(ValidationError):
        arrival(demo, letter, confidentiality=Confidentiality.CONFIDENTIAL)


def test_search_text_is_folded(demo, registers, letter):
    document = paper(demo, registers, letter, issuer_name="Sở Nội vụ")
    assert fold("Sở Nội vụ") in document.search_text


def test_a_registration_that_fails_leaves_no_file_behind(demo, registers, letter, settings, monkeypatch):
    """The first scan is stored, the second fails: the registration is rolled back and the stored
    scan deleted again, so nothing in storage belongs to no document."""
    from tests.test_signing_flow import stored_files

    before, real_save, saved = stored_files(settings), DocumentFile.save, []

    def fail_on_the_second(record, *args, **kwargs):
        saved.append(record)
        if len(saved) == 2:
            raise OSError("disk full")
        return real_save(record, *args, **kwargs)

    monkeypatch.setattr(DocumentFile, "save", fail_on_the_second)
    scans = [Upload(name="trang-1.pdf", content_type="application/pdf", content=b"%PDF-1.4\n%%EOF\n"),
             Upload(name="trang-2.pdf", content_type="application/pdf", content=b"%PDF-1.4\n%%EOF\n")]
    with pytest.raises(OSError):
        incoming.register_paper(agency=demo.agencies["STP"], register=registers("STP"), clerk=demo.users["vanthu.stp"],
                                metadata=meta(letter), files=scans)
    assert stored_files(settings) == before
    assert not DocumentFile.objects.exists()
