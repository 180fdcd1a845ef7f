"""Who may do what in recognition (đánh giá, công nhận): the one place that decides.

Every door of ``recognition.services`` calls :func:`require` with one of these decisions, and the
pages offer exactly what they allow. The rules (decision 0040):

E-agency assessment (one per agency and criteria set), states in ``TRANSITIONS``:

- keep the criteria sets: the province administrator (the province's IT department);
- open, fill in (statement, points, evidence) and submit the self-assessment: the agency's leaders
  and administrators (current members), while it is a draft;
- return it to the agency or appraise it (adjusted points with comments): the province
  administrator, never on an agency they are a member of (nobody appraises their own agency);
- record the council's decision (recognised or not, with the decision number), once: the province
  administrator, after the appraisal; publish it: the province administrator, after the decision;
- read it: the agency's leaders and administrators, and the province administrator; once
  published, everyone (the public list).

Officials' task-completion assessment (one per official, agency and period):

- open and self-assess: the official themself, a current member of the agency;
- the unit head's review: a current head of the official's unit, never the official themself;
- the leader's rating: a current leader of the agency, never the official themself; after the
  unit head's review, or straight after the self-assessment when the official has no unit or
  heads it (there is nobody above them in the unit);
- read it: the official, the heads of their unit and the agency's leaders; no colleague.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from directory.models import Membership, Role

from .models import AgencyAssessment, AssessmentState, CriteriaSet, Level, OfficialAssessment, OfficialState

AGENCY_ROLES = frozenset({Role.AGENCY_LEADER, Role.AGENCY_ADMIN})

# (action, from state, to state): the e-agency assessment's state machine, written once.
TRANSITIONS = {
    "submit": (AssessmentState.DRAFT, AssessmentState.SUBMITTED),
    "return": (AssessmentState.SUBMITTED, AssessmentState.DRAFT),
    "appraise": (AssessmentState.SUBMITTED, AssessmentState.APPRAISED),
    "decide": (AssessmentState.APPRAISED, AssessmentState.DECIDED),
    "publish": (AssessmentState.DECIDED, AssessmentState.PUBLISHED),
}
OFFICIAL_TRANSITIONS = {
    "self_assess": ((OfficialState.DRAFT,), OfficialState.SELF_ASSESSED),
    "review": ((OfficialState.SELF_ASSESSED,), OfficialState.REVIEWED),
    "rate": ((OfficialState.SELF_ASSESSED, OfficialState.REVIEWED), OfficialState.DECIDED),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


YES = Decision(True)


def _no(reason: str) -> Decision:
    return Decision(False, reason)


def require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def places(user) -> list[tuple[int, int | None, set[str]]]:
    """(agency id, unit id, roles) of each current membership of ``user``."""
    if not _active(user):
        return []
    cache = user.__dict__.get("_recognition_places")
    if cache is None:
        cache = [(agency_id, unit_id, set(roles or [])) for agency_id, unit_id, roles in
                 Membership.objects.valid_on().filter(official=user).values_list("agency_id", "unit_id", "roles")]
        user.__dict__["_recognition_places"] = cache
    return cache


def is_province_admin(user) -> bool:
    return _active(user) and (user.is_superuser or any(Role.PROVINCE_ADMIN in roles for _a, _u, roles in places(user)))


def agencies_run_by(user) -> set[int]:
    """The agencies whose self-assessment ``user`` keeps (leader or administrator there)."""
    return {agency_id for agency_id, _unit, roles in places(user) if roles & AGENCY_ROLES}


def agency_level(agency) -> str:
    return Level.COMMUNE if agency.administrative_unit.level == "commune" else Level.AGENCY


# --- criteria sets and e-agency assessments ---------------------------------------------------------


def may_keep_criteria(user) -> Decision:
    return YES if is_province_admin(user) else _no(_("Only the province's IT department keeps the criteria."))


def may_open(user, agency, criteria_set: CriteriaSet) -> Decision:
    if agency.pk not in agencies_run_by(user):
        return _no(_("Only the agency's leaders and administrators assess it."))
    if criteria_set.level != agency_level(agency):
        return _no(_("This criteria set is for another level of agency."))
    if AgencyAssessment.objects.filter(agency=agency, criteria_set=criteria_set).exists():
        return _no(_("The agency has already opened its self-assessment against this set."))
    return YES


def may_read(user, assessment: AgencyAssessment) -> Decision:
    if assessment.state == AssessmentState.PUBLISHED or is_province_admin(user):
        return YES
    return YES if assessment.agency_id in agencies_run_by(user) else _no(_("Not your agency's assessment."))


def may_edit(user, assessment: AgencyAssessment) -> Decision:
    if assessment.agency_id not in agencies_run_by(user):
        return _no(_("Only the agency's leaders and administrators assess it."))
    if assessment.state != AssessmentState.DRAFT:
        return _no(_("The self-assessment has been submitted: it can no longer be changed."))
    return YES


def _in_state(assessment: AgencyAssessment, action: str) -> Decision:
    source, _target = TRANSITIONS[action]
    if assessment.state != source:
        return _no(_("Not possible in the state “%(state)s”.") % {"state": assessment.get_state_display()})
    return YES


def may(user, assessment: AgencyAssessment, action: str) -> Decision:
    """May ``user`` take ``action`` (a key of ``TRANSITIONS``) on ``assessment`` now."""
    if action == "submit":
        return may_edit(user, assessment)
    if not is_province_admin(user):
        return _no(_("Only the province's IT department appraises and records the council's decision."))
    if action in ("return", "appraise") and any(a == assessment.agency_id for a, _u, _r in places(user)):
        return _no(_("Nobody appraises their own agency."))
    return _in_state(assessment, action)


def actions_offered(user, assessment: AgencyAssessment) -> list[str]:
    return [action for action in TRANSITIONS if may(user, assessment, action)]


# --- officials' task-completion assessment ---------------------------------------------------------


def may_open_own(user, agency_id: int) -> Decision:
    if not any(a == agency_id for a, _u, _r in places(user)):
        return _no(_("You assess yourself only in an agency you work in."))
    return YES


def heads_unit(user, assessment: OfficialAssessment) -> bool:
    return assessment.unit_id is not None and any(
        a == assessment.agency_id and u == assessment.unit_id and Role.UNIT_HEAD in roles
        for a, u, roles in places(user))


def leads_agency(user, assessment: OfficialAssessment) -> bool:
    return any(a == assessment.agency_id and Role.AGENCY_LEADER in roles for a, _u, roles in places(user))


def needs_unit_review(assessment: OfficialAssessment) -> bool:
    """False when the official has no unit or heads it themself (nobody above them in it)."""
    if assessment.unit_id is None:
        return False
    return not any(Role.UNIT_HEAD in (roles or []) for roles in Membership.objects.valid_on().filter(
        official_id=assessment.official_id, agency_id=assessment.agency_id, unit_id=assessment.unit_id,
    ).values_list("roles", flat=True))


def may_read_official(user, assessment: OfficialAssessment) -> Decision:
    if _active(user) and user.pk == assessment.official_id:
        return YES
    if heads_unit(user, assessment) or leads_agency(user, assessment):
        return YES
    return _no(_("Not an assessment you may read."))


def may_official(user, assessment: OfficialAssessment, action: str) -> Decision:
    sources, _target = OFFICIAL_TRANSITIONS[action]
    if not _active(user):
        return _no(_("Sign in first."))
    own = user.pk == assessment.official_id
    if action == "self_assess":
        if not own:
            return _no(_("Only the official assesses themself."))
    elif own:
        return _no(_("Nobody reviews or rates their own assessment."))
    elif action == "review":
        if not heads_unit(user, assessment):
            return _no(_("Only the head of the official's unit reviews the assessment."))
    elif not leads_agency(user, assessment):
        return _no(_("Only a leader of the agency rates the official."))
    if assessment.state not in sources:
        return _no(_("Not possible in the state “%(state)s”.") % {"state": assessment.get_state_display()})
    if action == "rate" and assessment.state == OfficialState.SELF_ASSESSED and needs_unit_review(assessment):
        return _no(_("The head of the official's unit reviews the assessment first."))
    return YES


def official_actions_offered(user, assessment: OfficialAssessment) -> list[str]:
    return [action for action in OFFICIAL_TRANSITIONS if may_official(user, assessment, action)]
