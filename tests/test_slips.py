"""The slips of the one-stop process (Circular 01/2018/TT-VPCP, Mẫu 01–05) as PDFs: real Vietnamese
text with the bundled font embedded, the dates computed by the working calendar, one line of the
process-control slip per hand-over with its timeliness. Week of 2–6 November 2026, no holiday."""

import datetime as dt
import re
import subprocess
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.utils import translation

from dossiers import services, slips, workflow
from dossiers.models import DossierStep, Outcome, Slip
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN)


def vietnamese_moment(moment: dt.datetime) -> str:
    """What the slip must say, worked out here independently: "09 giờ 00 phút, ngày 05 tháng 11
    năm 2026" (a zero before days under 10 and months 1 and 2, Decree 30/2020)."""
    moment = moment.astimezone(VN)
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d} tháng {month} năm {moment.year}"


def pdf_text(slip: Slip) -> str:
    """Render the slip now and read it back; lines are joined so that wrapped sentences match."""
    slips.render(slip.pk)
    slip.refresh_from_db()
    raw = subprocess.run(["pdftotext", "-layout", slip.file.path, "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(raw.split())


def reading_order_text(slip: Slip) -> str:
    """The text in the order it was laid out: the heading's columns one after the other."""
    raw = subprocess.run(["pdftotext", "-raw", slip.file.path, "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(raw.split())


def pdf_fonts(path: str) -> str:
    return subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files made by these tests go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def procedure(demo):
    """Three working days; the commune's specialist examines, then drafts the result, then the
    chairman approves — one working day (7.5 hours) each."""
    procedure = make_procedure(agencies=[demo.agencies["01840"]], days=3, code="9.000200",
                               name="Thủ tục đăng ký khai sinh (thử nghiệm phiếu)")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    unit = demo.units[("01840", "Tư pháp - Hộ tịch")]
    for order, name, role, actions in [
            (1, "Thẩm định hồ sơ", "specialist", ["forward", "supplement", "pause"]),
            (2, "Dự thảo kết quả", "specialist", ["forward", "return"]),
            (3, "Chủ tịch phê duyệt", "agency_leader", ["approve", "return", "refuse"])]:
        ProcessStep.objects.create(definition=definition, order=order, name=name, role=role,
                                   unit=unit if role == "specialist" else None, hours=Decimal("7.5"),
                                   actions=actions)
    publish(definition=definition)
    return procedure


def submitted(demo, procedure, when=None, applicant="congdan@example.vn"):
    citizen = demo.users[applicant]
    with time_machine.travel(when or at(2, 8), tick=False):
        draft = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies["01840"])
        services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
        papers = list(procedure.current.papers.all())
        services.attach_papers(dossier=draft, user=citizen,
                               uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
        return services.submit(dossier=draft, applicant=citizen)


def accepted(demo, procedure):
    dossier = submitted(demo, procedure)
    with time_machine.travel(at(2, 9), tick=False):
        return workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")])


# --- Mẫu 01 ------------------------------------------------------------------------------------

def test_receipt_states_the_appointment_computed_by_the_calendar(demo, procedure):
    dossier = accepted(demo, procedure)
    assert dossier.due_at == at(5, 17)  # Monday not counted; Tue, Wed, Thu: the close of Thursday
    slip = dossier.slips.get(form=Slip.Form.RECEIPT)
    text = pdf_text(slip)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "Mẫu số 01" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    heading = reading_order_text(slip)  # the authority's name wraps inside its column
    assert "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN ỦY BAN NHÂN DÂN PHƯỜNG ĐỨC XUÂN BỘ PHẬN MỘT CỬA" in heading
    assert dossier.code in text and "Nguyễn Thị Hồng" in text and "Tổ 1, phường Đức Xuân" in text
    assert "0912345678" in text and "Thủ tục đăng ký khai sinh (thử nghiệm phiếu)" in text
    assert "Tờ khai đăng ký khai sinh" in text and "Giấy chứng sinh" in text and "gồm 02 thành phần" in text
    assert "Giấy ủy quyền" not in text  # optional paper not given
    assert f"Thời gian nhận hồ sơ: {vietnamese_moment(dossier.received_at)}" in text
    assert f"Thời gian trả kết quả giải quyết hồ sơ: {vietnamese_moment(dossier.due_at)}" in text
    assert "17 giờ 00 phút, ngày 05 tháng 11 năm 2026" in text
    assert "3 ngày làm việc." in text  # the time limit with its kind
    assert "Thái Nguyên, ngày 02 tháng 11 năm 2026" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Hà Thị Phương" in text  # the desk officer signs


def test_the_bundled_font_is_embedded(demo, procedure):
    slip = accepted(demo, procedure).slips.get(form=Slip.Form.RECEIPT)
    slips.render(slip.pk)
    slip.refresh_from_db()
    listed = pdf_fonts(slip.file.path).splitlines()[2:]
    assert listed, "no font in the PDF"
    # Only the bundled Liberation Serif (under the family name pdf.py gives it, so never a system
    # font), regular and bold and italic, each embedded as a subset ("emb sub uni": yes yes yes).
    names = {line.split()[0].split("+", 1)[1] for line in listed}
    assert names == {"LiberationSerif-Egov", "LiberationSerif-Egov-Bold", "LiberationSerif-Egov-Italic"}
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in listed)


def test_slips_are_in_vietnamese_whatever_the_language_of_the_page(demo, procedure):
    slip = accepted(demo, procedure).slips.get(form=Slip.Form.RECEIPT)
    with translation.override("en"):
        text = pdf_text(slip)
        assert translation.get_language() == "en"
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "giờ" in text


def test_rendering_again_replaces_the_file(demo, procedure, django_capture_on_commit_callbacks):
    slip = accepted(demo, procedure).slips.get(form=Slip.Form.RECEIPT)
    with django_capture_on_commit_callbacks(execute=True):
        slips.render(slip.pk)
    slip.refresh_from_db()
    first = slip.file.name
    with django_capture_on_commit_callbacks(execute=True):
        slips.render(slip.pk)
    slip.refresh_from_db()
    assert slip.file.name != first and default_storage.exists(slip.file.name)
    assert not default_storage.exists(first)  # the previous PDF is gone once the new one is committed
    assert Slip.objects.filter(dossier=slip.dossier, form=Slip.Form.RECEIPT).count() == 1


def test_accepting_renders_the_receipt_after_commit(demo, procedure, django_capture_on_commit_callbacks):
    dossier = submitted(demo, procedure)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(at(2, 9), tick=False):
        workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"])
    slip = dossier.slips.get(form=Slip.Form.RECEIPT)
    assert slip.file.name.endswith(".pdf") and default_storage.exists(slip.file.name)
    with default_storage.open(slip.file.name) as stored:
        assert stored.read(5) == b"%PDF-"


# --- Mẫu 02 and 03 -----------------------------------------------------------------------------

def test_supplement_request_lists_what_is_missing_and_why(demo, procedure):
    dossier = submitted(demo, procedure)
    with time_machine.travel(at(2, 10), tick=False):
        dossier = workflow.request_supplement(
            dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
            missing=["Bản sao giấy chứng sinh có chứng thực", "Giấy xác nhận nơi cư trú của người mẹ"],
            note="Giấy chứng sinh đã nộp bị mờ, không đọc được.")
    text = pdf_text(dossier.slips.get(form=Slip.Form.SUPPLEMENT))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "Mẫu số 02" in text
    assert "1. Bản sao giấy chứng sinh có chứng thực" in text
    assert "2. Giấy xác nhận nơi cư trú của người mẹ" in text
    assert "Lý do: Giấy chứng sinh đã nộp bị mờ, không đọc được." in text
    assert dossier.code in text and "Nguyễn Thị Hồng" in text
    assert "NGƯỜI HƯỚNG DẪN" in text and "Hà Thị Phương" in text
    assert "Thái Nguyên, ngày 02 tháng 11 năm 2026" in text


def test_refusal_at_intake_gives_the_reasons(demo, procedure):
    dossier = submitted(demo, procedure)
    reasons = "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường Đức Xuân."
    with time_machine.travel(at(3, 8), tick=False):
        dossier = workflow.refuse_at_intake(dossier=dossier, acting_user=demo.users["motcua.ducxuan"], reasons=reasons)
    text = pdf_text(dossier.slips.get(form=Slip.Form.REFUSAL))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 03" in text
    assert reasons in text and dossier.code in text and "Nguyễn Thị Hồng" in text
    assert "Thái Nguyên, ngày 03 tháng 11 năm 2026" in text


def test_a_business_is_addressed_as_an_organisation(demo, procedure):
    dossier = submitted(demo, procedure, applicant="doanhnghiep@example.vn")
    dossier = workflow.refuse_at_intake(dossier=dossier, acting_user=demo.users["motcua.ducxuan"], reasons="Sai thẩm quyền.")
    text = pdf_text(dossier.slips.get(form=Slip.Form.REFUSAL))
    assert "Xin thông báo để tổ chức được biết và thực hiện" in text and "Trần Văn Nam" in text
    assert "ông/bà" not in text


# --- Mẫu 04 ------------------------------------------------------------------------------------

def test_apology_is_a_draft_until_the_leader_approves_it(demo, procedure):
    dossier = accepted(demo, procedure)
    new_due = at(9, 16)
    with time_machine.travel(at(5, 10), tick=False):  # less than a working day before the close of Thu 5
        slip = workflow.draft_apology(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"],
                                      reason="Phải xác minh thông tin nơi sinh với cơ sở y tế.", new_due_at=new_due)
    text = pdf_text(slip)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text and "Mẫu số 04 (Thông tư số 03/2025/TT-VPCP)" in text
    assert "(DỰ THẢO)" in text and "(dự thảo)" in text
    assert f"Thời hạn trả kết quả đã hẹn: {vietnamese_moment(dossier.due_at)}" in text
    assert "Lý do quá hạn: Phải xác minh thông tin nơi sinh với cơ sở y tế." in text
    assert f"hẹn trả kết quả vào: {vietnamese_moment(new_due)}" in text
    assert "16 giờ 00 phút, ngày 09 tháng 11 năm 2026" in text
    assert "Phùng Văn Minh" not in text

    with time_machine.travel(at(5, 11), tick=False):
        workflow.approve_apology(slip=slip, acting_user=demo.users["chutich.ducxuan"])
    text = pdf_text(slip)
    assert "DỰ THẢO" not in text and "dự thảo" not in text
    assert "CHỦ TỊCH" in text and "Phùng Văn Minh" in text
    assert "Kính gửi: Ông/Bà Nguyễn Thị Hồng" in text


# --- the process-control slip (Mẫu 05, Mẫu 06 since Circular 03/2025) ------------------------------------------------------------------------------------

RESULT_LABEL = re.compile(r"Trước hạn|Đúng hạn|Quá hạn|Đang xử lý")


def test_control_slip_has_a_line_per_hand_over_with_its_timeliness(demo, procedure):
    users = demo.users
    dossier = accepted(demo, procedure)
    with time_machine.travel(at(2, 15), tick=False):  # due Tuesday 09:00, handed on Monday: early
        dossier = workflow.forward(dossier=dossier, acting_user=users["tuphap.ducxuan"], note="Hồ sơ hợp lệ")
    second = dossier.current_step
    with time_machine.travel(at(2, 16), tick=False):
        text = pdf_text(slips.control_slip(dossier, users["motcua.ducxuan"]))
    # The desk to the first step (taken in before its intake time limit), the first step on, the second in hand.
    assert RESULT_LABEL.findall(text) == ["Trước hạn", "Trước hạn", "Đang xử lý"]

    DossierStep.objects.filter(pk=second.pk).update(due_at=at(2, 16))  # the second step falls behind
    with time_machine.travel(at(3, 10), tick=False):
        dossier = workflow.forward(dossier=dossier, acting_user=users["tuphap.ducxuan"])
    third = dossier.current_step
    assert third.due_at == at(4, 10)
    with time_machine.travel(at(4, 9), tick=False):  # on the step's due day, before its time: on time
        dossier = workflow.approve(dossier=dossier, acting_user=users["chutich.ducxuan"])
    assert dossier.outcome == Outcome.EARLY  # the dossier itself was due on Thursday

    with time_machine.travel(at(4, 11), tick=False):
        slip = slips.control_slip(dossier, users["motcua.ducxuan"])
    text = pdf_text(slip)
    lines = list(dossier.steps.order_by("received_at", "id"))
    expected = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
    assert [line.timeliness for line in lines] == ["early", "late", "on_time"]
    assert RESULT_LABEL.findall(text) == ["Trước hạn"] + [expected[line.timeliness] for line in lines]
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 06" in text  # Circular 03/2025 numbering
    assert dossier.code in text and "Nguyễn Thị Hồng" in text
    assert f"Thời gian nhận hồ sơ: {vietnamese_moment(dossier.received_at)}" in text
    assert f"Thời hạn trả kết quả: {vietnamese_moment(dossier.due_at)}" in text
    assert "Kết quả giải quyết hồ sơ: đã giải quyết, trả kết quả trước hạn" in text

    # Hand-over by hand-over, in the order the table was laid out: who gave it, when, and how the
    # period that ended went. The desk gave it to the first step when it took it in.
    ordered = reading_order_text(slip)
    assert "STT Giao, nhận hồ sơ (bên giao → bên nhận) Thời gian giao, nhận Người giao Người nhận Kết quả Ghi chú" in ordered
    names = ["Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Dự thảo kết quả", "Chủ tịch phê duyệt"]
    starts = [ordered.index(name) for name in names]
    assert starts == sorted(starts)
    rows = [ordered[start:end] for start, end in zip(starts, [*starts[1:], len(ordered)], strict=True)]
    received = lines[0].received_at.astimezone(VN)
    assert "Hà Thị Phương" in rows[0] and f"{received:%H:%M} {received:%d/%m/%Y}" in rows[0]
    for row, line, official in zip(rows[1:], lines, ["Nông Văn Khánh", "Nông Văn Khánh", "Phùng Văn Minh"],
                                   strict=True):
        assert official in row
        assert RESULT_LABEL.findall(row) == [expected[line.timeliness]]
        handed = line.handed_at.astimezone(VN)
        assert f"{handed:%H:%M} {handed:%d/%m/%Y}" in row
    assert "15:00 02/11/2026" in rows[1]  # handed on Monday afternoon
    assert "Hồ sơ hợp lệ" in rows[1]  # the examiner's note travels with the hand-over
    assert "Bộ phận Một cửa" in rows[3]  # the approved result goes back to the desk
    # The one control slip of the dossier was brought up to date, not duplicated.
    assert dossier.slips.filter(form=Slip.Form.CONTROL).count() == 1


def test_control_slip_is_refused_to_whoever_cannot_see_the_dossier(demo, procedure):
    dossier = accepted(demo, procedure)
    with pytest.raises(PermissionDenied):
        slips.control_slip(dossier, demo.users["giamdoc.sxd"])
    assert not dossier.slips.filter(form=Slip.Form.CONTROL).exists()


def test_context_is_built_in_vietnam_time(demo, procedure):
    dossier = accepted(demo, procedure)
    context = slips.context_for(dossier.slips.get(form=Slip.Form.RECEIPT))
    assert context["title"] == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    assert context["appointment_text"] == "17 giờ 00 phút, ngày 05 tháng 11 năm 2026"
    assert context["heading"]["parent"] == "ỦY BAN NHÂN DÂN TỈNH\u00a0THÁI\u00a0NGUYÊN"  # the place kept whole
