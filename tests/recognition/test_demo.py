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
