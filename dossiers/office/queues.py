"""Work lists by role (the queue's tabs), each tab with its count; the saved filters of the page;
the bulk forms (dossiers.office.bulk) offered where the law allows them."""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from directory.models import OrgUnit
from directory.scope import Action, current_places, scope_of
from egov.paging import CappedPaginator
from procedures.models import Procedure
from workdays import calendar
from workdays.calendar import working_hours_per_day

from .. import policy, selectors
from ..models import Dossier
from ..office_forms import BulkAssignForm, QueueFilterForm
from ..result_state import current_results, result_stage
from ..states import Status
from .common import deadline_of, next_actor_text, office

PAGE = "office:queue"  # this list page's name for its saved filters (workspace.saved_filters)
PAGE_SIZE = 50
RESULT_LIMIT = 200  # results waiting for a hand are filtered one by one (their document's stage)
TAB_CAP = 100  # a tab's count stops here ("100+"): reading past it would grow with the flow (decision 0057)
RESULT_CAP = 20  # the result tabs' (decided dossier by dossier): "20+"
LIST_CAP = 1000  # the list's caption and pages stop here: "All" would otherwise count an agency's history

TABS = [
    ("intake", gettext_lazy("Waiting for intake")),
    ("mine", gettext_lazy("In my hands")),
    ("assign", gettext_lazy("To assign")),
    ("issue", gettext_lazy("Waiting for issuance")),
    ("due_soon", gettext_lazy("Due soon")),
    ("overdue", gettext_lazy("Overdue")),
    ("waiting", gettext_lazy("Waiting for the applicant")),
    ("results", gettext_lazy("Results to return")),
    ("all", gettext_lazy("All")),
]
# The result tabs, filtered dossier by dossier through dossiers.policy: (scope action, policy action).
RESULT_TABS = {"issue": (Action.ISSUE, "issue_result"), "results": (Action.INTAKE, "return_result")}
PYTHON_TABS = tuple(RESULT_TABS)


def _tabs_for(user) -> list[str]:
    shown = {"due_soon", "overdue", "waiting", "all"}
    if not scope_of(user, Action.INTAKE).empty:
        shown |= {"intake", "results"}
    if not scope_of(user, Action.ACT).empty:
        shown.add("mine")
    if not scope_of(user, Action.ASSIGN).empty:
        shown.add("assign")
    if not scope_of(user, Action.ISSUE).empty:
        shown.add("issue")
    return [name for name, _label in TABS if name in shown]


def _desk_q(user) -> Q:
    """Dossiers at a one-stop desk the user staffs (Action.INTAKE, as dossiers.desks decides): those
    settled by its agency or received at a centre it staffs."""
    scope = scope_of(user, Action.INTAKE)
    if scope.everything:
        return Q()
    return Q(agency__in=scope.agency_ids) | Q(receiving_centre__in=selectors.centre_ids(user, scope.agency_ids))


def _in_my_hands_q(user) -> Q | None:
    """``policy.holds_step`` in SQL: the current step is mine, or nobody's yet and I hold its
    role in its agency (and unit, when it names one), within my scope to act."""
    scope = scope_of(user, Action.ACT)
    if scope.empty:
        return None
    free = Q(pk__in=[])
    for m in current_places(user):
        place = Q(current_step__unit__isnull=True)
        if m["unit_id"]:
            place |= Q(current_step__unit_id=m["unit_id"])
        free |= Q(current_step__agency_id=m["agency_id"], current_step__role__in=m["roles"]) & place
    mine = Q(current_step__assignee=user) | (Q(current_step__assignee__isnull=True) & free)
    return (Q(status__in=[Status.IN_PROGRESS, Status.PAUSED], current_step__handed_at__isnull=True)
            & scope.q("current_step__agency", "current_step__unit") & mine)


def _tab_q(user, tab: str, now: dt.datetime) -> Q | None:
    """The condition of a tab computed in SQL, on top of the dossiers the user reads; None: empty."""
    if tab == "intake":
        return Q(status=Status.SUBMITTED) & _desk_q(user)
    if tab == "mine":
        return _in_my_hands_q(user)
    if tab == "assign":
        scope = scope_of(user, Action.ASSIGN)
        if scope.empty:
            return None
        return Q(status=Status.IN_PROGRESS, current_step__assignee__isnull=True,
                 current_step__handed_at__isnull=True) & scope.q(
            "current_step__agency", "current_step__unit")
    if tab == "due_soon":
        soon = calendar.add_working_hours(now, working_hours_per_day())
        return Q(status=Status.IN_PROGRESS, due_at__gte=now, due_at__lte=soon)
    if tab == "overdue":
        return selectors.overdue_q(now)
    if tab == "waiting":
        return Q(status=Status.SUPPLEMENT_REQUESTED)
    return Q()


