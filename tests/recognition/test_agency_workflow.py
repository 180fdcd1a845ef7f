"""The e-agency assessment's state machine at its edges: who may take each step, in which state;
what the pages offer is exactly what the policy allows; another agency's administrator neither
reads nor changes our self-assessment."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from recognition import policy, services
from recognition.models import AgencyAssessment, AssessmentState, Level
from tests.factories import make_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(demo, criteria):
    return services.open_assessment(acting_user=demo.users["quantri.stp"], agency=demo.agencies["STP"],
                                    criteria_set=criteria)


def _score(assessment, code):
    return assessment.scores.get(criterion__code=code)


def submitted(demo, assessment):
    services.save_self_assessment(acting_user=demo.users["giamdoc.stp"], assessment=assessment,
                                  statement="Đã triển khai đầy đủ.",
                                  lines={_score(assessment, "C6").pk: {"points": "18", "statement": "Có quy chế"}})
    return services.submit(acting_user=demo.users["giamdoc.stp"], assessment=assessment)


def test_only_the_province_admin_keeps_the_criteria(demo):
    with pytest.raises(PermissionDenied):
        services.create_criteria_set(acting_user=demo.users["quantri.stp"], year=2026, level=Level.AGENCY, title="X")


def test_an_automatic_criterion_needs_a_known_metric(demo, criteria):
    with pytest.raises(ValidationError):
        services.add_criterion(acting_user=demo.users["quantri.tinh"], criteria_set=criteria, code="C9", title="X",
                               points=5, kind="automatic", metric="made_up")


def test_a_commune_set_is_not_for_a_department(demo):
    commune_set = services.create_criteria_set(acting_user=demo.users["quantri.tinh"], year=2025,
                                               level=Level.COMMUNE, title="Xã 2025")
    assert not policy.may_open(demo.users["quantri.stp"], demo.agencies["STP"], commune_set)


def test_one_self_assessment_per_agency_and_set(demo, opened, criteria):
    with pytest.raises(PermissionDenied):
        services.open_assessment(acting_user=demo.users["giamdoc.stp"], agency=demo.agencies["STP"],
                                 criteria_set=criteria)


def test_a_specialist_does_not_assess_the_agency(demo, criteria):
    with pytest.raises(PermissionDenied):
        services.open_assessment(acting_user=demo.users["chuyenvien.stp"], agency=demo.agencies["STP"],
                                 criteria_set=criteria)


def test_submitting_needs_every_evidence_criterion_scored(demo, opened):
    with pytest.raises(ValidationError):
        services.submit(acting_user=demo.users["quantri.stp"], assessment=opened)


def test_points_above_the_criterion_are_refused(demo, opened):
    with pytest.raises(ValidationError):
        services.save_self_assessment(acting_user=demo.users["quantri.stp"], assessment=opened, statement="",
                                      lines={_score(opened, "C6").pk: {"points": "25"}})


def test_the_whole_way_to_publication(demo, opened):
    admin = demo.users["quantri.tinh"]
    assessment = submitted(demo, opened)
    assert assessment.state == AssessmentState.SUBMITTED
    with pytest.raises(PermissionDenied):  # submitted: the agency can no longer change it
        services.save_self_assessment(acting_user=demo.users["quantri.stp"], assessment=assessment, statement="x",
                                      lines={})
    with pytest.raises(ValidationError):  # adjusted points need a comment
        services.appraise(acting_user=admin, assessment=assessment, comment="",
                          lines={_score(assessment, "C6").pk: {"points": "15"}})
    assessment = services.appraise(acting_user=admin, assessment=assessment, comment="Đạt",
                                   lines={_score(assessment, "C6").pk: {"points": "15", "comment": "Thiếu quy chế"}})
    assert assessment.state == AssessmentState.APPRAISED and _score(assessment, "C6").appraised_points == 15
    assessment = services.decide(acting_user=admin, assessment=assessment, recognised=True,
                                 decision_number="123/QĐ-UBND", decided_on=dt.date(2026, 1, 20))
    with pytest.raises(PermissionDenied):  # a second council decision
        services.decide(acting_user=admin, assessment=assessment, recognised=False, decision_number="124/QĐ-UBND",
                        decided_on=dt.date(2026, 1, 21))
    assessment.refresh_from_db()
    assert (assessment.recognised, assessment.decision_number) == (True, "123/QĐ-UBND")
    services.publish(acting_user=admin, assessment=assessment)
    assert AgencyAssessment.objects.get(pk=assessment.pk).state == AssessmentState.PUBLISHED


def test_the_agency_does_not_appraise_or_decide_itself(demo, opened):
    assessment = submitted(demo, opened)
    for action in ("return", "appraise", "decide", "publish"):
        assert not policy.may(demo.users["giamdoc.stp"], assessment, action)


def test_the_province_admin_does_not_appraise_their_own_agency(demo):
    skhcn = demo.agencies["SKHCN"]
    chosen = services.create_criteria_set(acting_user=demo.users["quantri.tinh"], year=2025,
                                          level=policy.agency_level(skhcn), title="Bộ 2025")
    leader = make_official("giamdoc.skhcn", agency=skhcn, position="Giám đốc", roles=["agency_leader"])
    assessment = services.open_assessment(acting_user=leader, agency=skhcn, criteria_set=chosen)
    services.submit(acting_user=leader, assessment=assessment)
    assert not policy.may(demo.users["quantri.tinh"], assessment, "appraise")


def test_a_returned_assessment_goes_back_to_the_agency(demo, opened):
    assessment = submitted(demo, opened)
    with pytest.raises(ValidationError):
        services.return_to_agency(acting_user=demo.users["quantri.tinh"], assessment=assessment, comment=" ")
    services.return_to_agency(acting_user=demo.users["quantri.tinh"], assessment=assessment, comment="Bổ sung C6")
    assert policy.may_edit(demo.users["quantri.stp"], AgencyAssessment.objects.get(pk=assessment.pk))


@pytest.mark.parametrize("state", list(AssessmentState.values))
@pytest.mark.parametrize("who", ["quantri.tinh", "giamdoc.stp", "quantri.stp", "chuyenvien.stp", "quantri.sxd"])
def test_offered_is_allowed(demo, opened, sign_in, intruder, state, who):
    """In every state, for every reader: the page shows a step's form exactly when the policy allows it."""
    user, client = demo.users.get(who, intruder), sign_in(who)
    AgencyAssessment.objects.filter(pk=opened.pk).update(state=state)
    assessment = AgencyAssessment.objects.get(pk=opened.pk)
    page = client.get(f"/workspace/recognition/assessments/{opened.pk}/")
    if not policy.may_read(user, assessment):
        assert page.status_code == 404
        return
    html = page.content.decode()
    for action in policy.TRANSITIONS:
        assert (f'id="{action}-form"' in html) == bool(policy.may(user, assessment, action)), action
    assert ('name="statement"' in html) == bool(policy.may_edit(user, assessment))


