"""Which one-stop desk receives and returns a dossier (Decree 118/2025/NĐ-CP, art. on receiving
regardless of administrative boundary): decided here once, asked by ``dossiers.policy`` (who may
accept, refuse at intake, return the result), by the counter intake and by the queues.

Three places can differ for one dossier:

- the **receiving desk**: the service centre that took it in (``Dossier.receiving_centre``, staffed
  by the centre's agency) or, without a centre, the settling agency's own one-stop desk;
- the **settling agency** (``Dossier.agency``), whose officials process it;
- the **returning desk**: the centre the applicant chose to collect the result at
  (``Dossier.return_centre``), else the settling agency's own desk (which also sends results by
  post or online).

At intake the settling agency's own desk may act too (an online dossier waits at its desk). A desk officer is an official holding ``Action.INTAKE`` at
the desk's agency (``directory.scope``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from directory.models import Agency, ServiceCentre
from directory.scope import Action, can, scope_of

from .models import Dossier, ReturnMethod


def receiving_desk_agency_ids(dossier: Dossier) -> set[int]:
    """The agencies whose desk may take the dossier in (accept, ask to supplement, refuse)."""
    ids = {dossier.agency_id}
    if dossier.receiving_centre_id:
        ids.add(dossier.receiving_centre.agency_id)
    return ids


def returning_desk_agency(dossier: Dossier) -> Agency:
    """The agency whose desk hands the result over: the centre the applicant chose to collect it at;
    otherwise (the settling agency's own desk, by post or online) the settling agency's."""
    if dossier.return_method == ReturnMethod.DESK and dossier.return_centre_id:
        return dossier.return_centre.agency
    return dossier.agency


def is_intake_desk(user, dossier: Dossier) -> bool:
    return any(can(user, Action.INTAKE, agency_id=agency_id) for agency_id in receiving_desk_agency_ids(dossier))


def is_return_desk(user, dossier: Dossier) -> bool:
    return can(user, Action.INTAKE, agency_id=returning_desk_agency(dossier).pk)


def receiving_desk_agency(dossier: Dossier) -> Agency:
    """The desk shown as the one the dossier waits for at intake."""
    return dossier.receiving_centre.agency if dossier.receiving_centre_id else dossier.agency


# --- centres an official staffs ----------------------------------------------------------------


def centres_open() -> QuerySet[ServiceCentre]:
    """Centres in operation today, for the applicant's choice of where to collect the result."""
    return ServiceCentre.objects.valid_on().select_related("agency").order_by("level", "name")


def staffed_centres(user) -> QuerySet[ServiceCentre]:
    """The centres in operation today whose desk ``user`` staffs."""
    scope = scope_of(user, Action.INTAKE)
    centres = centres_open()
    return centres if scope.everything else centres.filter(agency_id__in=scope.agency_ids)


def may_receive(user, *, agency: Agency, centre: ServiceCentre | None) -> bool:
    """Whether ``user`` may take in, at the counter, a dossier settled by ``agency``: at that
    agency's own desk, or at a centre they staff (any agency of the province, Decree 118/2025)."""
    if centre is None:
        return can(user, Action.INTAKE, agency_id=agency.pk)
    return centre.is_valid_on(timezone.localdate()) and can(user, Action.INTAKE, agency_id=centre.agency_id)
