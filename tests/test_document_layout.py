"""Official documents as a person sees them (Decree 30/2020/NĐ-CP, Appendix I): the issued result
with its number, date, signatures and seal, and the receipt slip (Mẫu 01), rendered with poppler's
``pdftoppm`` and compared with reference images kept in ``tests/reference/`` — besides what
``pdftotext`` reads from them.

The scenario runs at a fixed moment (Thursday 4 February 2027, 09:00 in Vietnam), so that dates,
the dossier code and the verification link are the same on every run. The comparison is tolerant
(mean absolute difference of grey levels per region, the signing time's seconds may differ):
``UPDATE_REFERENCE=1`` writes the references again from this run, to be looked at before committing.
"""

import datetime as dt
import io
import os
import subprocess
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageChops, ImageStat

from dossiers import results, slips, workflow
from dossiers.models import Slip
from procedures.models import ProcedureVersion
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from signing import placement
from tests.factories import make_procedure, submit_birth
from tests.test_signing import confirm

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MOMENT = dt.datetime(2027, 2, 4, 9, 0, tzinfo=VN)
REFERENCE = Path(__file__).resolve().parent / "reference"
DPI = 60  # small files; enough to see a cut word, a misplaced seal or letter-spaced digits
UPDATE = os.environ.get("UPDATE_REFERENCE") == "1"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(pdf: bytes, page: int = 1) -> Image.Image:
    """Page ``page`` of ``pdf`` in grey levels at ``DPI``, as poppler draws it."""
    out = subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile", "-"],
                         input=pdf, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(out)).convert("L")


def text(pdf: bytes) -> str:
    raw = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(raw.decode().split())


def issued_result(demo):
    """A birth registration approved, signed by the chairman and issued by the clerk, at MOMENT."""
    agency = demo.agencies["01840"]
    procedure = make_procedure(agencies=[agency], days=3, code="9.000501")
    # The catalogue's wording of what the applicant receives, not the document's name.
    ProcedureVersion.objects.filter(procedure=procedure).update(
        result_type="Giấy khai sinh (bản chính) và bản sao Giấy khai sinh (nếu có yêu cầu)")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=agency)
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", role="specialist",
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")], hours=Decimal("7.5"),
                               actions=["forward", "supplement"])
    ProcessStep.objects.create(definition=definition, order=2, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "return", "refuse"])
    publish(definition=definition)
    dossier = submit_birth(demo, procedure)
    dossier = workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"])
    results.prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    dossier = workflow.forward(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    dossier = workflow.approve(dossier=dossier, acting_user=demo.users["chutich.ducxuan"])
    leader, clerk = demo.users["chutich.ducxuan"], demo.users["vanthu.ducxuan"]
    TOTPDevice.objects.get_or_create(user=clerk, confirmed=True, defaults={"name": "Văn thư"})
    results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=confirm(leader))
    issued = results.issue_result(dossier=dossier, acting_user=clerk, confirmation=confirm(clerk, drift=1))
    return dossier, issued


# Regions of an A4 page (fractions of its width and height) compared with the reference: what a
# reader checks first. The verification QR code and link at the bottom are left out (they name the
# hash of the document, which changes with any change of the template).
REGIONS = {
    "heading, number and date": (0.0, 0.0, 1.0, 0.20),
    "title": (0.0, 0.18, 1.0, 0.24),
    "signature block: authority, signature, seal": (0.45, 0.46, 1.0, 0.72),
}
THRESHOLD = 2.5  # mean absolute difference in grey levels (0–255): a shifted or cut line is far above


def compare(image: Image.Image, name: str, regions: dict) -> None:
    """Compare ``image`` with ``tests/reference/<name>.png`` region by region (or write it with
    UPDATE_REFERENCE=1)."""
    path = REFERENCE / f"{name}.png"
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no reference image {path.name}: run with UPDATE_REFERENCE=1 and look at it")
        REFERENCE.mkdir(exist_ok=True)
        image.save(path, optimize=True)
        return
    reference = Image.open(path).convert("L")
    assert reference.size == image.size, "the page is not the reference's size"
    width, height = image.size
    for label, (left, top, right, bottom) in regions.items():
        box = (round(left * width), round(top * height), round(right * width), round(bottom * height))
        diff = ImageStat.Stat(ImageChops.difference(image.crop(box), reference.crop(box))).mean[0]
        assert diff < THRESHOLD, f"{name}: {label} differs from the reference (mean difference {diff:.1f})"


@pytest.fixture
def issued(registered, demo):
    with time_machine.travel(MOMENT, tick=True):
        return issued_result(demo)


@pytest.mark.requires_tools("softhsm2-util", "pdftoppm", "pdftotext")
def test_the_issued_result_reads_its_full_number_and_date(issued):
    _dossier, result = issued
    pdf = result.file.open("rb").read()
    words = text(pdf)
    # Issued on Thursday 4 February 2027: a zero before the day under 10 and the month 2 (Decree 30/2020).
    # The number stands right after "Số:", on its baseline and in its size (the blank is hidden under it).
    _page, _width, _height, boxes = placement.words(pdf, 1, 1)[0]
    label = next(w for w in boxes if w[4] == "Số:")
    number = next(w for w in boxes if w[4] == "01/UBND")
    assert abs(number[3] - label[3]) < 0.5 and abs(number[1] - label[1]) < 0.5
    assert 0 < number[0] - label[2] < 8
    assert "Thái Nguyên, ngày 04 tháng 02 năm 2027" in words
    assert "Thời gian ký: 09:00:0" in words and "ngày 04/02/2027 (GMT+7)" in words  # the signing time, whole
    # The document's name, not the catalogue's wording of what the applicant receives.
    assert "GIẤY KHAI SINH" in words and "BẢN CHÍNH" not in words and "NẾU CÓ YÊU CẦU" not in words
    assert "TM. ỦY BAN NHÂN DÂN" in words and "CHỦ TỊCH" in words and "THỦ TRƯỞNG CƠ QUAN" not in words
    # The signer's full name on its own line under the signature (Decree 30/2020, Appendix I).
    # Twice: after "Ký bởi:" in the signature, and on its own line under it (the reference image shows where).
    assert words.count("Phùng Văn Minh") == 2 and "Ký bởi: Phùng Văn Minh" in words


