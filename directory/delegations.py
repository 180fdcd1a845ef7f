"""Standing delegations (ủy quyền, giao quyền khi vắng mặt; Decree 30/2020/NĐ-CP art. 13): while
the head of an agency is absent, a deputy processes and signs in their place, with the authority
printed on the document (``directory.authority``).

One door for each change (:func:`record_delegation`, :func:`revoke_delegation`), both audited (the
model is ``@audited``); what a delegation in force grants is decided in ``directory.scope``, the
one place every other door asks. Decision 0019.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Agency, Delegation, Membership, Position
from .scope import ROLE_REACH, Action, can, scope_of

Kind = Delegation.Kind
Standing = Position.Standing

# Who may stand in with which authority (Decree 30/2020, art. 13 and Appendix I): a deputy head signs
# "KT." or, appointed acting head, "Q."; the head of a unit signs "TL." or "TUQ.".
KIND_STANDING = {Kind.DEPUTY: Standing.DEPUTY, Kind.ACTING: Standing.DEPUTY,
                 Kind.BY_ORDER: Standing.UNIT_HEAD, Kind.AUTHORISED: Standing.UNIT_HEAD}


def standing_of(membership: Membership | None) -> str:
    """Where the holder of ``membership`` stands for signing: the position's ``standing``; for a
    position without one, read from its name ("Phó …" a deputy head, "Trưởng …"/"Chánh …" the
    head of a unit) or, for a leader without a position, the head."""
    if membership is None:
        return Standing.OTHER
    position = membership.position
    if position is not None and position.standing:
        return position.standing
    name = (position.name if position is not None else "").strip().lower()
    leads = any(Action.SIGN in ROLE_REACH.get(role, {}) for role in membership.roles)
    if name.startswith("phó "):
        return Standing.DEPUTY if leads or name.startswith(("phó chủ tịch", "phó giám đốc")) else Standing.OTHER
    if leads:
        return Standing.HEAD
    if name.startswith(("trưởng", "chánh")):
        return Standing.UNIT_HEAD
    return Standing.OTHER


def membership_at(user, agency_id: int, day: dt.date | None = None) -> Membership | None:
    """``user``'s place at the agency on ``day`` (the most senior position when they hold several)."""
    return (Membership.objects.valid_on(day).filter(official=user, agency_id=agency_id)
            .select_related("position", "unit").order_by("position__rank", "pk").first())


def in_force(*, deputy, agency_id: int, at: dt.datetime | None = None) -> Delegation | None:
    """The delegation under which ``deputy`` stands in at the agency at ``at`` (the latest begun)."""
    at = at or timezone.now()
    return (Delegation.objects.filter(deputy=deputy, agency_id=agency_id, revoked_at__isnull=True,
                                      starts_at__lte=at, ends_at__gt=at)
            .select_related("principal").order_by("-starts_at", "-pk").first())


def deputies_for(principal_ids, agency_id: int, at: dt.datetime | None = None) -> set[int]:
    """The officials standing in now for any of ``principal_ids`` at the agency (told what they are)."""
    at = at or timezone.now()
    members = Membership.objects.valid_on(timezone.localdate(at)).filter(agency_id=agency_id).values("official_id")
    return set(Delegation.objects.filter(
        principal_id__in=list(principal_ids), agency_id=agency_id, revoked_at__isnull=True, starts_at__lte=at,
        ends_at__gt=at, deputy__is_active=True, deputy_id__in=members).values_list("deputy_id", flat=True))


# --- who may record and revoke ----------------------------------------------------------------------

def _leads(user, agency_id: int) -> bool:
    """A leader of the agency in their own right (a delegation held is not passed on again)."""
    membership = Membership.objects.valid_on().filter(official=user, agency_id=agency_id)
    return any(Action.SIGN in ROLE_REACH.get(role, {}) for m in membership for role in m.roles)


