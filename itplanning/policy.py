"""Who may read and change IT plans, projects and assets: the one place that decides, which
``itplanning.services``, ``itplanning.selectors`` and the pages call.

- IT planning is the business of the agencies' administrators and leaders, the province's IT
  department (PROVINCE_ADMIN) and the auditors: the *planners*. Other officials see nothing here.
- A planner reads the plans, projects and assets of the agencies their reach covers for reading
  (``directory.scope``, ``Action.VIEW``: an agency admin their agency, a leader their agency and
  those under it, the province admin and the province's auditor every agency); an approved plan
  and its projects are read by every planner, so agencies see what the others plan and do not
  build the same system twice. A draft stays with its agency.
- The agency's administrators (``Action.MANAGE``) and leaders (``Action.SIGN``) change their
  agency's plans, projects and assets; the province admin changes every agency's. An auditor
  changes nothing.
- A plan's header and its projects' budgets change only while the plan is a draft; approval
  records the decision that adopted it. Phases, disbursements and components are followed after.
- The province's plan is owned by the provincial People's Committee (the root agency): its
  leaders and the province admin keep it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from directory.models import Agency, Role
from directory.scope import Action, can, roles_of, scope_of

from .models import Asset, Plan, PlanStatus, Project

PLANNERS = frozenset({Role.AGENCY_ADMIN, Role.AGENCY_LEADER, Role.PROVINCE_ADMIN, Role.AUDITOR})
PLAN_ACTIONS = ("edit", "approve", "add_project")
PROJECT_ACTIONS = ("edit", "budget", "follow")  # follow: phases, disbursements, components


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


YES = Decision(True)


def _no(reason: str) -> Decision:
    return Decision(False, reason)


def is_planner(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or roles_of(user) & PLANNERS)


def may_read_agency(user, agency_id: int | None) -> bool:
    return is_planner(user) and can(user, Action.VIEW, agency_id=agency_id)


def may_edit_agency(user, agency_id: int | None) -> bool:
    """The agency's administrators and leaders, and the province admin."""
    return can(user, Action.MANAGE, agency_id=agency_id) or can(user, Action.SIGN, agency_id=agency_id)


def editable_agencies(user):
    """The agencies whose plans and assets ``user`` keeps (for the forms' choices)."""
    agencies = Agency.objects.valid_on()
    manage, sign = scope_of(user, Action.MANAGE), scope_of(user, Action.SIGN)
    if manage.everything or sign.everything:
        return agencies
    return agencies.filter(pk__in=manage.agency_ids | sign.agency_ids)


def may_synchronise_certificates(user) -> bool:
    """Listing the signing certificates of every agency is the province's IT department's job."""
    return scope_of(user, Action.MANAGE).everything


def can_read_plan(user, plan: Plan) -> bool:
    return may_read_agency(user, plan.agency_id) or (plan.status == PlanStatus.APPROVED and is_planner(user))


def can_read_project(user, project: Project) -> bool:
    return can_read_plan(user, project.plan) or may_read_agency(user, project.agency_id)


def can_read_asset(user, asset: Asset) -> bool:
    return may_read_agency(user, asset.agency_id)


def decide_plan(user, plan: Plan, action: str) -> Decision:
    if action not in PLAN_ACTIONS:
        raise ValueError(action)
    if not may_edit_agency(user, plan.agency_id):
        return _no(_("Only the agency's administrators and leaders, or the province's IT department, keep this plan."))
    if action in ("edit", "approve") and plan.status != PlanStatus.DRAFT:
        return _no(_("An approved plan is changed only by a new plan."))
    return YES


def decide_project(user, project: Project, action: str) -> Decision:
    if action not in PROJECT_ACTIONS:
        raise ValueError(action)
    if not (may_edit_agency(user, project.plan.agency_id) or may_edit_agency(user, project.agency_id)):
        return _no(_("Only the administrators and leaders of the plan's or the project's agency keep this project."))
    if action in ("edit", "budget") and project.plan.status != PlanStatus.DRAFT:
        return _no(_("The plan is approved: its projects and budgets are changed only by a new plan."))
    return YES


def decide_asset(user, asset: Asset) -> Decision:
    if asset.signing_certificate_id is not None:
        return _no(_("This certificate is copied from the signing certificates; it is changed there."))
    if not may_edit_agency(user, asset.agency_id):
        return _no(_("Only the owner agency's administrators and leaders keep its assets."))
    return YES


def require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def plan_actions(user, plan: Plan) -> frozenset[str]:
    return frozenset(a for a in PLAN_ACTIONS if decide_plan(user, plan, a))


def project_actions(user, project: Project) -> frozenset[str]:
    return frozenset(a for a in PROJECT_ACTIONS if decide_project(user, project, a))
