"""Officials' task-completion assessment: the figures counted by hand for one month; the workflow
self-assessment → unit head → leader at its edges; nobody reads a colleague's assessment; the
leader's Excel export."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from documents.models import Assignment, AssignmentRole
from recognition import figures, policy, services
from recognition.models import OfficialAssessment, OfficialState, PeriodKind, Rating
from tests.documents.search_helpers import make_document
from tests.factories import make_official
from work.models import AssigneeRole, Task, TaskAssignee, TaskStatus

from .conftest import at, make_dossier, make_step

pytestmark = pytest.mark.django_db
M = lambda day: dt.date(2025, 3, day)  # noqa: E731  (March 2025, the month assessed)


@pytest.fixture
def march(demo, procedure):
    son = demo.users["chuyenvien.stp"]
    leader = demo.users["giamdoc.stp"]
    dossier = make_dossier(demo, procedure, received=dt.date(2025, 2, 20))
    make_step(dossier, son, handed=M(3), timeliness="early")
    make_step(dossier, son, handed=M(10), timeliness="on_time")
    make_step(dossier, son, handed=M(20), timeliness="late")
    make_step(dossier, son, handed=dt.date(2025, 4, 2), timeliness="on_time")  # April: not counted
    make_step(dossier, son, handed=None)  # not handed on yet: not counted
    make_step(dossier, demo.users["chuyenvien2.stp"], handed=M(5), timeliness="late")  # a colleague's
    document = make_document(demo, abstract="Giao xử lý", received_on=dt.date(2025, 2, 25))
    for due, done in ((M(10), M(9)), (M(10), M(12)), (M(31), M(31)), (dt.date(2025, 2, 27), dt.date(2025, 2, 27))):
        Assignment.objects.create(document=document, role=AssignmentRole.MAIN, person=son, due_on=due,
                                  done_at=at(done), assigned_by=leader)
    for due, completed, role in ((M(15), M(14), AssigneeRole.MAIN), (M(15), M(18), AssigneeRole.MAIN),
                                 (M(15), M(10), AssigneeRole.COOPERATE)):
        task = Task.objects.create(agency=demo.agencies["STP"], title="Việc", assigned_by=leader, due_on=due,
                                   status=TaskStatus.DONE, completed_at=at(completed))
        TaskAssignee.objects.create(task=task, person=son, role=role)
    open_task = Task.objects.create(agency=demo.agencies["STP"], title="Chưa xong", assigned_by=leader, due_on=M(5))
    TaskAssignee.objects.create(task=open_task, person=son, role=AssigneeRole.MAIN)
    return demo


def test_the_figures_of_one_month(march):
    found = figures.of_official(march.users["chuyenvien.stp"].pk, OfficialAssessment(
        period_kind=PeriodKind.MONTH, year=2025, number=3).period)
    # dossier steps handed in March: early + on time = 2, late = 1 (April's, the open one, a colleague's: no)
    assert (found["dossiers_on_time"], found["dossiers_late"]) == (2, 1)
    # document assignments done in March: 9/3 ≤ 10/3 and 31/3 ≤ 31/3 on time, 12/3 > 10/3 late (February's: no)
    assert (found["documents_on_time"], found["documents_late"]) == (2, 1)
    # tasks in charge (main) completed in March: 14/3 ≤ 15/3 on time, 18/3 > 15/3 late (cooperating, open: no)
    assert (found["tasks_on_time"], found["tasks_late"]) == (1, 1)
    assert found["ratings_missing"]  # no citizens' ratings: said, not counted as zero


def test_a_units_figures_are_its_members_sums(march):
    unit = march.units[("STP", "Phòng Hành chính tư pháp")]
    totals = figures.of_unit(unit.pk, OfficialAssessment(period_kind=PeriodKind.MONTH, year=2025, number=3).period)
    # chuyenvien.stp's figures (truongphong.stp, the unit's other member, has none)
    assert totals["dossiers_on_time"] == 2 and totals["documents_late"] == 1 and totals["tasks_on_time"] == 1


def opened(demo, username="chuyenvien.stp"):
    return services.open_own_assessment(official=demo.users[username], agency=demo.agencies["STP"],
                                        period_kind=PeriodKind.MONTH, year=2025, number=3)


def test_the_whole_way_self_unit_head_leader(march):
    assessment = opened(march)
    assert assessment.figures["dossiers_late"] == 1
    services.self_assess(acting_user=march.users["chuyenvien.stp"], assessment=assessment, rating=Rating.EXCELLENT,
                         comment="Hoàn thành vượt mức")
    with pytest.raises(PermissionDenied):  # the leader waits for the unit head
        services.rate(acting_user=march.users["giamdoc.stp"], assessment=assessment, rating=Rating.GOOD, comment="")
    services.review(acting_user=march.users["truongphong.stp"], assessment=assessment, rating=Rating.GOOD,
                    comment="Còn 1 hồ sơ trễ")
    assessment = services.rate(acting_user=march.users["giamdoc.stp"], assessment=assessment, rating=Rating.GOOD,
                               comment="Đồng ý")
    assert (assessment.state, assessment.self_rating, assessment.leader_rating) == (
        OfficialState.DECIDED, Rating.EXCELLENT, Rating.GOOD)
    with pytest.raises(PermissionDenied):  # rated once
        services.rate(acting_user=march.users["giamdoc.stp"], assessment=assessment, rating=Rating.EXCELLENT,
                      comment="")


def test_only_the_official_self_assesses(march):
    assessment = opened(march)
    for other in ("truongphong.stp", "giamdoc.stp", "chuyenvien2.stp"):
        assert not policy.may_official(march.users[other], assessment, "self_assess")


def test_a_unit_head_does_not_review_their_own_assessment(march):
    assessment = opened(march, "truongphong.stp")
    assessment = services.self_assess(acting_user=march.users["truongphong.stp"], assessment=assessment, rating=Rating.GOOD,
                         comment="")
    with pytest.raises(PermissionDenied):
        services.review(acting_user=march.users["truongphong.stp"], assessment=assessment, rating=Rating.EXCELLENT,
                        comment="")
    # nobody above her in the unit: the leader rates straight after her self-assessment
    assert policy.may_official(march.users["giamdoc.stp"], assessment, "rate")


def test_another_units_head_does_not_review(march):
    assessment = opened(march)
    assessment = services.self_assess(acting_user=march.users["chuyenvien.stp"], assessment=assessment,
                                      rating=Rating.GOOD, comment="")
    assert policy.may_official(march.users["truongphong.stp"], assessment, "review")
    assert not policy.may_official(march.users["truongphong.sxd"], assessment, "review")
    other = make_official("truongphong2.stp", agency=march.agencies["STP"], position="Trưởng phòng",
                          roles=["unit_head"], unit=march.units[("STP", "Phòng Bổ trợ tư pháp")])
    assert not policy.may_official(other, assessment, "review")


def test_a_colleague_cannot_read_the_assessment(march, sign_in):
    assessment = opened(march)
    unit = march.units[("STP", "Phòng Hành chính tư pháp")]
    make_official("chuyenvien3.stp", agency=march.agencies["STP"], position="Chuyên viên", roles=["specialist"],
                  unit=unit)
    url = f"/workspace/recognition/officials/{assessment.pk}/"
    for colleague in ("chuyenvien2.stp", "truongphong.sxd", "quantri.stp"):
        client = sign_in(colleague)
        assert client.get(url).status_code == 404, colleague
        client.post(url + "self_assess/", {"rating": "excellent"})
    assert not policy.may_read_official(march.users["chuyenvien2.stp"], assessment)
    from recognition.selectors import readable_official_assessments

    same_unit = make_official("chuyenvien4.stp", agency=march.agencies["STP"], position="Chuyên viên",
                              roles=["specialist"], unit=unit)
    assert not readable_official_assessments(same_unit).filter(pk=assessment.pk).exists()
    assert OfficialAssessment.objects.get(pk=assessment.pk).state == OfficialState.DRAFT
    assert sign_in("truongphong.stp").get(url).status_code == 200
    assert sign_in("giamdoc.stp").get(url).status_code == 200


def test_the_pages_offer_each_step_to_whom_it_belongs(march, sign_in):
    assessment = opened(march)
    url = f"/workspace/recognition/officials/{assessment.pk}/"
    son = sign_in("chuyenvien.stp")
    assert 'id="self_assess-form"' in son.get(url).content.decode()
    son.post(url + "self_assess/", {"rating": "good", "comment": "Tốt"})
    head = sign_in("truongphong.stp")
    html = head.get(url).content.decode()
    assert 'id="review-form"' in html and 'id="rate-form"' not in html
    assert 'data-col="unit"' in html  # the unit head sees the whole unit's figures beside the official's
    assert 'id="review-form"' not in son.get(url).content.decode()
    head.post(url + "review/", {"rating": "good", "comment": "Đồng ý"})
    leader = sign_in("giamdoc.stp")
    assert 'id="rate-form"' in leader.get(url).content.decode()
    leader.post(url + "rate/", {"rating": "completed", "comment": "Hoàn thành"})
    assert OfficialAssessment.objects.get(pk=assessment.pk).leader_rating == Rating.COMPLETED


def test_the_leader_exports_the_results(march, sign_in):
    assessment = opened(march)
    services.self_assess(acting_user=march.users["chuyenvien.stp"], assessment=assessment, rating=Rating.GOOD,
                         comment="")
    query = {"period_kind": "month", "year": 2025, "number": 3}
    response = sign_in("giamdoc.stp").get("/workspace/recognition/officials/export.xlsx", query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "Ma Văn Sơn"]
    assert len(rows) == 1 and rows[0][2:8] == (2, 1, 2, 1, 1, 1)
    assert sign_in("chuyenvien.stp").get("/workspace/recognition/officials/export.xlsx", query).status_code == 404
