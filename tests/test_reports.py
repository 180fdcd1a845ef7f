"""Statistics of dossier settlement (báo cáo tình hình giải quyết TTHC): every column at its edges,
scoping by the reader, Excel and PDF equal to the page, and a bounded number of queries."""

import datetime as dt
import io
import subprocess
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dossiers.models import Dossier, DossierEvent
from procedures.models import ProcedureField, ProcedureVersion
from reports.periods import Period
from reports.queries import COUNT_KEYS, Grouping, settlement_report
from tests.factories import make_procedure

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = Period.quarter(2026, 1)  # 01/01/2026 – 31/03/2026, local days
QUERY = "period=quarter&year=2026&quarter=1"
_codes = count(1)


def local(year, month, day, hour=0, minute=0, second=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=VN)


def dossier(world, *, agency="STP", unit=None, procedure="civil", channel="online", status="in_progress",
            submitted=None, received=None, due=None, result=None, finished=None, outcome="", stopped=None):
    return Dossier(
        code=f"RPT-{next(_codes):05d}", procedure_version=world["versions"][procedure],
        agency=world["agencies"][agency], unit=unit, applicant=world["citizen"], applicant_name="Nguyễn Thị Hồng",
        status=status, channel=channel, submitted_at=submitted or received or finished, received_at=received,
        due_at=due, result_ready_at=result, finished_at=finished, outcome=outcome, clock_stopped_at=stopped)


@pytest.fixture
def world(demo):
    stp, sxd = demo.agencies["STP"], demo.agencies["SXD"]
    civil = make_procedure(agencies=[stp], code="9.100001", name="Chứng thực bản sao từ bản chính")
    building = make_procedure(agencies=[sxd], code="9.100002", name="Cấp giấy phép xây dựng")
    construction, _ = ProcedureField.objects.get_or_create(code="xay_dung", defaults={"name": "Xây dựng"})
    ProcedureVersion.objects.filter(pk=building.current_id).update(field=construction)  # a published version is frozen
    return {"agencies": {"STP": stp, "SXD": sxd}, "citizen": demo.users["congdan@example.vn"],
            "versions": {"civil": civil.current, "building": ProcedureVersion.objects.get(pk=building.current_id)},
            "unit": demo.units[("STP", "Phòng Hành chính tư pháp")]}


