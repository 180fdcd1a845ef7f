"""The one place that decides what an official may read and act on.

A record belongs to an agency and, optionally, to one of its units. Each role reaches
records at some distance from the official's own place (their unit, their agency, their
agency and the agencies under it, or the whole province); an official's reach for an action
is the union over their current memberships. Every list and detail view asks this module,
through :func:`visible` for querysets and :func:`can` for one record.

Citizens and businesses have no memberships, so they reach no agency records; their own
records are selected by owner in the app that holds them.

A standing delegation in force (``Delegation``, Decree 30/2020 art. 13: a deputy processes and signs
while the head is absent) adds to the deputy's places the principal's places at that agency, for
the roles that sign, and only for the actions in ``DELEGATED_ACTIONS``: every door that asks this
module honours it, and an expired or revoked delegation gives nothing. The deputy must be a
current member of the agency themselves (an official of another agency is never a deputy).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Agency, Delegation, Membership, Role


class Action(enum.StrEnum):
    VIEW = "view"  # read a record
    ACT = "act"  # change the state of a record (process, sign, register...)
    ASSIGN = "assign"  # hand a record to an official or unit
    MANAGE = "manage"  # maintain the directory (units, officials, memberships)
    AUDIT = "audit"  # read the audit trail
    INTAKE = "intake"  # receive, refuse or return at the one-stop desk (tiếp nhận, trả kết quả)
    SIGN = "sign"  # sign as the competent person (ký số: người có thẩm quyền)
    ISSUE = "issue"  # number, seal and issue a signed document (phát hành: văn thư)


class Reach(enum.IntEnum):
    NONE = 0
    UNIT = 1  # the official's own unit
    AGENCY = 2  # the official's whole agency
    SUBTREE = 3  # the agency and every agency under it
    PROVINCE = 4  # every agency


V, A, S, M, AU = Action.VIEW, Action.ACT, Action.ASSIGN, Action.MANAGE, Action.AUDIT
IN, SG, IS = Action.INTAKE, Action.SIGN, Action.ISSUE
# Role and reach always come from the same membership (scope_of walks memberships one by one):
# a clerk of agency X who is a desk officer of agency Y issues for X only.
ROLE_REACH: dict[str, dict[Action, Reach]] = {
    Role.DESK_OFFICER: {V: Reach.AGENCY, A: Reach.AGENCY, IN: Reach.AGENCY},
    Role.SPECIALIST: {V: Reach.UNIT, A: Reach.UNIT},
    Role.UNIT_HEAD: {V: Reach.UNIT, A: Reach.UNIT, S: Reach.UNIT},
    Role.AGENCY_LEADER: {V: Reach.SUBTREE, A: Reach.AGENCY, S: Reach.AGENCY, SG: Reach.AGENCY},
    Role.CLERK: {V: Reach.AGENCY, A: Reach.AGENCY, IS: Reach.AGENCY},
    Role.AGENCY_ADMIN: {V: Reach.AGENCY, M: Reach.AGENCY},
    Role.PROVINCE_ADMIN: {V: Reach.PROVINCE, M: Reach.PROVINCE, AU: Reach.PROVINCE},
    Role.AUDITOR: {V: Reach.SUBTREE, AU: Reach.SUBTREE},
}


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    agency_ids: frozenset[int] = frozenset()  # whole agencies reached
    unit_ids: frozenset[int] = frozenset()  # single units reached (inside other agencies)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.agency_ids or self.unit_ids)

    def allows(self, agency_id: int | None, unit_id: int | None = None) -> bool:
        if self.everything:
            return True
        if agency_id in self.agency_ids:
            return True
        return unit_id is not None and unit_id in self.unit_ids

    def q(self, agency_field: str = "agency", unit_field: str | None = "unit") -> Q:
        if self.everything:
            return Q()
        condition = Q(**{f"{agency_field}__in": self.agency_ids})
        if unit_field and self.unit_ids:
            condition |= Q(**{f"{unit_field}__in": self.unit_ids})
        return condition


def _descendants(roots: set[int]) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for agency_id, parent_id in Agency.objects.values_list("id", "parent_id"):
        children[parent_id].append(agency_id)
    found, stack = set(roots), list(roots)
    while stack:
        for child in children[stack.pop()]:
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


# Reading and auditing reach the records of the agencies an agency took over from (merged,
# reorganised: Agency.successors), however far back; acting on them does not. Decision 0015.
HISTORY_ACTIONS = frozenset({Action.VIEW, Action.AUDIT})


def _predecessors(agency_ids: set[int]) -> set[int]:
    """The agencies that ``agency_ids`` succeeded, directly or through others."""
    earlier: dict[int, list[int]] = defaultdict(list)
    for before, after in Agency.successors.through.objects.values_list("from_agency_id", "to_agency_id"):
        earlier[after].append(before)
    if not earlier:
        return set()
    found, stack = set(), list(agency_ids)
    while stack:
        for before in earlier[stack.pop()]:
            if before not in found and before not in agency_ids:
                found.add(before)
                stack.append(before)
    return found


def _current_memberships(user):
    cache = getattr(user, "_scope_memberships", None)
    if cache is None:
        cache = list(Membership.objects.valid_on().filter(official=user).values("agency_id", "unit_id", "roles"))
        user._scope_memberships = cache
    return cache


def current_places(user) -> list[dict]:
    """The official's memberships in force ({agency_id, unit_id, roles}), read once per request."""
    return _current_memberships(user)