@pytest.mark.requires_tools("softhsm2-util", "pdftoppm", "pdftotext")
def test_the_issued_result_looks_like_its_reference(issued):
    _dossier, result = issued
    compare(png(result.file.open("rb").read()), "issued-result", REGIONS)


@pytest.mark.requires_tools("softhsm2-util", "pdftoppm")
def test_the_seal_covers_the_left_third_of_the_signers_image(issued):
    """Measured on the page as drawn: red (the seal) reaches about a third into the blue ink of the
    signature (Decree 30/2020, Appendix I: the seal overlaps about one third of the signer's image,
    on the left)."""
    _dossier, result = issued
    page = subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile", "-"],
                          input=result.file.open("rb").read(), capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(page)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    blue, red = [], []
    for y in range(int(height * 0.5), int(height * 0.75)):
        for x in range(int(width * 0.3), width):
            r, g, b = pixels[x, y]
            if b > 120 and r < 90 and g < 110:
                blue.append(x)
            elif r > 150 and g < 90 and b < 90:
                red.append(x)
    assert blue and red
    ink_left, ink_right = min(blue), max(blue)
    covered = (max(red) - ink_left) / (ink_right - ink_left)
    assert 0.25 <= covered <= 0.42, covered
    assert min(red) < ink_left  # the seal starts to the left of the signature


@pytest.mark.requires_tools("softhsm2-util", "pdftoppm", "pdftotext")
def test_the_receipt_shows_its_number_and_unbroken_heading(issued):
    dossier, _result = issued
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    slips.render(receipt.pk)
    receipt.refresh_from_db()
    pdf = receipt.file.open("rb").read()
    words = text(pdf)
    # The first dossier the ward's desk entered in 2027: entry 1 of the 2027 book.
    assert "Số: 01/2027" in words and "……/……" not in words
    raw = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    assert "TỈNH THÁI NGUYÊN" in lines and "PHƯỜNG ĐỨC XUÂN" in lines  # place names never split
    compare(png(pdf), "receipt", {"heading and number": (0.0, 0.0, 1.0, 0.24)})


# --- the rules, one by one ----------------------------------------------------------------------------

@pytest.mark.parametrize(("wording", "title", "summary"), [
    ("Giấy khai sinh (bản chính) và bản sao Giấy khai sinh (nếu có yêu cầu)", "GIẤY KHAI SINH", ""),
    ("Trích lục khai tử (bản chính) và bản sao Trích lục khai tử (nếu có yêu cầu)", "TRÍCH LỤC KHAI TỬ", ""),
    ("Giấy chứng nhận kết hôn (01 bản chính cho mỗi bên)", "GIẤY CHỨNG NHẬN KẾT HÔN", ""),
    ("Bản sao trích lục hộ tịch", "BẢN SAO TRÍCH LỤC HỘ TỊCH", ""),  # a copy is the document itself here
    ("Phiếu lý lịch tư pháp số 1 hoặc Phiếu lý lịch tư pháp số 2", "PHIẾU LÝ LỊCH TƯ PHÁP", ""),
    ("Quyết định về việc hưởng trợ cấp thất nghiệp", "QUYẾT ĐỊNH", "Về việc hưởng trợ cấp thất nghiệp"),
    ("Quyết định chỉnh sửa văn bằng, chứng chỉ", "QUYẾT ĐỊNH", "Về việc chỉnh sửa văn bằng, chứng chỉ"),
    ("Giấy phép xây dựng", "GIẤY PHÉP XÂY DỰNG", ""),
])
def test_the_result_is_titled_with_the_documents_name(wording, title, summary):
    from dossiers.pdf import DocumentName, document_name

    assert document_name(wording) == DocumentName(title=title, summary=summary)


@pytest.mark.parametrize(("name", "line"), [
    ("Ủy ban nhân dân tỉnh Thái Nguyên", "ỦY BAN NHÂN DÂN TỈNH\u00a0THÁI\u00a0NGUYÊN"),
    ("Ủy ban nhân dân phường Đức Xuân", "ỦY BAN NHÂN DÂN PHƯỜNG\u00a0ĐỨC\u00a0XUÂN"),
    ("Trung tâm Phục vụ hành chính công tỉnh Thái Nguyên", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH\u00a0THÁI\u00a0NGUYÊN"),
    ("Sở Tư pháp", "SỞ TƯ PHÁP"),  # no place in the name: wraps between any words
])
def test_a_heading_keeps_the_place_name_on_one_line(name, line):
    from dossiers.pdf import heading_line

    assert heading_line(name) == line


@pytest.mark.parametrize(("day", "text_"), [
    (dt.date(2027, 2, 4), "ngày 04 tháng 02 năm 2027"),  # month 2: a zero
    (dt.date(2027, 3, 15), "ngày 15 tháng 3 năm 2027"),  # month 3: none
    (dt.date(2027, 12, 1), "ngày 01 tháng 12 năm 2027"),
])
def test_the_issued_date_follows_decree_30(day, text_):
    assert placement.date_text(day) == text_
