"""What-if for ``bench/scale.py --whatif``: two rewrites of the officials' work lists, applied in the
benchmark's process only (the application's code is not changed), to measure what they would be
worth at 10 million dossiers before anyone makes them. Each gives the same dossiers as today.

1. ``dossiers.selectors.dossiers_for_official`` as one condition on the dossier's own columns
   (settling agency or unit, agency holding it now, receiving or returning centre, the centres'
   ids read first) instead of the union of four ``pk IN (subquery)``: PostgreSQL can combine
   indexes for an OR of columns (BitmapOr), while an OR of hashed subqueries reads the whole table
   for the counts, and builds the set of every dossier the agency ever had for the lists.
2. ``dossiers.office.queues.tab_counts`` counting the tabs over the open dossiers only (every tab
   but "All" is a state of an open dossier), and "All" up to ``ALL_CAP`` (shown as "1000+"):
   counting everything an agency ever received grows with its history, not with its work.
"""

from __future__ import annotations

from django.db.models import Count, Q

ALL_CAP = 1000


def dossiers_for_official(user, action=None):
    from directory.models import ServiceCentre
    from directory.scope import Action, scope_of
    from dossiers.models import Dossier
    from dossiers.states import Status

    scope = scope_of(user, action or Action.VIEW)
    base = Dossier.objects.exclude(status=Status.DRAFT)
    if scope.empty:
        return base.none()
    condition = Q()
    if not scope.everything:
        centres = list(ServiceCentre.objects.filter(agency__in=scope.agency_ids).values_list("pk", flat=True))
        condition = scope.q("agency", "unit") | scope.q("current_agency", "unit")
        if centres:
            condition |= Q(receiving_centre__in=centres) | Q(return_centre__in=centres)
    return base.filter(condition).select_related("procedure_version", "agency", "current_step", "assignee")


def tab_counts(user, tabs, now):
    from dossiers import selectors
    from dossiers.office import queues
    from dossiers.states import Status

    open_statuses = [Status.SUBMITTED, Status.IN_PROGRESS, Status.PAUSED, Status.SUPPLEMENT_REQUESTED]
    in_sql = {tab: queues._tab_q(user, tab, now) for tab in tabs if tab not in queues.PYTHON_TABS}
    wanted = {tab: Count("pk", filter=q) for tab, q in in_sql.items() if q is not None and tab != "all"}
    counts = {tab: 0 for tab in in_sql}
    if wanted:
        counts.update(selectors.dossiers_for_official(user).filter(status__in=open_statuses).aggregate(**wanted))
    if "all" in in_sql:
        counts["all"] = selectors.dossiers_for_official(user).order_by()[:ALL_CAP].count()
    for tab in tabs:
        if tab in queues.PYTHON_TABS:
            counts[tab] = queues.tab_queryset(user, tab, now).count()
    return counts


def apply() -> None:
    from dossiers import selectors
    from dossiers.office import queues

    selectors.dossiers_for_official = dossiers_for_official
    queues.tab_counts = tab_counts


def revert(saved: tuple) -> None:
    from dossiers import selectors
    from dossiers.office import queues

    selectors.dossiers_for_official, queues.tab_counts = saved


def saved() -> tuple:
    from dossiers import selectors
    from dossiers.office import queues

    return selectors.dossiers_for_official, queues.tab_counts
