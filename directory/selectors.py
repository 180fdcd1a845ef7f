"""Reads of the directory shared by views, the API and reports; scoped by the reader."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, F, Q, QuerySet, When
from django.utils import timezone

from .models import AdministrativeUnit, Agency, Membership, OrgUnit
from .scope import Action, visible


def province_unit(day: dt.date | None = None) -> AdministrativeUnit | None:
    """The province this installation serves (EGOV_PROVINCE_CODE) as it stands on ``day``: when that
    province has been merged into another (Bắc Kạn into Thái Nguyên on 1 July 2025), its successor
    (looked for over two mergers, in one query: this runs on every page)."""
    day = day or timezone.localdate()
    code, province = settings.EGOV_PROVINCE_CODE, AdministrativeUnit.Level.PROVINCE
    in_force = (
        AdministrativeUnit.objects.valid_on(day).filter(level=province)
        .filter(Q(code=code) | Q(predecessors__code=code) | Q(predecessors__predecessors__code=code))
        .annotate(own=Case(When(code=code, then=0), default=1)).order_by("own", "code")
    ).first()
    if in_force is not None:
        return in_force
    rows = AdministrativeUnit.objects.filter(code=code, level=province)
    return rows.order_by(F("valid_from").desc(nulls_last=True)).first()


def province_name() -> str:
    """Name of the province this installation serves today (from the directory, cached)."""
    key = f"province-name:{settings.EGOV_PROVINCE_CODE}:{timezone.localdate().isoformat()}"
    name = cache.get(key)
    if name is None:
        unit = province_unit()
        name = unit.name if unit else ""
        cache.set(key, name, 300)
    return name


def agencies_in_force(day: dt.date | None = None) -> QuerySet[Agency]:
    """The agencies that exist on ``day`` (today by default): what a list offering an agency to choose
    offers. Records keep the agency they were made with, whatever became of it since."""
    return Agency.objects.valid_on(day)


def agencies_for(user, action: Action = Action.VIEW) -> QuerySet[Agency]:
    return visible(user, Agency.objects.select_related("parent", "administrative_unit"), action,
                   agency_field="id", unit_field=None)


def units_for(user, action: Action = Action.VIEW) -> QuerySet[OrgUnit]:
    return visible(user, OrgUnit.objects.select_related("agency"), action, agency_field="agency", unit_field="id")


def memberships_for(user, action: Action = Action.VIEW) -> QuerySet[Membership]:
    return visible(
        user, Membership.objects.valid_on().select_related("official", "agency", "unit", "position"), action
    )


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.valid_on().filter(official=user).select_related("agency", "unit", "position")
