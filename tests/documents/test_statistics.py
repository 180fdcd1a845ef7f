"""Statistics: the figures equal the ones counted by hand on a small month of Sở Tư pháp; the
classified are counted but listed by name only to readers of their own agency."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from documents.models import Assignment, AssignmentRole, Direction, DocumentFile, Source, Status
from documents.periods import Days as Period
from documents.statistics import compute

from .search_helpers import at, make_document

pytestmark = pytest.mark.django_db

JANUARY = Period.month(2026, 1)
TODAY = dt.date(2026, 1, 20)
D = lambda day: dt.date(2026, 1, day)  # noqa: E731


@pytest.fixture
def month(demo):
    hctp = demo.units[("STP", "Phòng Hành chính tư pháp")]
    btp = demo.units[("STP", "Phòng Bổ trợ tư pháp")]
    leader = demo.users["giamdoc.stp"]
    on_time = make_document(demo, abstract="Đến đúng hạn", type_abbreviation="CV", received_on=D(5), due_on=D(10),
                            handled_on=D(8), status=Status.HANDLED)
    late = make_document(demo, abstract="Đến trễ hạn", type_abbreviation="QĐ", source=Source.EXCHANGE,
                         received_on=D(6), due_on=D(10), handled_on=D(12), status=Status.HANDLED,
                         number_symbol="7/QĐ-UBND")
    make_document(demo, abstract="Đến quá hạn chưa xử lý", type_abbreviation="CV", received_on=D(7), due_on=D(9),
                  status=Status.IN_HANDLING)
    make_document(demo, abstract="Chờ văn thư tiếp nhận", received_on=D(7), status=Status.PENDING)
    make_document(demo, abstract="Đến tháng sau", received_on=dt.date(2026, 2, 2))
    make_document(demo, abstract="Văn bản mật quá hạn", classified=True, received_on=D(8), due_on=D(9),
                  status=Status.IN_HANDLING)
    signed = make_document(demo, direction=Direction.OUTGOING, abstract="Đi có chữ ký số", type_abbreviation="QĐ",
                           status=Status.ISSUED, issued_on=D(10), drafting_unit=hctp)
    DocumentFile.objects.create(document=signed, kind="signed", file="documents/s.pdf", original_name="s.pdf",
                                content_type="application/pdf", size=1, sha256="1" * 64, uploaded_by=leader)
    make_document(demo, direction=Direction.OUTGOING, abstract="Đi không ký số", type_abbreviation="CV",
                  status=Status.ISSUED, issued_on=D(11))
    make_document(demo, direction=Direction.OUTGOING, abstract="Đang soạn", type_abbreviation="CV")
    Assignment.objects.create(document=on_time, role=AssignmentRole.MAIN, unit=hctp, due_on=D(9),
                              done_at=at(D(8)), assigned_by=leader)
    Assignment.objects.create(document=late, role=AssignmentRole.MAIN, unit=btp, due_on=D(10),
                              done_at=at(D(12)), assigned_by=leader)
    Assignment.objects.create(document=late, role=AssignmentRole.COOPERATE, unit=hctp, due_on=D(10),
                              assigned_by=leader)
    return demo


def test_the_figures_equal_the_hand_count(month):
    stats = compute(month.users["giamdoc.stp"], agency=month.agencies["STP"], period=JANUARY, today=TODAY)
    assert (stats.received, stats.issued) == (4, 2)
    assert (stats.received_electronically, stats.electronic_share) == (1, 25.0)
    assert (stats.issued_signed, stats.signed_share) == (1, 50.0)
    d = stats.documents
    assert (d.on_time, d.late, d.overdue, d.open) == (1, 1, 2, 0)
    a = stats.assignments
    assert (a.on_time, a.late, a.overdue) == (1, 1, 0)
    assert {(r.label, r.received, r.issued) for r in stats.by_type} == {("Công văn", 3, 1), ("Quyết định", 1, 1)}
    assert {(r.label, r.received, r.issued) for r in stats.by_unit} == {
        ("Phòng Hành chính tư pháp", 1, 1), ("Phòng Bổ trợ tư pháp", 1, 0)}
    assert {d.abstract for d in stats.late} == {"Đến trễ hạn", "Đến quá hạn chưa xử lý", "Văn bản mật quá hạn"}


def test_a_specialist_counts_only_what_they_may_read(month):
    stats = compute(month.users["chuyenvien.stp"], agency=month.agencies["STP"], period=JANUARY, today=TODAY)
    # the unit's: one directed to it, one it cooperates on, one it drafted; never the classified
    assert (stats.received, stats.issued, stats.documents.overdue) == (2, 1, 0)


def test_classified_counted_but_not_listed_outside_their_agency(month):
    secret = month.agencies["STP"].documents.get(abstract="Văn bản mật quá hạn")
    outsider = month.users["chutich.ducxuan"]
    Assignment.objects.create(document=secret, role=AssignmentRole.INFORM, person=outsider,
                              assigned_by=month.users["giamdoc.stp"])
    stats = compute(outsider, agency=month.agencies["STP"], period=JANUARY, today=TODAY)
    assert stats.received == 1 and stats.documents.overdue == 1
    assert stats.late == []


def test_the_excel_export_has_the_figures_and_the_late_list(month, sign_in):
    client = sign_in("giamdoc.stp")
    query = {"agency": month.agencies["STP"].pk, "first_day": "2026-01-01", "last_day": "2026-01-31"}
    page = client.get("/workspace/documents/statistics/", query)
    assert page.status_code == 200 and "Phòng Bổ trợ tư pháp" in page.content.decode()
    response = client.get("/workspace/documents/statistics/export.xlsx", query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    flat = {c for row in cells for c in row if c is not None}
    assert 4 in flat and "7/QĐ-UBND" in flat and "Văn bản mật quá hạn" in flat
    pdf = client.get("/workspace/documents/statistics/export.pdf", query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_agency_out_of_reach_is_refused_by_the_form(month, sign_in):
    client = sign_in("vanthu.ducxuan")
    query = {"agency": month.agencies["STP"].pk, "first_day": "2026-01-01", "last_day": "2026-01-31"}
    assert client.get("/workspace/documents/statistics/export.xlsx", query).status_code == 404
