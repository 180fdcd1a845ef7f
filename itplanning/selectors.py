"""What a planner may read, in SQL (``itplanning.policy`` says the same for one row)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from directory.scope import Action, scope_of

from . import policy
from .models import Asset, Plan, PlanStatus, Project


def _agency_q(user, field: str) -> Q:
    return scope_of(user, Action.VIEW).q(field, None)


def readable_plans(user) -> QuerySet[Plan]:
    if not policy.is_planner(user):
        return Plan.objects.none()
    if scope_of(user, Action.VIEW).everything:  # (Q() | x is x: an empty Q is no "match all" in an or)
        return Plan.objects.select_related("agency", "parent")
    condition = Q(status=PlanStatus.APPROVED)
    if not scope_of(user, Action.VIEW).empty:
        condition |= _agency_q(user, "agency")
    return Plan.objects.filter(condition).select_related("agency", "parent")


def readable_projects(user) -> QuerySet[Project]:
    if not policy.is_planner(user):
        return Project.objects.none()
    if scope_of(user, Action.VIEW).everything:
        return Project.objects.select_related("plan", "agency", "system_kind")
    condition = Q(plan__status=PlanStatus.APPROVED)
    if not scope_of(user, Action.VIEW).empty:
        condition |= _agency_q(user, "plan__agency") | _agency_q(user, "agency")
    return Project.objects.filter(condition).select_related("plan", "agency", "system_kind")


def readable_assets(user) -> QuerySet[Asset]:
    if not policy.is_planner(user) or scope_of(user, Action.VIEW).empty:
        return Asset.objects.none()
    return Asset.objects.filter(_agency_q(user, "agency")).select_related("agency", "project")
