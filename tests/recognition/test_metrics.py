"""Each automatic metric on a small hand-made year (2025) of Sở Tư pháp, with the expected values
counted by hand; and the points an automatic criterion earns from them."""

import datetime as dt
from decimal import Decimal

import pytest

from documents.models import DocumentFile, Source, Status
from recognition import services
from recognition.metrics import compute, points_for
from tests.documents.search_helpers import make_document
from training.models import Course, CourseKind
from training.services import issue_certificate

from .conftest import make_dossier

pytestmark = pytest.mark.django_db
D = lambda month, day: dt.date(2025, month, day)  # noqa: E731


@pytest.fixture
def year(demo, procedure):
    # Incoming: 3 received in 2025 (1 by the exchange, 2 on paper), 1 pending (not received), 1 in 2024.
    make_document(demo, abstract="Đến điện tử", source=Source.EXCHANGE, received_on=D(2, 3))
    make_document(demo, abstract="Đến giấy 1", received_on=D(3, 3))
    make_document(demo, abstract="Đến giấy 2", received_on=D(4, 3))
    make_document(demo, abstract="Chờ tiếp nhận", received_on=D(4, 4), status=Status.PENDING)
    make_document(demo, abstract="Năm trước", source=Source.EXCHANGE, received_on=dt.date(2024, 12, 30))
    # Outgoing: 4 issued in 2025, 3 of them with a signed file; 1 still drafting.
    for number in range(4):
        issued = make_document(demo, direction="outgoing", abstract=f"Đi {number}", status=Status.ISSUED,
                               issued_on=D(5, 10 + number))
        if number < 3:
            DocumentFile.objects.create(document=issued, kind="signed", file="documents/s.pdf", original_name="s.pdf",
                                        content_type="application/pdf", size=1, sha256=f"{number}" * 64,
                                        uploaded_by=demo.users["giamdoc.stp"])
    make_document(demo, direction="outgoing", abstract="Đang soạn")
    # Dossiers received in 2025: 3 online, 1 at the counter, 1 by post; settled in 2025: 2 early/on time, 1 late.
    make_dossier(demo, procedure, channel="online", received=D(1, 5), result=D(1, 8), outcome="early",
                 status="result_ready")
    make_dossier(demo, procedure, channel="online", received=D(2, 5), result=D(2, 15), outcome="on_time",
                 status="result_ready")
    make_dossier(demo, procedure, channel="online", received=D(3, 5))
    make_dossier(demo, procedure, channel="counter", received=D(3, 6), result=D(3, 30), outcome="late",
                 status="result_ready")
    make_dossier(demo, procedure, channel="post", received=D(4, 6))
    make_dossier(demo, procedure, agency="SXD", channel="counter", received=D(4, 6))  # another agency's
    # Training: a course mandatory for specialists; Sở Tư pháp has two (chuyenvien, chuyenvien2), one certified.
    course = Course.objects.create(code="t-rcg", title="Kỹ năng số (thử)", kind=CourseKind.IT_SKILLS,
                                   mandatory_roles=["specialist"], requires_attendance=False)
    issue_certificate(official=demo.users["chuyenvien.stp"], course=course, issued_on=D(3, 1))
    return demo


def value(demo, key):
    return compute(key, reader=demo.users["giamdoc.stp"], agency=demo.agencies["STP"], year=2025)


def test_documents_received_electronically(year):
    # 1 by the exchange / 3 received in 2025 (the pending one and last year's are not counted) = 33.33 %
    assert value(year, "documents_electronic").percent == Decimal("33.33")


def test_documents_signed_digitally(year):
    # 3 signed / 4 issued in 2025 (the draft is not issued) = 75 %
    assert value(year, "documents_signed").percent == Decimal("75.00")


def test_dossiers_received_online(year):
    # 3 online / (3 online + 1 counter + 1 post) = 60 %; the other agency's dossier is not counted
    assert value(year, "dossiers_online").percent == Decimal("60.00")


def test_dossiers_settled_on_time(year):
    # (1 early + 1 on time) / 3 settled = 66.67 %
    assert value(year, "dossiers_on_time").percent == Decimal("66.67")


def test_staff_trained(year):
    # 1 certified / 2 specialists obliged = 50 %
    assert value(year, "staff_trained").percent == Decimal("50.00")


def test_a_metric_without_data_says_what_is_missing(demo):
    found = compute("dossiers_online", reader=demo.users["giamdoc.stp"], agency=demo.agencies["STP"], year=2025)
    assert found.percent is None and found.missing == "Trong năm không có hồ sơ nào được tiếp nhận."  # not 0 %


def test_points_are_proportional_up_to_the_target():
    # 10 points × 66.67 / 80 = 8.33; above the target the points are capped; no value, no points
    assert points_for(Decimal("66.67"), points=Decimal(10), target=Decimal(80)) == Decimal("8.33")
    assert points_for(Decimal("90"), points=Decimal(10), target=Decimal(80)) == Decimal("10.00")
    assert points_for(None, points=Decimal(10), target=Decimal(80)) is None


def test_opening_the_self_assessment_fills_the_automatic_scores(year, criteria):
    assessment = services.open_assessment(acting_user=year.users["quantri.stp"], agency=year.agencies["STP"],
                                          criteria_set=criteria)
    points = {s.criterion.code: s.self_points for s in assessment.scores.select_related("criterion")}
    # C1 10 × 33.33 % = 3.33; C2 7.50; C3 6.00; C4 10 × 66.67/80 = 8.33; C5 5.00; C6 (evidence) not yet scored
    assert points == {"C1": Decimal("3.33"), "C2": Decimal("7.50"), "C3": Decimal("6.00"), "C4": Decimal("8.33"),
                      "C5": Decimal("5.00"), "C6": None}