# What a delegation passes on: reading, processing and signing what the principal would (not
# assigning, managing or issuing). Decision 0019.
DELEGATED_ACTIONS = frozenset({Action.VIEW, Action.ACT, Action.SIGN})


def _delegated_places(user) -> list[dict]:
    """The principal's places that ``user`` holds now under a delegation in force: the principal's
    current memberships at the delegation's agency, with the roles that sign (the leader's)."""
    cache = getattr(user, "_scope_delegated", None)
    if cache is not None:
        return cache
    cache = []
    own_agencies = {membership["agency_id"] for membership in _current_memberships(user)}
    if own_agencies:
        now = timezone.now()
        delegations = list(Delegation.objects.filter(
            deputy=user, agency_id__in=own_agencies, revoked_at__isnull=True, starts_at__lte=now, ends_at__gt=now,
            principal__is_active=True).values("id", "agency_id", "principal_id"))
        if delegations:
            places = list(Membership.objects.valid_on().filter(
                official_id__in={d["principal_id"] for d in delegations}).values(
                "official_id", "agency_id", "unit_id", "roles"))
            for delegation in delegations:
                for place in places:
                    if (place["official_id"], place["agency_id"]) != (delegation["principal_id"],
                                                                      delegation["agency_id"]):
                        continue
                    roles = [role for role in place["roles"] if Action.SIGN in ROLE_REACH.get(role, {})]
                    if roles:
                        cache.append({"agency_id": place["agency_id"], "unit_id": place["unit_id"], "roles": roles,
                                      "principal_id": delegation["principal_id"],
                                      "delegation_id": delegation["id"]})
    user._scope_delegated = cache
    return cache


def stands_in_for(user, agency_id: int | None) -> frozenset[int]:
    """The officials whose place ``user`` holds now at ``agency_id`` under a delegation in force."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(place["principal_id"] for place in _delegated_places(user) if place["agency_id"] == agency_id)


def holds_delegated_role(user, *, agency_id: int, unit_id: int | None, role: str) -> bool:
    """Whether ``user`` holds ``role`` at ``agency_id`` (and ``unit_id``, when given) through a
    delegation in force: the step of a process waiting for the leader waits for their deputy too."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return any(place["agency_id"] == agency_id and role in place["roles"]
               and (not unit_id or place["unit_id"] == unit_id) for place in _delegated_places(user))


def scope_of(user, action: Action) -> Scope:
    """Everything ``user`` may do ``action`` on, computed once per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    cache = user.__dict__.setdefault("_scope_cache", {})
    if action in cache:
        return cache[action]
    agencies: set[int] = set()
    subtree_roots: set[int] = set()
    units: set[int] = set()
    everything = False
    places = _current_memberships(user)
    if action in DELEGATED_ACTIONS:
        places = places + _delegated_places(user)
    for membership in places:
        for role in membership["roles"]:
            reach = ROLE_REACH.get(role, {}).get(action, Reach.NONE)
            if reach == Reach.PROVINCE:
                everything = True
            elif reach == Reach.SUBTREE:
                subtree_roots.add(membership["agency_id"])
            elif reach == Reach.AGENCY:
                agencies.add(membership["agency_id"])
            elif reach == Reach.UNIT and membership["unit_id"] is not None:
                units.add(membership["unit_id"])
    if subtree_roots and not everything:
        agencies |= _descendants(subtree_roots)
    if action in HISTORY_ACTIONS and agencies and not everything:
        agencies |= _predecessors(agencies)
    scope = Scope(everything=everything, agency_ids=frozenset(agencies), unit_ids=frozenset(units))
    cache[action] = scope
    return scope


def can(user, action: Action, *, agency_id: int | None, unit_id: int | None = None) -> bool:
    return scope_of(user, action).allows(agency_id, unit_id)


def can_on(user, action: Action, record) -> bool:
    """``record`` is anything with ``agency_id`` and optionally ``unit_id``."""
    return can(user, action, agency_id=getattr(record, "agency_id", None), unit_id=getattr(record, "unit_id", None))


def visible(
    user, queryset: QuerySet, action: Action = Action.VIEW, *, agency_field: str = "agency",
    unit_field: str | None = "unit",
) -> QuerySet:
    """``queryset`` narrowed to the records ``user`` may do ``action`` on."""
    scope = scope_of(user, action)
    if scope.empty:
        return queryset.none()
    return queryset.filter(scope.q(agency_field, unit_field))


def roles_of(user) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    return {role for membership in _current_memberships(user) for role in membership["roles"]}


def is_official(user) -> bool:
    return bool(roles_of(user)) or bool(getattr(user, "is_superuser", False))
