"""Reads shared by the recognition pages, already narrowed to what the reader may see
(``recognition.policy``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from directory.models import Role

from . import policy
from .models import AgencyAssessment, AssessmentState, CriteriaSet, OfficialAssessment


def criteria_sets() -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.prefetch_related("criteria")


def visible_assessments(user) -> QuerySet[AgencyAssessment]:
    """The self-assessments ``user`` reads: every one for the province administrator; their own
    agencies' for its leaders and administrators; the published ones for everyone."""
    base = AgencyAssessment.objects.select_related("agency", "criteria_set")
    if policy.is_province_admin(user):
        return base
    return base.filter(Q(agency_id__in=policy.agencies_run_by(user)) | Q(state=AssessmentState.PUBLISHED))


def published(year: int | None = None) -> QuerySet[AgencyAssessment]:
    """The public list: the published decisions, with their history per year."""
    rows = AgencyAssessment.objects.filter(state=AssessmentState.PUBLISHED).select_related("agency", "criteria_set")
    if year:
        rows = rows.filter(criteria_set__year=year)
    return rows.order_by("-criteria_set__year", "-recognised", "agency__name")


def readable_official_assessments(user) -> QuerySet[OfficialAssessment]:
    """Their own; their units' members' for unit heads; their agencies' for leaders. Never a colleague's."""
    places = policy.places(user)
    if not places and not getattr(user, "pk", None):
        return OfficialAssessment.objects.none()
    condition = Q(official_id=user.pk)
    for agency_id, unit_id, roles in places:
        if Role.AGENCY_LEADER in roles:
            condition |= Q(agency_id=agency_id)
        if Role.UNIT_HEAD in roles and unit_id is not None:
            condition |= Q(agency_id=agency_id, unit_id=unit_id)
    return OfficialAssessment.objects.filter(condition).select_related("official", "agency", "unit")


def waiting_for(user) -> list[OfficialAssessment]:
    """The assessments of others on which ``user`` has the next step."""
    rows = readable_official_assessments(user).exclude(official_id=user.pk).exclude(state="decided").exclude(
        state="draft")
    return [row for row in rows if policy.official_actions_offered(user, row)]


def exportable_agencies(user) -> set[int]:
    """The agencies whose officials' results ``user`` exports: those they lead."""
    return {agency_id for agency_id, _u, roles in policy.places(user) if Role.AGENCY_LEADER in roles}
