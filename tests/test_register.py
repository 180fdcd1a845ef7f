"""Sổ theo dõi hồ sơ (Mẫu 07 of Circular 03/2025/TT-VPCP; Mẫu 06 of Circular 01/2018/TT-VPCP before 1
July 2025): entry numbers per one-stop department and year, the officials' page with its scope and
filters, and the Excel and PDF exports in the official layout (decision 0014)."""

import datetime as dt
import io
import re
import subprocess
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import translation

from directory.models import Membership, ServiceCentre
from dossiers import register, services, workflow
from dossiers.models import Channel, Dossier, Outcome, RegisterSequence
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TT03_HEADERS = [
    "Số thứ tự", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại", "Hình thức tiếp nhận", "Nơi tiếp nhận", "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ (ngày, tháng, năm)", "Hẹn trả kết quả (ngày, tháng, năm)",
    "Chuyển hồ sơ đến cơ quan giải quyết (ngày, tháng, năm)", "Nhận kết quả từ cơ quan giải quyết (ngày, tháng, năm)",
    "Trả kết quả cho cá nhân, tổ chức (ngày, tháng, năm)", "Hình thức trả kết quả", "Ghi chú"]
TT01_HEADERS = [h for h in TT03_HEADERS if h not in ("Hình thức tiếp nhận", "Nơi tiếp nhận", "Hình thức trả kết quả")]


def at(year, month, day, hour=8):
    return dt.datetime(year, month, day, hour, tzinfo=VN)


@pytest.fixture
def procedure(demo):
    """The Department of Justice: its specialist examines, its director approves."""
    stp = demo.agencies["STP"]
    procedure = make_procedure(agencies=[stp], code="9.000981", days=3, name="Thủ tục thử sổ theo dõi hồ sơ")
    unit = Membership.objects.get(official=demo.users["chuyenvien.stp"], agency=stp).unit
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=stp)
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", role="specialist", unit=unit,
                               hours=Decimal("7.5"), actions=["forward", "supplement"])
    ProcessStep.objects.create(definition=definition, order=2, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "refuse"])
    publish(definition=definition)
    return procedure


@pytest.fixture
def other_procedure(demo):
    stp = demo.agencies["STP"]
    procedure = make_procedure(agencies=[stp], code="9.000982", days=3, name="Thủ tục thử khác")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=stp)
    ProcessStep.objects.create(definition=definition, order=1, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "refuse"])
    publish(definition=definition)
    return procedure


def submitted(demo, procedure, when, **details) -> Dossier:
    citizen = demo.users["congdan@example.vn"]
    with time_machine.travel(when, tick=False):
        draft = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies["STP"],
                                     channel=details.pop("channel", Channel.ONLINE))
        services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
        papers = list(procedure.current.papers.all())
        services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
        Dossier.objects.filter(pk=draft.pk).update(**details)
        return services.submit(dossier=draft, applicant=citizen)


def received(demo, procedure, when, **details) -> Dossier:
    dossier = submitted(demo, procedure, when, **details)
    with time_machine.travel(when + dt.timedelta(hours=1), tick=False):
        return workflow.accept(dossier=dossier, acting_user=demo.users["motcua.stp"])


@pytest.fixture
def centre(demo):
    return ServiceCentre.objects.create(code="TTPVHCC-SO", name="Trung tâm thử sổ theo dõi", level="province",
                                        agency=demo.agencies["UBND"], administrative_unit=demo.province)


# --- entry numbers -------------------------------------------------------------------------------

def test_entries_run_per_department_and_restart_each_year(demo, procedure, centre):
    first = received(demo, procedure, at(2026, 12, 28))
    second = received(demo, procedure, at(2026, 12, 29))
    at_centre = received(demo, procedure, at(2026, 12, 30), receiving_centre=centre)  # the centre's register
    next_year = received(demo, procedure, at(2027, 1, 4))
    entries = [(d.register_year, d.register_number) for d in (first, second, at_centre, next_year)]
    assert entries == [(2026, 1), (2026, 2), (2026, 1), (2027, 1)]
    assert register.department_id(at_centre) == demo.agencies["UBND"].pk
    # Received late on 31 December in Vietnam (still the 31st in UTC too): the 2026 book.
    late = received(demo, procedure, dt.datetime(2026, 12, 31, 22, tzinfo=VN))
    assert (late.register_year, late.register_number) == (2026, 3)