def test_another_agencys_admin_cannot_read_or_change_ours(demo, opened, sign_in, intruder):
    client = sign_in("quantri.sxd")
    base = f"/workspace/recognition/assessments/{opened.pk}/"
    assert client.get(base).status_code == 404
    score = _score(opened, "C6")
    assert client.post(base + "save/", {"statement": "Bị sửa", f"score-{score.pk}-points": "20"}).status_code == 404
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert client.post(base + "evidence/", {"score": score.pk, "file": upload}).status_code == 404
    assert client.post(base + "submit/").status_code == 404
    opened.refresh_from_db()
    assert opened.statement == "" and opened.state == AssessmentState.DRAFT
    assert f'data-assessment="{opened.pk}"' not in client.get("/workspace/recognition/").content.decode()


def test_evidence_is_attached_and_read_by_the_agency_only(demo, opened, sign_in):
    client = sign_in("quantri.stp")
    score = _score(opened, "C6")
    upload = SimpleUploadedFile("quy-che.pdf", b"%PDF-1.4 quy che", content_type="application/pdf")
    client.post(f"/workspace/recognition/assessments/{opened.pk}/evidence/", {"score": score.pk, "file": upload})
    evidence = score.evidence.get()
    assert b"".join(client.get(f"/workspace/recognition/evidence/{evidence.pk}/").streaming_content) \
        == b"%PDF-1.4 quy che"
    assert sign_in("giamdoc.sxd").get(f"/workspace/recognition/evidence/{evidence.pk}/").status_code == 404


def test_the_published_list_shows_the_decision_by_year(demo, opened, sign_in):
    admin = demo.users["quantri.tinh"]
    assessment = submitted(demo, opened)
    services.appraise(acting_user=admin, assessment=assessment, comment="", lines={})
    services.decide(acting_user=admin, assessment=assessment, recognised=True, decision_number="123/QĐ-UBND",
                    decided_on=dt.date(2026, 1, 20))
    client = sign_in("giamdoc.sxd")
    assert "123/QĐ-UBND" not in client.get("/workspace/recognition/recognised/").content.decode()
    services.publish(acting_user=admin, assessment=assessment)
    html = client.get("/workspace/recognition/recognised/").content.decode()
    assert 'data-year="2025"' in html and "123/QĐ-UBND" in html
    assert client.get(f"/workspace/recognition/assessments/{assessment.pk}/").status_code == 200


def test_the_it_department_adds_a_criterion_on_the_page_and_nobody_else(demo, criteria, sign_in):
    url = f"/workspace/recognition/sets/{criteria.pk}/"
    form = {"code": "C7", "title": "Cổng thông tin điện tử", "points": "5", "kind": "evidence", "target": "100"}
    agency_admin = sign_in("quantri.stp")
    assert 'id="add-criterion"' not in agency_admin.get(url).content.decode()
    agency_admin.post(url, form)
    assert not criteria.criteria.filter(code="C7").exists()
    it_department = sign_in("quantri.tinh")
    assert 'id="add-criterion"' in it_department.get(url).content.decode()
    it_department.post(url, form)
    assert criteria.criteria.get(code="C7").points == 5
    it_department.post("/workspace/recognition/sets/new/", {"year": "2026", "level": "commune", "title": "Xã 2026"})
    assert criteria.__class__.objects.filter(year=2026, level="commune").exists()
