"""Every slip of both form sets, field by field (decision 0014): a dossier submitted and received on
30 June 2025 keeps the Circular 01/2018/TT-VPCP slips for its whole life; one of December 2026 gets
the Circular 03/2025/TT-VPCP set, and nothing rendered for it cites Decree 61/2018 or Circular
01/2018. A dossier refused after examination gets a written notice with the reasons, and the
leader's internal remark at approval is on no slip.

The Department of Justice's desk takes the dossiers in; its specialist examines (7.5 working hours),
its director approves (7.5 working hours); three working days in all."""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from directory.models import Membership, ReceptionPoint, ServiceCentre
from dossiers import services, slips, workflow
from dossiers.models import Dossier, ReturnMethod, Slip
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file
from tests.test_slips import pdf_text, reading_order_text

pytestmark = pytest.mark.requires_tools("pdftotext")
VN = ZoneInfo("Asia/Ho_Chi_Minh")
REPEALED = ("61/2018", "107/2021", "01/2018", "tiếp nhận và trả kết quả")
INTERNAL = "Lưu ý nội bộ: đối chiếu lại chữ ký của người yêu cầu"
REFUSAL_REASONS = "Người yêu cầu không thuộc trường hợp được cấp theo quy định."


def vn(moment: dt.datetime) -> str:
    """"09 giờ 00 phút, ngày 30 tháng 6 năm 2025", worked out here independently of dossiers.pdf."""
    moment = moment.astimezone(VN)
    month = f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d} tháng {month} năm {moment.year}"


@pytest.fixture
def people(demo):
    return {"desk": demo.users["motcua.stp"], "specialist": demo.users["chuyenvien.stp"],
            "director": demo.users["giamdoc.stp"], "citizen": demo.users["congdan@example.vn"]}


@pytest.fixture
def procedure(demo, people):
    stp = demo.agencies["STP"]
    procedure = make_procedure(agencies=[stp], code="9.000971", days=3, name="Cấp bản sao trích lục hộ tịch (thử nghiệm)")
    unit = Membership.objects.get(official=people["specialist"], agency=stp).unit
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=stp)
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định hồ sơ", role="specialist", unit=unit,
                               hours=Decimal("7.5"), actions=["forward", "supplement", "pause", "propose_refusal"])
    ProcessStep.objects.create(definition=definition, order=2, name="Giám đốc phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "return", "refuse"])
    publish(definition=definition)
    return procedure


@pytest.fixture
def centre(demo):
    centre = ServiceCentre.objects.create(
        code="TTPVHCC-THU", name="Trung tâm Phục vụ hành chính công tỉnh (thử nghiệm)", level="province",
        agency=demo.agencies["UBND"], administrative_unit=demo.province, address="Số 1 đường Thử Nghiệm")
    ReceptionPoint.objects.create(centre=centre, name="Điểm tiếp nhận số 2 (thử nghiệm)", address="Số 2 phố Thử Nghiệm")
    return centre


def submitted(demo, procedure, people, when, **details) -> Dossier:
    citizen = people["citizen"]
    with time_machine.travel(when, tick=False):
        draft = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies["STP"])
        services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
        papers = list(procedure.current.papers.all())
        services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
        Dossier.objects.filter(pk=draft.pk).update(**details)  # as the counter or the portal records them
        return services.submit(dossier=draft, applicant=citizen)


def accepted(demo, procedure, people, when, **details) -> Dossier:
    dossier = submitted(demo, procedure, people, when, **details)
    with time_machine.travel(when + dt.timedelta(hours=1), tick=False):
        return workflow.accept(dossier=dossier, acting_user=people["desk"])