def _result_ids(user, action: Action, name: str, enough: int | None = None) -> list[int]:
    """Approved dossiers on which ``user`` may take the result action ``name`` now (issue at the
    issuing agency, which may not be the receiving one; return at the receiving desk): the first
    ``RESULT_LIMIT`` candidates; with ``enough``, decided ``enough`` at a time, stopping once that
    many are allowed."""
    scope = scope_of(user, action)
    if scope.empty:
        return []
    candidates = Dossier.objects.filter(status=Status.RESULT_READY)
    if not scope.everything and action == Action.INTAKE:
        # Returned at the settling agency's desk or at the centre the applicant chose
        # (dossiers.desks.returning_desk_agency): the dossier's own columns, no join.
        candidates = candidates.filter(Q(agency__in=scope.agency_ids)
                                       | Q(return_centre__in=selectors.centre_ids(user, scope.agency_ids)))
    elif not scope.everything:
        # Issued by the agency of the process's last step (dossiers.result_state.issuing_agency).
        candidates = candidates.filter(Q(agency__in=scope.agency_ids) | Q(steps__agency__in=scope.agency_ids)).distinct()
    candidates = candidates.select_related(
        "agency", "process", "receiving_centre", "return_centre__agency").prefetch_related(
        current_results()).order_by("result_ready_at")
    ids: list[int] = []
    size = enough or RESULT_LIMIT
    for start in range(0, RESULT_LIMIT, size):
        chunk = list(candidates[start:min(start + size, RESULT_LIMIT)])
        ids += [d.pk for d in chunk if policy.decide(user, d, name)]
        if len(chunk) < size or (enough is not None and len(ids) >= enough):
            break
    return ids


def tab_queryset(user, tab: str, now: dt.datetime):
    """The dossiers a tab lists."""
    if tab in PYTHON_TABS:
        return Dossier.objects.filter(pk__in=_result_ids(user, *RESULT_TABS[tab]))
    condition = _tab_q(user, tab, now)
    base = selectors.dossiers_for_official(user)
    return base.none() if condition is None else base.filter(condition)


def tab_counts(user, tabs: list[str], now: dt.datetime) -> dict[str, int]:
    """How many dossiers each tab lists, counted up to ``TAB_CAP`` + 1 (shown as "100+") by a
    subquery that stops reading there, all tabs in one statement: a desk's page costs the same
    whether its agency has ten or ten thousand dossiers open (decision 0057). The result tabs,
    decided dossier by dossier, stop deciding once ``RESULT_CAP`` + 1 are allowed."""
    counts = {tab: len(_result_ids(user, *RESULT_TABS[tab], enough=RESULT_CAP + 1))
              for tab in tabs if tab in PYTHON_TABS}
    in_sql = {}
    for tab in tabs:
        if tab in PYTHON_TABS:
            continue
        # "Overdue" is counted arm by arm (one state each, so they add up): an OR of them would make
        # PostgreSQL read every open dossier of the province instead of the agency's work-list index.
        arms = selectors.overdue_arms(now) if tab == "overdue" else [_tab_q(user, tab, now)]
        in_sql[tab] = [selectors.dossiers_for_official(user).filter(arm) for arm in arms if arm is not None]
    counts.update(_capped_counts(in_sql))
    return counts


def _capped_counts(parts: dict[str, list]) -> dict[str, int]:
    """``{tab: [querysets]}`` → ``{tab: rows of its querysets, up to TAB_CAP + 1}``, in one round trip:
    ``SELECT (SELECT COUNT(*) FROM (… LIMIT 101)) + …, …``."""
    columns, params = [], []
    for querysets in parts.values():
        terms = []
        for queryset in querysets:
            sql, more = queryset.order_by().values("pk")[:TAB_CAP + 1].query.sql_with_params()
            terms.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")  # noqa: S608 - compiled by the ORM, values in params
            params.extend(more)
        columns.append(" + ".join(terms) or "0")
    if not columns:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return {tab: min(TAB_CAP + 1, count) for tab, count in zip(parts, row, strict=True)}


def shown_count(tab: str, count: int) -> str:
    """A tab's count as the page shows it: "100+" beyond ``TAB_CAP`` ("20+" for a result tab)."""
    cap = RESULT_CAP if tab in PYTHON_TABS else TAB_CAP
    return f"{cap}+" if count > cap else str(count)