@pytest.fixture
def scenario(world):
    """The dossiers of the first quarter of 2026 at Sở Tư pháp and Sở Xây dựng, each at an edge."""
    unit = world["unit"]
    d = {
        # Received the day before the period, settled early inside it: carried over, settled early.
        "A": dossier(world, channel="counter", status="completed", received=local(2025, 12, 31, 10), unit=unit,
                     due=local(2026, 1, 10, 17), result=local(2026, 1, 5, 9), finished=local(2026, 1, 6, 9),
                     outcome="early"),
        # Settled on the last evening of the period, late.
        "B": dossier(world, status="result_ready", received=local(2026, 3, 20, 8), due=local(2026, 3, 31, 17),
                     result=local(2026, 3, 31, 23, 59, 59), outcome="late", unit=unit),
        # Result ready exactly when the period closes: still in progress at the end; due exactly then: within time.
        "C": dossier(world, channel="counter", status="result_ready", received=local(2026, 2, 1, 8),
                     due=local(2026, 4, 1), result=local(2026, 4, 1), outcome="on_time"),
        # Due one second before the period closes: overdue at the end. Through a connected system: online.
        "D": dossier(world, channel="api", received=local(2026, 3, 1, 8), due=local(2026, 3, 31, 23, 59, 59)),
        # Waiting for a supplement asked before its due moment: the clock stopped, not overdue.
        "E": dossier(world, status="supplement", received=local(2026, 3, 2, 8), due=local(2026, 3, 25, 17),
                     stopped=local(2026, 3, 20, 10)),
        # Asked for a supplement only after its due moment had passed: the clock stopped too late, overdue.
        "Q": dossier(world, status="supplement", received=local(2026, 3, 1, 9), due=local(2026, 3, 10, 17),
                     stopped=local(2026, 3, 15, 10)),
        # Received long before, supplements asked before and after the period: carried over, overdue, no supplement.
        "F": dossier(world, channel="counter", received=local(2025, 11, 1, 8), due=local(2025, 12, 20, 17)),
        # Two supplements inside the period, counted once; settled on time.
        "G": dossier(world, channel="counter", status="completed", received=local(2026, 1, 10, 8),
                     due=local(2026, 3, 1, 17), result=local(2026, 3, 1, 16), finished=local(2026, 3, 2, 8),
                     outcome="on_time"),
        # Refused at intake (Mẫu 03): never received, refused in the period.
        "H": dossier(world, status="refused", submitted=local(2026, 2, 5, 8), finished=local(2026, 2, 6, 8),
                     outcome="refused"),
        # Withdrawn on the last day.
        "I": dossier(world, channel="counter", status="withdrawn", received=local(2026, 1, 20, 8),
                     due=local(2026, 4, 20, 17), finished=local(2026, 3, 31, 23), outcome="withdrawn"),
        # Ended the minute before the period: nowhere.
        "J": dossier(world, status="refused", received=local(2025, 12, 1, 8), due=local(2025, 12, 30, 17),
                     finished=local(2025, 12, 31, 23, 59), outcome="refused"),
        # Received when the period has closed: nowhere.
        "K": dossier(world, received=local(2026, 4, 1), due=local(2026, 4, 20, 17)),
        # A draft (with dates it cannot really have) and a dossier waiting for intake: nowhere.
        "L": dossier(world, status="draft", received=local(2026, 2, 1), due=local(2026, 2, 20)),
        "M": dossier(world, status="submitted", submitted=local(2026, 2, 1, 8)),
        # Sở Xây dựng: settled early; received at the counter and within time, asked for a supplement.
        "N": dossier(world, agency="SXD", procedure="building", status="completed", received=local(2026, 2, 10, 8),
                     due=local(2026, 2, 20, 17), result=local(2026, 2, 12, 8), finished=local(2026, 2, 13, 8),
                     outcome="early"),
        "P": dossier(world, agency="SXD", procedure="building", channel="counter", received=local(2026, 3, 10, 8),
                     due=local(2026, 4, 15, 17)),
        # Received by public post (Decree 118/2025 channel) on the last morning, within time at the end.
        "R": dossier(world, agency="SXD", procedure="building", channel="post", received=local(2026, 3, 31, 8),
                     due=local(2026, 4, 10, 17)),
    }
    d["L"].code = None
    Dossier.objects.bulk_create(d.values())
    events = [("E", local(2026, 3, 20, 10)), ("Q", local(2026, 3, 15, 10)), ("F", local(2025, 11, 10, 8)), ("F", local(2026, 4, 2, 8)),
              ("G", local(2026, 1, 12, 8)), ("G", local(2026, 2, 12, 8)), ("P", local(2026, 3, 12, 8))]
    DossierEvent.objects.bulk_create([DossierEvent(dossier=d[name], at=at, status="supplement",
                                                   from_status="in_progress") for name, at in events])
    return d


STP_ROW = {
    "received_total": 9, "received_online": 4, "received_counter": 3, "received_post": 0, "carried_over": 2,
    "settled_total": 3, "settled_early": 1, "settled_on_time": 1, "settled_late": 1,
    "in_progress_total": 5, "in_progress_within": 2, "in_progress_overdue": 3,
    "supplements": 3, "refused": 1, "withdrawn": 1,
}
SXD_ROW = {
    "received_total": 3, "received_online": 1, "received_counter": 1, "received_post": 1, "carried_over": 0,
    "settled_total": 1, "settled_early": 1, "settled_on_time": 0, "settled_late": 0,
    "in_progress_total": 2, "in_progress_within": 2, "in_progress_overdue": 0,
    "supplements": 1, "refused": 0, "withdrawn": 0,
}
TOTAL = {key: STP_ROW[key] + SXD_ROW[key] for key in COUNT_KEYS}


