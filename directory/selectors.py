"""Reads of the directory shared by views, the API and reports; scoped by the reader."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from .models import AdministrativeUnit, Agency, Membership, OrgUnit
from .scope import Action, visible


def province_name() -> str:
    """Name of the province this installation serves (from the directory, cached)."""
    key = f"province-name:{settings.EGOV_PROVINCE_CODE}"
    name = cache.get(key)
    if name is None:
        unit = (
            AdministrativeUnit.objects.filter(code=settings.EGOV_PROVINCE_CODE, level="province")
            .order_by("-valid_from")
            .first()
        )
        name = unit.name if unit else ""
        cache.set(key, name, 300)
    return name


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
