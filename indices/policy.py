"""Who may read the indices of which scope: the one door (reads through ``directory.scope``).

- the province: a reader who sees every agency (province administrators) or every agency in force with
  no parent (the province's People's Committee, with what is under it: its leaders);
- an agency: a reader who sees that agency;
- a commune: a reader who sees the commune's People's Committee (an agency of that administrative unit
  with no unit of a commune above it: every agency of the unit they see);
- a service centre: a reader who sees the agency staffing it.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from directory.models import AdministrativeUnit, Agency, ServiceCentre
from directory.scope import Action, scope_of

from .selectors import AGENCY, CENTRE, COMMUNE, PROVINCE, Scope


def _reach(user):
    return scope_of(user, Action.VIEW)


def sees_province(user) -> bool:
    reach = _reach(user)
    if reach.everything:
        return True
    roots = set(Agency.objects.valid_on().filter(parent__isnull=True).values_list("pk", flat=True))
    return bool(roots) and roots <= reach.agency_ids


def agencies(user) -> QuerySet[Agency]:
    reach = _reach(user)
    if reach.everything:
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=reach.agency_ids)


def communes(user) -> QuerySet[AdministrativeUnit]:
    """Communes all of whose agencies the reader sees (at least one)."""
    units = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE, agencies__isnull=False)
    reach = _reach(user)
    if reach.everything:
        return units.distinct()
    return units.exclude(agencies__in=Agency.objects.exclude(pk__in=reach.agency_ids)).distinct()


def centres(user) -> QuerySet[ServiceCentre]:
    reach = _reach(user)
    if reach.everything:
        return ServiceCentre.objects.all()
    return ServiceCentre.objects.filter(agency_id__in=reach.agency_ids)


def may_read(user, scope: Scope) -> bool:
    if scope.kind == PROVINCE:
        return sees_province(user)
    if scope.kind == AGENCY:
        return agencies(user).filter(pk=scope.id or 0).exists()
    if scope.kind == COMMUNE:
        return communes(user).filter(pk=scope.id or 0).exists()
    if scope.kind == CENTRE:
        return centres(user).filter(pk=scope.id or 0).exists()
    return False


def _in_force_first(kind: str, rows) -> list[tuple[Scope, str]]:
    """(pk, name, valid until) rows as choices: those in force first, then the ended ones (a merged
    commune, a dissolved agency, whose records the reader inherited) with the day they ended."""
    today = timezone.localdate()
    current = [(Scope(kind, pk), name) for pk, name, ended in rows if ended is None or ended >= today]
    ended = [(Scope(kind, pk), _("%(name)s (until %(day)s)") % {"name": name, "day": date_format(day, "d/m/Y")})
             for pk, name, day in rows if day is not None and day < today]
    return current + ended


def readable_scopes(user) -> list[tuple[Scope, str]]:
    """Every scope the reader may choose, with its name, the widest first; in each kind those in force
    before the ended ones (so the default is never a unit that no longer exists)."""
    choices: list[tuple[Scope, str]] = []
    if sees_province(user):
        choices.append((Scope(PROVINCE), Scope(PROVINCE).name()))
    choices += _in_force_first(COMMUNE, communes(user).order_by("name").values_list("pk", "name", "valid_to"))
    choices += _in_force_first(CENTRE, centres(user).order_by("name").values_list("pk", "name", "valid_to"))
    choices += _in_force_first(AGENCY, agencies(user).order_by("code").values_list("pk", "name", "valid_to"))
    return choices