def test_a_dossier_never_received_has_no_entry(demo, procedure):
    dossier = submitted(demo, procedure, at(2026, 12, 1))
    dossier = workflow.refuse_at_intake(dossier=dossier, acting_user=demo.users["motcua.stp"], reasons="Sai thẩm quyền.")
    assert dossier.register_number is None and not RegisterSequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_never_share_an_entry(demo):
    """Eight threads ask for the next entry at once: eight different numbers, 1 to 8."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (SQLite serialises writers)")
    agency_id = demo.agencies["STP"].pk
    numbers, barrier = [], threading.Barrier(8)

    def take():
        try:
            barrier.wait()
            numbers.append(register._next_entry(agency_id, 2031))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1, 9))
    RegisterSequence.objects.filter(year=2031).delete()


# --- the page ----------------------------------------------------------------------------------

def page(client, **query):
    response = client.get(reverse("office:register"), query, HTTP_ACCEPT_LANGUAGE="vi")
    return response.status_code, response.content.decode()


def test_the_desk_reads_its_department_register_and_not_another(demo, procedure, sign_in):
    dossier = received(demo, procedure, at(2026, 12, 1))
    stp = demo.agencies["STP"].pk
    status, body = page(sign_in("motcua.stp"), start="2026-12-01", end="2026-12-31")
    assert status == 200 and dossier.code in body
    assert "Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)" in body and "Sổ theo dõi hồ sơ" in body
    other_desk = sign_in("motcua.sxd")
    assert page(other_desk, department=stp, start="2026-12-01", end="2026-12-31")[0] == 404
    status, body = page(other_desk, start="2026-12-01", end="2026-12-31")  # their own register only
    assert status == 200 and dossier.code not in body
    assert page(sign_in("chuyenvien.stp"))[0] == 404  # a specialist keeps no department's register
    status, body = page(sign_in("giamdoc.stp"), department=stp, start="2026-12-01", end="2026-12-31")
    assert status == 200 and dossier.code in body  # the director reads the department's register


def test_the_register_is_in_the_officials_menu(demo, sign_in):
    body = sign_in("motcua.stp").get(reverse("office:queue"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert reverse("office:register") in body


def test_filters_by_period_procedure_status_outcome_and_channel(demo, procedure, other_procedure, sign_in):
    in_progress = received(demo, procedure, at(2026, 12, 1))
    at_counter = received(demo, procedure, at(2026, 12, 2), channel=Channel.COUNTER)
    other = received(demo, other_procedure, at(2026, 12, 3))
    with time_machine.travel(at(2026, 12, 3, 14), tick=False):
        other = workflow.refuse(dossier=other, acting_user=demo.users["giamdoc.stp"], reasons="Không đủ điều kiện.")
    last_month = received(demo, procedure, at(2026, 11, 24))
    client = sign_in("motcua.stp")
    december = {"start": "2026-12-01", "end": "2026-12-31"}

    def codes(**query):
        status, body = page(client, **query)
        assert status == 200
        return {d.code for d in (in_progress, at_counter, other, last_month) if d.code in body}

    assert codes(**december) == {in_progress.code, at_counter.code, other.code}
    assert codes(start="2026-11-01", end="2026-11-30") == {last_month.code}
    assert codes(start="2026-12-02", end="2026-12-02") == {at_counter.code}  # both ends of the period count
    assert codes(**december, procedure=other_procedure.pk) == {other.code}
    assert codes(**december, outcome=Outcome.REFUSED) == {other.code}
    assert codes(**december, status="in_progress") == {in_progress.code, at_counter.code}
    assert codes(**december, channel=Channel.COUNTER) == {at_counter.code}
    status, body = page(client, start="2026-12-31", end="2026-12-01")
    assert status == 200 and "Ngày cuối của kỳ không thể trước ngày đầu của kỳ." in body
    assert not codes(start="2026-12-31", end="2026-12-01")


def test_the_page_is_paginated(demo, procedure, sign_in, monkeypatch):
    from dossiers.office import register as view

    monkeypatch.setattr(view, "PAGE_SIZE", 2)
    made = [received(demo, procedure, at(2026, 12, day)) for day in (1, 2, 3)]
    client = sign_in("motcua.stp")
    first = page(client, start="2026-12-01", end="2026-12-31")[1]
    second = page(client, start="2026-12-01", end="2026-12-31", page=2)[1]
    assert made[0].code in first and made[1].code in first and made[2].code not in first
    assert made[2].code in second and made[0].code not in second


# --- exports -----------------------------------------------------------------------------------

def _xlsx(client, **query):
    from openpyxl import load_workbook

    response = client.get(reverse("office:register_xlsx"), query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_excel_export_in_the_official_layout(demo, procedure, sign_in):
    first = received(demo, procedure, at(2026, 12, 1))
    second = received(demo, procedure, at(2026, 12, 2), channel=Channel.COUNTER)
    book = _xlsx(sign_in("motcua.stp"), start="2026-12-01", end="2026-12-31")
    assert book.sheetnames == ["Mẫu 07"]
    sheet = book["Mẫu 07"]
    assert sheet["A1"].value == demo.agencies["STP"].name.upper()
    assert sheet["A2"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A3"].value == "Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)"
    assert sheet["A4"].value == "Từ 01/12/2026 đến 31/12/2026"
    assert [cell.value for cell in sheet[6]] == TT03_HEADERS
    assert [cell.value for cell in sheet[7]] == [f"({n})" for n in range(1, 17)]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=8)]
    assert [row[:2] for row in rows] == [["1", first.code], ["2", second.code]]
    line = dict(zip(TT03_HEADERS, rows[1], strict=True))
    assert line["Tên cá nhân, tổ chức"] == second.applicant_name
    with translation.override("vi"):
        assert line["Hình thức tiếp nhận"] == str(Channel.COUNTER.label)
    assert line["Nơi tiếp nhận"] == demo.agencies["STP"].name
    assert line["Nhận hồ sơ (ngày, tháng, năm)"] == "02/12/2026"
    assert line["Hẹn trả kết quả (ngày, tháng, năm)"] == "07/12/2026"  # Thu, Fri, Mon: the close of Monday
    assert line["Chuyển hồ sơ đến cơ quan giải quyết (ngày, tháng, năm)"] == "02/12/2026"
    assert line["Ghi chú"] == "đang giải quyết"


@pytest.mark.requires_tools("pdftotext")
def test_pdf_export_in_the_official_layout(demo, procedure, sign_in):
    dossier = received(demo, procedure, at(2026, 12, 1))
    response = sign_in("motcua.stp").get(reverse("office:register_pdf"), {"start": "2026-12-01", "end": "2026-12-31"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    text = " ".join(text.split())
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)" in text
    assert dossier.code in re.sub(r"-[\s\u200b]+", "-", text)  # the code may wrap after a dash on paper
    assert "Từ 01/12/2026 đến 31/12/2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_before_1_july_2025_the_circular_01_2018_register(demo, procedure, sign_in):
    june = received(demo, procedure, at(2025, 6, 30))
    july = received(demo, procedure, at(2025, 7, 1))
    client = sign_in("motcua.stp")
    status, body = page(client, start="2025-06-01", end="2025-06-30")
    assert status == 200 and june.code in body and july.code not in body
    assert "Mẫu số 06 (Thông tư số 01/2018/TT-VPCP)" in body and "03/2025" not in body
    book = _xlsx(client, start="2025-06-01", end="2025-06-30")
    assert book.sheetnames == ["Mẫu 06"]
    assert [cell.value for cell in book["Mẫu 06"][6]] == TT01_HEADERS
    # A period across 1 July 2025 has both books, each with its own dossiers.
    both = _xlsx(client, start="2025-06-01", end="2025-07-31")
    assert both.sheetnames == ["Mẫu 06", "Mẫu 07"]
    assert [row[1].value for row in both["Mẫu 06"].iter_rows(min_row=8)] == [june.code]
    assert [row[1].value for row in both["Mẫu 07"].iter_rows(min_row=8)] == [july.code]
    status, body = page(client, start="2025-06-01", end="2025-07-31")
    assert july.code in body and june.code not in body  # the newest book first, the other one tab away
    status, body = page(client, start="2025-06-01", end="2025-07-31", book="tt01-2018")
    assert june.code in body and july.code not in body
