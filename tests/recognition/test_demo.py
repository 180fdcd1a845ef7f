"""The demo loader runs twice without adding anything twice, and leaves a published recognition,
a self-assessment in progress and an assessment waiting for the unit head."""

import pytest

from recognition.demo import load_demo
from recognition.models import AgencyAssessment, AssessmentState, CriteriaSet, OfficialAssessment, OfficialState

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice(demo):
    load_demo()
    counts = (CriteriaSet.objects.count(), AgencyAssessment.objects.count(), OfficialAssessment.objects.count())
    load_demo()
    assert (CriteriaSet.objects.count(), AgencyAssessment.objects.count(),
            OfficialAssessment.objects.count()) == counts == (4, 2, 1)
    assert AgencyAssessment.objects.filter(state=AssessmentState.PUBLISHED, recognised=True).count() == 1
    assert AgencyAssessment.objects.filter(state=AssessmentState.DRAFT).count() == 1
    assert OfficialAssessment.objects.get().state == OfficialState.SELF_ASSESSED


def test_the_published_recognitions_are_public_and_the_drafts_are_not(demo, client):
    load_demo()
    published = AgencyAssessment.objects.get(state=AssessmentState.PUBLISHED)
    draft = AgencyAssessment.objects.get(state=AssessmentState.DRAFT)
    page = client.get("/recognition/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    body = page.content.decode()
    assert published.agency.name in body and published.decision_number in body
    assert draft.agency.name not in body or draft.agency_id == published.agency_id
    assert "/workspace/" not in body.split("<main", 1)[-1].split("</main>", 1)[0]  # no way into the workspace
    assert 'href="/recognition/"' in client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()  # linked