def rows_by_label(report):
    return {row.label: row for row in report.rows}


# --- The period ------------------------------------------------------------------------------------

def test_period_boundaries_are_local_midnights_in_utc():
    assert Q1.start == dt.datetime(2025, 12, 31, 17, tzinfo=dt.UTC)
    assert Q1.end == dt.datetime(2026, 3, 31, 17, tzinfo=dt.UTC)
    february = Period.month(2028, 2)
    assert february.last_day == dt.date(2028, 2, 29) and february.end == local(2028, 3, 1)
    assert Period.year(2026).first_day == dt.date(2026, 1, 1)
    assert Period.days(dt.date(2026, 3, 1), dt.date(2026, 3, 1)).end == local(2026, 3, 2)


# --- Every column at its edges -----------------------------------------------------------------------

def test_every_column_of_each_agency_row(scenario, demo):
    report = settlement_report(demo.users["quantri.tinh"], period=Q1)
    rows = rows_by_label(report)
    assert list(rows) == ["Sở Tư pháp", "Sở Xây dựng"]  # by identifier code
    assert rows["Sở Tư pháp"].counts == STP_ROW
    assert rows["Sở Xây dựng"].counts == SXD_ROW
    assert report.total.counts == TOTAL


def test_on_time_rate_has_one_decimal_and_is_empty_when_nothing_was_settled(scenario, demo):
    report = settlement_report(demo.users["quantri.tinh"], period=Q1)
    rows = rows_by_label(report)
    assert rows["Sở Tư pháp"].on_time_rate == Decimal("66.7")  # (1 early + 1 on time) / 3
    assert rows["Sở Xây dựng"].on_time_rate == Decimal("100.0")
    assert report.total.on_time_rate == Decimal("75.0")
    april = settlement_report(demo.users["quantri.tinh"], period=Period.days(dt.date(2026, 4, 2), dt.date(2026, 4, 2)))
    assert all(row.on_time_rate is None for row in april.rows) and april.total.on_time_rate is None


def test_received_carried_over_and_in_progress_balance(scenario, demo):
    """Carried over + received = settled + withdrawn/refused after intake + in progress at the end."""
    stp = rows_by_label(settlement_report(demo.users["quantri.tinh"], period=Q1))["Sở Tư pháp"].counts
    refused_before_intake = 1  # H
    assert stp["received_total"] == (stp["settled_total"] + stp["refused"] - refused_before_intake
                                     + stp["withdrawn"] + stp["in_progress_total"])


def test_the_next_period_carries_over_what_was_in_progress_at_the_end(scenario, demo):
    q1 = settlement_report(demo.users["quantri.tinh"], period=Q1)
    q2 = settlement_report(demo.users["quantri.tinh"], period=Period.quarter(2026, 2))
    assert q2.total.counts["carried_over"] == q1.total.counts["in_progress_total"]
    # C's result became ready exactly when Q1 closed: settled (on time) in Q2; K was received in Q2.
    assert q2.total.counts["settled_on_time"] == 1 and q2.total.counts["received_online"] == 1


def test_month_of_the_last_day_counts_the_last_evening(scenario, demo):
    march = rows_by_label(settlement_report(demo.users["quantri.tinh"], period=Period.month(2026, 3)))
    assert march["Sở Tư pháp"].counts["settled_late"] == 1  # B at 23:59:59 on 31/03
    assert march["Sở Tư pháp"].counts["withdrawn"] == 1  # I at 23:00 on 31/03