def life(demo, procedure, people, monday: dt.date, **details) -> dict[str, Slip]:
    """One dossier's life from Monday 08:00: received at 09:00, due Thursday 17:00 (Tuesday,
    Wednesday, Thursday); an apology with a new appointment on Thursday; approved on Thursday with
    an internal remark; the result handed over at the desk on Friday. A second dossier is refused
    at intake, a third refused by the director after examination."""
    start = dt.datetime.combine(monday, dt.time(8), tzinfo=VN)
    day = dt.timedelta(days=1)
    dossier = accepted(demo, procedure, people, start, **details)
    with time_machine.travel(start + day + dt.timedelta(hours=2), tick=False):  # Tuesday 10:00
        dossier = workflow.forward(dossier=dossier, acting_user=people["specialist"], note="Hồ sơ đủ điều kiện")
    with time_machine.travel(start + 3 * day + dt.timedelta(hours=2), tick=False):  # Thursday 10:00
        apology = workflow.draft_apology(dossier=dossier, acting_user=people["desk"],
                                         reason="Phải xác minh thông tin với cơ quan đăng ký trước đây.",
                                         new_due_at=start + 4 * day + dt.timedelta(hours=8))  # Friday 16:00
    with time_machine.travel(start + 3 * day + dt.timedelta(hours=3), tick=False):
        workflow.approve_apology(slip=apology, acting_user=people["director"])
    with time_machine.travel(start + 3 * day + dt.timedelta(hours=4), tick=False):  # Thursday 12:00
        dossier = workflow.approve(dossier=dossier, acting_user=people["director"], note=INTERNAL)
    with time_machine.travel(start + 4 * day + dt.timedelta(hours=1), tick=False):  # Friday 09:00
        dossier = workflow.return_result(dossier=dossier, acting_user=people["desk"], at_counter=True)
        control = slips.control_slip(dossier, people["desk"])

    other = submitted(demo, procedure, people, start + dt.timedelta(hours=2))
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        other = workflow.request_supplement(dossier=other, acting_user=people["desk"],
                                            missing=["Bản sao giấy tờ chứng minh quan hệ"], note="Thiếu giấy tờ.")
    with time_machine.travel(start + dt.timedelta(hours=4), tick=False):
        third = submitted(demo, procedure, people, start + dt.timedelta(hours=3, minutes=30))
        third = workflow.refuse_at_intake(dossier=third, acting_user=people["desk"],
                                          reasons="Thủ tục không thuộc thẩm quyền của Sở Tư pháp.")
    refused = accepted(demo, procedure, people, start + dt.timedelta(hours=1))
    with time_machine.travel(start + day + dt.timedelta(hours=3), tick=False):
        refused = workflow.forward(dossier=refused, acting_user=people["specialist"])
    with time_machine.travel(start + day + dt.timedelta(hours=4), tick=False):
        refused = workflow.refuse(dossier=refused, acting_user=people["director"], reasons=REFUSAL_REASONS)
    return {"receipt": dossier.slips.get(form=Slip.Form.RECEIPT), "apology": apology, "control": control,
            "supplement": other.slips.get(form=Slip.Form.SUPPLEMENT), "refusal": third.slips.get(form=Slip.Form.REFUSAL),
            "notice": refused.slips.get(form=Slip.Form.NOTICE)}


def unfilled(text: str) -> list[str]:
    """Dotted blanks left in a slip, apart from a letter's number, which the clerk gives at issuance."""
    return re.findall(r"…+", text.replace("Số: ……/……", ""))


def test_a_dossier_of_30_june_2025_keeps_the_circular_01_2018_slips(demo, procedure, people):
    made = life(demo, procedure, people, dt.date(2025, 6, 30))
    dossier = made["receipt"].dossier
    assert dossier.form_set.code == "tt01-2018"
    assert (dossier.register_year, dossier.register_number) == (2025, 1)
    texts = {name: pdf_text(slip) for name, slip in made.items()}
    numbers = {"receipt": "01", "supplement": "02", "refusal": "03", "apology": "04", "control": "05"}
    for name, number in numbers.items():
        assert f"Mẫu số {number} (Thông tư số 01/2018/TT-VPCP)" in texts[name], name
        assert "03/2025" not in texts[name] and "118/2025" not in texts[name], name
        assert not unfilled(texts[name]), (name, unfilled(texts[name]))
    assert not [name for name, text in texts.items() if INTERNAL in text]  # the leader's remark stays internal

    receipt = texts["receipt"]
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in reading_order_text(made["receipt"])  # the heading's column
    assert f"Bộ phận tiếp nhận và trả kết quả – {demo.agencies['STP'].name}" in receipt
    assert dossier.code in receipt and dossier.applicant_name in receipt and dossier.applicant_phone in receipt
    assert f"Thời gian nhận hồ sơ: {vn(dossier.received_at)}" in receipt
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 03 tháng 7 năm 2025" in receipt
    assert "Vào Sổ theo dõi hồ sơ, Quyển số: 2025, Số thứ tự: 1." in receipt
    assert "Hình thức tiếp nhận" not in receipt and "Phí, lệ phí" not in receipt  # not fields of Circular 01/2018

    apology = texts["apology"]
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology and "gia hạn" not in apology
    assert "hẹn trả kết quả vào: 16 giờ 00 phút, ngày 04 tháng 7 năm 2025" in apology
    assert "GIÁM ĐỐC" in apology and people["director"].get_full_name() in apology

    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in texts["control"]
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in texts["supplement"]
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in texts["refusal"]
    # The notice of refusal after examination has no form number; it is worded for the old basis too.
    notice = texts["notice"]
    assert "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in notice and REFUSAL_REASONS in notice and "Mẫu số" not in notice