def _procedures_in_scope(user):
    scope = scope_of(user, Action.VIEW)
    procedures = Procedure.objects.select_related("current").order_by("code")
    if scope.everything:
        return procedures
    agency_ids = set(scope.agency_ids) | set(
        OrgUnit.objects.filter(pk__in=scope.unit_ids).values_list("agency_id", flat=True))
    return procedures.filter(pk__in=Procedure.objects.filter(versions__agencies__in=agency_ids).values("pk"))


def _filtered(dossiers, filters: QueueFilterForm, now: dt.datetime):
    if not (filters.is_bound and filters.is_valid()):
        return dossiers
    data = filters.cleaned_data
    if data["procedure"]:
        dossiers = dossiers.filter(procedure_version__procedure=data["procedure"])
    if data["status"]:
        dossiers = dossiers.filter(status=data["status"])
    if data["deadline"] == "due_soon":
        dossiers = dossiers.filter(status=Status.IN_PROGRESS, due_at__gte=now,
                                   due_at__lte=calendar.add_working_hours(now, working_hours_per_day()))
    elif data["deadline"] == "overdue":
        dossiers = dossiers.filter(selectors.overdue_q(now))
    if data["q"]:
        dossiers = dossiers.filter(selectors.search_q(data["q"]))
    return dossiers


def _mark_returnable(user, page) -> bool:
    """On the results tab: which rows the bulk return offers — exactly those the policy lets the
    user return, whose result was issued electronically (a paper result is handed over at the
    counter, from the dossier's page)."""
    any_returnable = False
    for dossier in page:
        dossier.electronic = result_stage(dossier) == "issued"
        dossier.returnable = dossier.electronic and bool(policy.decide(user, dossier, "return_result"))
        any_returnable = any_returnable or dossier.returnable
    return any_returnable


def _results_to_sign(user) -> int:
    """How many approved results wait for this leader's signature (the batch signing page, "to
    sign", lists them); dossiers.policy decides, dossier by dossier."""
    if scope_of(user, Action.SIGN).empty:
        return 0
    approved = selectors.dossiers_for_official(user).filter(status=Status.RESULT_READY).select_related(
        "process").order_by("result_ready_at")[:RESULT_LIMIT]
    return sum(1 for dossier in approved if policy.decide(user, dossier, "sign_result"))


@office
def queue(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    tabs = _tabs_for(user)
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else tabs[0]
    filters = QueueFilterForm(request.GET or None, procedures=_procedures_in_scope(user))
    dossiers = _filtered(tab_queryset(user, tab, now), filters, now)
    order = [F("submitted_at").asc()] if tab == "intake" else (
        [F("due_at").asc(nulls_last=True), "submitted_at"] if tab != "all" else ["-submitted_at"])
    # What a row shows (dossiers.office.common: the deadline, who acts next). Only the lists that hold
    # approved dossiers join what their result's holder needs: planning the wider join costs more
    # than reading the page of open work.
    dossiers = dossiers.select_related("procedure_version", "agency", "current_step__assignee", "current_step__unit",
                                       "current_step__agency", "receiving_centre__agency").order_by(*order, "pk")
    if tab in (*PYTHON_TABS, "all"):
        dossiers = dossiers.select_related("process", "return_centre__agency")
    if tab in PYTHON_TABS:
        dossiers = dossiers.prefetch_related(current_results())  # each row's result is decided again
    page = CappedPaginator(dossiers, PAGE_SIZE, cap=LIST_CAP).get_page(request.GET.get("page"))
    for dossier in page:
        dossier.deadline = deadline_of(dossier, now)
        dossier.holder = next_actor_text(dossier)
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    params["tab"] = tab
    counts = tab_counts(user, tabs, now)
    _sweep_if_embedded()
    context = {
        "tab": tab, "tabs": [{"name": n, "label": label, "count": shown_count(n, counts[n]), "url": "?" + urlencode({"tab": n})}
                             for n, label in TABS if n in tabs],
        "tab_label": dict(TABS)[tab], "filters": filters, "page_obj": page,
        "querystring_base": urlencode(params) + "&",
        "bulk": BulkAssignForm(user=user) if tab == "assign" else None,
        "bulk_return": tab == "results" and _mark_returnable(user, page),
        "bulk_url": reverse("office:bulk_assign") if tab == "assign" else (
            reverse("office:bulk_return") if tab == "results" else ""),
        "can_take_in": not scope_of(user, Action.INTAKE).empty,
        "to_sign": _results_to_sign(user),
        "filter_page": PAGE, "filter_query": urlencode(params),
        "next": request.get_full_path(),
    }
    return render(request, "dossiers/office/queue.html", context)


def _sweep_if_embedded() -> None:
    """Embedded default (no broker): the deadline sweep runs after officials' pages (sweeps.py)."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        from ..sweeps import sweep_if_due

        sweep_if_due()