def may_manage(user, agency_id: int, principal_id: int | None = None) -> bool:
    """The agency's administrator (or the province's) for any principal of the agency; a leader for
    their own absence."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if can(user, Action.MANAGE, agency_id=agency_id):
        return True
    return _leads(user, agency_id) and (principal_id is None or principal_id == user.pk)


def agencies_managed(user) -> QuerySet[Agency]:
    """The agencies where ``user`` may record delegations."""
    scope = scope_of(user, Action.MANAGE)
    led = Membership.objects.valid_on().filter(official=user).values_list("agency_id", "roles")
    mine = {agency_id for agency_id, roles in led if any(Action.SIGN in ROLE_REACH.get(r, {}) for r in roles)}
    if user.is_superuser or scope.everything:
        return Agency.objects.valid_on()
    return Agency.objects.valid_on().filter(Q(pk__in=scope.agency_ids) | Q(pk__in=mine))


def delegations_for(user) -> QuerySet[Delegation]:
    """What the officials' page lists: the delegations of the agencies ``user`` administers, and
    those where ``user`` is the principal or the deputy."""
    scope = scope_of(user, Action.MANAGE)
    rows = Delegation.objects.select_related("agency", "principal", "deputy").order_by("-starts_at", "-pk")
    if user.is_superuser or scope.everything:
        return rows
    return rows.filter(Q(agency_id__in=scope.agency_ids) | Q(principal=user) | Q(deputy=user))


# --- the doors ------------------------------------------------------------------------------------------

def check_delegation(*, agency: Agency, principal, deputy, kind: str, starts_at: dt.datetime,
                     ends_at: dt.datetime) -> None:
    """Raise ValidationError (by field) unless the delegation may be recorded as given."""
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose the authority the deputy signs with.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    elif ends_at <= timezone.now():
        errors["ends_at"] = _("The delegation would already be over.")
    if deputy.pk == principal.pk:
        errors["deputy"] = _("Someone cannot stand in for themselves.")
    if not _leads(principal, agency.pk):
        errors["principal"] = _("Only a leader of the agency who signs its documents can be stood in for.")
    deputy_place = membership_at(deputy, agency.pk)
    if deputy_place is None or not deputy.is_active:
        errors["deputy"] = _("The deputy must be an official of the same agency.")
    elif kind in KIND_STANDING and standing_of(deputy_place) != KIND_STANDING[Kind(kind)]:
        errors["deputy"] = (_("KT. and Q. are for a deputy head of the agency.")
                            if KIND_STANDING[Kind(kind)] == Standing.DEPUTY
                            else _("TL. and TUQ. are for the head of a unit of the agency."))
    if errors:
        raise ValidationError(errors)
    overlapping = Delegation.objects.filter(agency=agency, principal=principal, revoked_at__isnull=True,
                                            starts_at__lt=ends_at, ends_at__gt=starts_at)
    if overlapping.filter(deputy=deputy).exists():
        raise ValidationError({"deputy": _("This deputy already stands in for them during part of this period.")})
    if kind == Kind.ACTING and overlapping.filter(kind=Kind.ACTING).exists():
        raise ValidationError({"kind": _("Someone else is already acting head during part of this period.")})


@transaction.atomic
def record_delegation(*, acting_user, agency: Agency, principal, deputy, kind: str, starts_at: dt.datetime,
                      ends_at: dt.datetime, reason: str = "") -> Delegation:
    """Record that ``deputy`` stands in for ``principal`` at ``agency`` from ``starts_at`` to
    ``ends_at`` with the authority ``kind``; by the agency's administrator or the principal."""
    if not may_manage(acting_user, agency.pk, principal.pk):
        raise PermissionDenied(_("Only the agency's administrator or the leader concerned records a delegation."))
    check_delegation(agency=agency, principal=principal, deputy=deputy, kind=kind, starts_at=starts_at, ends_at=ends_at)
    delegation = Delegation(agency=agency, principal=principal, deputy=deputy, kind=kind, starts_at=starts_at,
                            ends_at=ends_at, reason=reason.strip()[:255], created_by=acting_user)
    delegation.full_clean(exclude=["created_by"])
    delegation.save()
    return delegation


@transaction.atomic
def revoke_delegation(*, acting_user, delegation: Delegation) -> Delegation:
    """End a delegation now (its deputy loses what it gave at once); by whoever may record it."""
    current = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if not may_manage(acting_user, current.agency_id, current.principal_id):
        raise PermissionDenied(_("Only the agency's administrator or the leader concerned revokes a delegation."))
    if current.revoked_at is not None or current.ends_at <= timezone.now():
        raise ValidationError(_("This delegation is already over."))
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    return current