def test_rows_by_unit_procedure_and_field(scenario, demo):
    admin = demo.users["quantri.tinh"]
    by_unit = rows_by_label(settlement_report(admin, period=Q1, grouping=Grouping.UNIT))
    in_unit = by_unit["Phòng Hành chính tư pháp – STP"].counts
    assert in_unit["carried_over"] == 1 and in_unit["settled_early"] == 1 and in_unit["settled_late"] == 1
    assert by_unit["Chưa giao đơn vị"].counts["received_total"] == TOTAL["received_total"] - 2
    by_procedure = rows_by_label(settlement_report(admin, period=Q1, grouping=Grouping.PROCEDURE))
    assert by_procedure["9.100001 – Chứng thực bản sao từ bản chính"].counts == STP_ROW
    assert by_procedure["9.100002 – Cấp giấy phép xây dựng"].counts == SXD_ROW
    by_field = rows_by_label(settlement_report(admin, period=Q1, grouping=Grouping.FIELD))
    assert by_field["Hộ tịch"].counts == STP_ROW and by_field["Xây dựng"].counts == SXD_ROW


# --- Scope ---------------------------------------------------------------------------------------

def test_the_desk_officer_of_the_department_of_justice_sees_only_its_row(scenario, demo):
    report = settlement_report(demo.users["motcua.stp"], period=Q1)
    assert [row.label for row in report.rows] == ["Sở Tư pháp"]
    assert report.total.counts == STP_ROW  # P's supplement at Sở Xây dựng is not counted either


def test_the_province_administrator_sees_every_agency(scenario, demo):
    report = settlement_report(demo.users["quantri.tinh"], period=Q1)
    assert {row.label for row in report.rows} == {"Sở Tư pháp", "Sở Xây dựng"}


def test_a_head_of_unit_sees_only_the_dossiers_of_the_unit(scenario, demo):
    report = settlement_report(demo.users["truongphong.stp"], period=Q1, grouping=Grouping.UNIT)
    assert [row.label for row in report.rows] == ["Phòng Hành chính tư pháp – STP"]
    assert report.total.counts["received_total"] == 2


def test_the_agency_filter_narrows_to_one_agency(scenario, demo, sign_in):
    sxd = demo.agencies["SXD"]
    report = settlement_report(demo.users["quantri.tinh"], period=Q1, agency_id=sxd.pk)
    assert [row.label for row in report.rows] == ["Sở Xây dựng"]
    # An agency outside the reader's scope is not a valid choice.
    response = sign_in("motcua.stp").get(f"/workspace/reports/?{QUERY}&agency={sxd.pk}")
    assert response.status_code == 200 and response.context["report"] is None


# --- The page, the Excel file and the PDF ------------------------------------------------------------