def test_a_dossier_of_today_gets_the_circular_03_2025_set_with_every_field_filled(demo, procedure, people, centre):
    point = centre.points.get()
    made = life(demo, procedure, people, dt.date(2026, 11, 30), receiving_centre=centre, reception_point=point,
                representative_name="Lê Văn Tín", representative_id_number="019088001234",
                representative_phone="0987000111", authorisation="Giấy ủy quyền số 12/2026 ngày 20/11/2026",
                return_method=ReturnMethod.POST)
    dossier = made["receipt"].dossier
    assert dossier.form_set.code == "tt03-2025"
    # The centre's agency keeps the register entry (its department received it).
    assert (dossier.register_year, dossier.register_number) == (2026, 1)
    texts = {name: pdf_text(slip) for name, slip in made.items()}
    numbers = {"receipt": "01", "supplement": "02", "refusal": "03", "apology": "04", "control": "06"}
    for name, number in numbers.items():
        assert f"Mẫu số {number} (Thông tư số 03/2025/TT-VPCP)" in texts[name], name
    for name, text in texts.items():
        assert not [cited for cited in REPEALED if cited in text.lower() or cited in text], name
        assert not unfilled(text), (name, unfilled(text))
        assert INTERNAL not in text, name  # the leader's remark at approval is internal

    receipt = texts["receipt"]
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH (THỬ NGHIỆM)" in reading_order_text(made["receipt"])
    assert ("Nơi tiếp nhận: Trung tâm Phục vụ hành chính công tỉnh (thử nghiệm) – Điểm tiếp nhận số 2 (thử nghiệm), "
            "Số 2 phố Thử Nghiệm") in receipt
    assert "Hình thức tiếp nhận: Trực tuyến trên Cổng Dịch vụ công quốc gia" in receipt
    assert dossier.code in receipt and dossier.applicant_name in receipt and dossier.applicant_address in receipt
    assert f"Số định danh cá nhân: {dossier.applicant_id_number}" in receipt
    assert "Người được ủy quyền: Lê Văn Tín; số định danh cá nhân: 019088001234; số điện thoại: 0987000111" in receipt
    assert "Văn bản ủy quyền: Giấy ủy quyền số 12/2026 ngày 20/11/2026" in receipt
    assert f"Thời gian nhận hồ sơ: {vn(dossier.received_at)}" in receipt
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 03 tháng 12 năm 2026" in receipt
    assert ("Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính công ích, gửi đến địa chỉ: "
            f"{dossier.applicant_address}") in receipt
    assert "7. Phí, lệ phí: 16.000 đồng." in receipt  # two copies at 8,000 VND
    assert "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 1." in receipt
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in receipt and people["desk"].get_full_name() in receipt

    apology = texts["apology"]
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in apology
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ, hẹn trả kết quả vào: 16 giờ 00 phút, ngày 04 tháng 12 năm 2026" in apology
    assert "Việc gia hạn: đã được giám đốc Sở Tư pháp phê duyệt lúc 11 giờ 00 phút, ngày 03 tháng 12 năm 2026" in apology

    control = reading_order_text(made["control"])  # cell by cell, as the table was laid out
    for step in ("Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Giám đốc phê duyệt", "Trả kết quả giải quyết hồ sơ"):
        assert step in control
    assert "Hồ sơ đủ điều kiện" in control and "Trả kết quả tại Bộ phận Một cửa" not in control
    assert "Trả kết quả qua dịch vụ bưu chính công ích" in control  # the way the applicant chose
    assert "Lê Văn Tín" in control.split("Trả kết quả giải quyết hồ sơ")[1]  # the result went to the representative

    notice = texts["notice"]
    assert "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in notice and REFUSAL_REASONS in notice
    assert "GIÁM ĐỐC" in notice and people["director"].get_full_name() in notice
    assert "Qua xem xét, hồ sơ không đủ điều kiện giải quyết." in notice


def test_the_refusal_notice_reaches_the_applicant_with_the_reasons(demo, procedure, people, sign_in):
    start = dt.datetime(2026, 11, 30, 8, tzinfo=VN)
    dossier = accepted(demo, procedure, people, start)
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        dossier = workflow.forward(dossier=dossier, acting_user=people["specialist"])
        dossier = workflow.refuse(dossier=dossier, acting_user=people["director"], reasons=REFUSAL_REASONS)
    notice = dossier.slips.get(form=Slip.Form.NOTICE)
    slips.render(notice.pk)
    assert dossier.events.last().applicant_note == REFUSAL_REASONS
    client = sign_in("congdan@example.vn")
    page = client.get(reverse("dossiers:detail", args=[dossier.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert reverse("dossiers:slip", args=[notice.pk]) in page and "thông báo từ chối giải quyết hồ sơ" in page
    response = client.get(reverse("dossiers:slip", args=[notice.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    # Signed by the director of a department led by its head: "GIÁM ĐỐC", never a placeholder.
    text = pdf_text(notice)
    assert "GIÁM ĐỐC" in text and "THỦ TRƯỞNG CƠ QUAN" not in text.upper()