class _Cells(HTMLParser):
    """The rows of the report table's body and foot, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows, self._section, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag in ("tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self._section:
            self.rows.append([])
        elif tag in ("td", "th") and self._section:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("tbody", "tfoot"):
            self._section = None
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def page_rows(html: str) -> list[list]:
    parser = _Cells()
    parser.feed(html)
    rows = []
    for cells in parser.rows:
        label, numbers, rate = (cells[1], cells[2:-1], cells[-1]) if len(cells) == 18 else (cells[0], cells[1:-1],
                                                                                            cells[-1])
        rows.append([label, *[int(n.replace(".", "")) for n in numbers],
                     Decimal(rate.replace(",", ".")) if rate else None])
    return rows


def test_the_page_shows_the_table_in_vietnamese(scenario, sign_in):
    response = sign_in("quantri.tinh").get(f"/workspace/reports/?{QUERY}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số hồ sơ tiếp nhận" in html and "Quý I năm 2026 (từ ngày 01/01/2026 đến ngày 31/03/2026)" in html
    assert '<th scope="colgroup" colspan="5">' in html and "<caption" in html and "style=" not in html
    assert page_rows(html) == [
        ["Sở Tư pháp", *STP_ROW.values(), Decimal("66.7")],
        ["Sở Xây dựng", *SXD_ROW.values(), Decimal("100.0")],
        ["Tổng cộng", *TOTAL.values(), Decimal("75.0")],
    ]
    assert f"/workspace/reports/settlement.xlsx?{QUERY}&group_by=agency" in unescape(html)


def test_the_page_defaults_to_this_month_and_rejects_a_reversed_range(scenario, sign_in):
    client = sign_in("motcua.stp")
    report = client.get("/workspace/reports/").context["report"]
    today = timezone.localdate()
    assert report.period == Period.month(today.year, today.month) and report.grouping == "agency"
    response = client.get("/workspace/reports/?period=range&date_from=2026-03-10&date_to=2026-03-01")
    assert response.context["report"] is None and "Ngày đầu ở sau ngày cuối." in response.content.decode()
    assert client.get("/workspace/reports/settlement.xlsx?period=range&date_from=2026-03-10").status_code == 400


def test_citizens_do_not_reach_the_statistics(scenario, sign_in):
    response = sign_in("congdan@example.vn").get("/workspace/reports/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_excel_file_holds_the_numbers_of_the_page(scenario, sign_in):
    client = sign_in("quantri.tinh")
    shown = page_rows(client.get(f"/workspace/reports/?{QUERY}").content.decode())
    response = client.get(f"/workspace/reports/settlement.xlsx?{QUERY}")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('2026-q1-agency.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert "Quý I năm 2026" in sheet["A2"].value
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert {"A5:A6", "B5:B6", "C5:G5", "H5:K5", "L5:N5", "O5:O6", "R5:R6"} <= merged
    assert sheet["C5"].value == "Số hồ sơ tiếp nhận" and sheet["C6"].value == "Tổng số"
    cells = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=7, min_col=2, max_col=18)]
    assert [[label, *numbers, Decimal(str(rate)) if rate is not None else None]
            for label, *numbers, rate in cells] == shown
    assert all(isinstance(value, int) for value in cells[0][1:-1])  # numbers as numbers
    assert sheet.column_dimensions["B"].width == 48


def test_the_pdf_is_a4_landscape_in_liberation_serif_with_vietnamese_text(scenario, sign_in, tmp_path):
    response = sign_in("quantri.tinh").get(f"/workspace/reports/settlement.pdf?{QUERY}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text and "Sở Tư pháp" in text
    assert "Tổng cộng" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    embedded = fonts.splitlines()[2:]
    assert embedded and all("Liberation-Serif" in line for line in embedded)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert width > height  # landscape


# --- A bounded number of queries ---------------------------------------------------------------------

def _more_dossiers(world, n):
    dossiers = [dossier(world, agency="STP" if i % 2 else "SXD", procedure="civil" if i % 2 else "building",
                        channel="counter" if i % 3 else "online", received=local(2026, 2, 1 + i % 27, 8),
                        due=local(2026, 3, 1 + i % 30, 17)) for i in range(n)]
    Dossier.objects.bulk_create(dossiers)
    DossierEvent.objects.bulk_create([DossierEvent(dossier=d, at=local(2026, 2, 28), status="supplement")
                                      for d in dossiers[::4]])


@pytest.mark.parametrize("grouping", list(Grouping))
def test_the_report_runs_two_aggregate_queries_whatever_the_number_of_dossiers(scenario, world, demo, grouping):
    admin = demo.users["quantri.tinh"]
    settlement_report(admin, period=Q1)  # the reader's scope is computed once per request
    with CaptureQueriesContext(connection) as few:
        settlement_report(admin, period=Q1, grouping=grouping)
    _more_dossiers(world, 300)
    with CaptureQueriesContext(connection) as many:
        report = settlement_report(admin, period=Q1, grouping=grouping)
    assert len(few) == len(many) <= 3  # the counts, the supplements, the row names (none without rows to name)
    assert report.total.counts["received_total"] == TOTAL["received_total"] + 300


def test_the_page_runs_a_bounded_number_of_queries(scenario, world, sign_in, django_assert_max_num_queries):
    client = sign_in("giamdoc.stp")
    # 17: the session, the reader's memberships, delegations, agencies under theirs and those theirs
    # took over from (directory.scope), the report's queries; none of them per dossier or per row.
    with django_assert_max_num_queries(17):
        client.get(f"/workspace/reports/?{QUERY}")
    _more_dossiers(world, 300)
    with django_assert_max_num_queries(17):
        response = client.get(f"/workspace/reports/?{QUERY}")
    assert response.context["report"].total.counts["received_total"] == STP_ROW["received_total"] + 150
