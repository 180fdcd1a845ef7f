"""The data-volume benchmark's generator and its what-if (bench/scale.py, docs/benchmarks.md "10 million
dossiers"), on a few thousand dossiers: the generated province is one the pages can read, and the work
lists written for volume (one condition on the dossier's own columns, counts over open dossiers only,
decision 0055) list the same dossiers and count the same tabs as the union of subqueries they
replaced. PostgreSQL only: the generator is written in its SQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator is PostgreSQL's SQL"),
]


@pytest.fixture
def province():
    from bench import scale

    world = scale._world(suffix="H99", citizen="congdan.quymo@example.vn")  # beside the demo directory
    scale._grow(world, 1, 3000, timezone.now().replace(microsecond=0))
    return world


def test_the_generated_province_has_what_the_issue_asks(province):
    from audit.models import AuditEntry
    from directory.models import AdministrativeUnit, Agency
    from documents.models import Document
    from dossiers.models import Dossier, DossierEvent, DossierStep

    assert Agency.objects.filter(code__endswith=".H99").count() == 200
    assert AdministrativeUnit.objects.filter(level="commune", parent=province["province"]).count() == 92
    assert Dossier.objects.count() == 3000 and Document.objects.count() == 300
    assert DossierEvent.objects.count() >= 3000 and DossierStep.objects.exists()
    assert AuditEntry.objects.filter(object_type="dossiers.dossier").count() >= 3000
    assert len(set(Dossier.objects.values_list("code", flat=True))) == 3000
    # Open dossiers have their current step, as the work lists expect.
    assert not Dossier.objects.filter(status="in_progress", current_step__isnull=True).exists()
    # ... and that step is still open, which "in my hands" and "to assign" count by (decision 0057).
    assert not Dossier.objects.filter(status__in=["in_progress", "paused"], current_step__handed_at__isnull=False).exists()


def test_the_pages_measured_answer(province):
    from bench import scale

    picks = scale._samples(province, 3)
    requests = scale._requests(province, picks)
    for page in scale.PAGES:
        requests[page](0)  # raises on anything but 200 (and the lookup shows the dossier's code)


def _union_of_subqueries(user):
    """The official's dossiers as they were read before decision 0055: the reference."""
    from directory.scope import visible
    from dossiers.models import Dossier
    from dossiers.states import Status

    base = Dossier.objects.exclude(status=Status.DRAFT)
    parts = [visible(user, base).values("pk"), visible(user, base, agency_field="current_agency").values("pk"),
             visible(user, base, agency_field="receiving_centre__agency", unit_field=None).values("pk"),
             visible(user, base, agency_field="return_centre__agency", unit_field=None).values("pk")]
    return set(Dossier.objects.filter(Q(pk__in=parts[0]) | Q(pk__in=parts[1]) | Q(pk__in=parts[2])
                                      | Q(pk__in=parts[3])).values_list("pk", flat=True))


def test_the_work_lists_read_for_volume_list_and_count_what_the_union_did(province):
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from dossiers import selectors
    from dossiers.office import queues

    now = timezone.now()
    for pk in (province["desk"], province["specialist"]):
        user = get_user_model().objects.get(pk=pk)
        tabs = queues._tabs_for(user)
        listed = _union_of_subqueries(user)
        assert listed and set(selectors.dossiers_for_official(user).values_list("pk", flat=True)) == listed
        # Every tab counted in SQL, over all the official's dossiers (not only the open ones).
        from dossiers.models import Dossier

        everything = Dossier.objects.filter(pk__in=listed)
        expected = everything.aggregate(**{tab: Count("pk", filter=queues._tab_q(user, tab, now))
                                           for tab in tabs if tab not in queues.PYTHON_TABS and tab != "all"})
        expected["all"] = len(listed)
        counted = queues.tab_counts(user, tabs, now)
        assert {tab: counted[tab] for tab in expected} == {
            tab: min(n, queues.TAB_CAP + 1) for tab, n in expected.items()}
        assert Client().get("/procedures/").status_code == 200


def test_a_tab_shows_its_cap():
    from dossiers.office import queues

    assert queues.shown_count("intake", queues.TAB_CAP) == "100"
    assert queues.shown_count("intake", queues.TAB_CAP + 1) == "100+"
    assert queues.shown_count("results", queues.RESULT_CAP + 1) == "20+"
    assert queues.shown_count("all", 0) == "0"


def test_a_result_tab_counts_by_deciding_a_chunk_at_a_time_and_stops_at_its_cap(province, monkeypatch):
    from django.contrib.auth import get_user_model

    from dossiers.models import Dossier
    from dossiers.office import queues

    now = timezone.now()
    desk = get_user_model().objects.get(pk=province["desk"])
    settled = Dossier.objects.filter(agency=province["department"], status="completed").order_by("pk")[:7]
    Dossier.objects.filter(pk__in=list(settled.values_list("pk", flat=True))).update(
        status="result_ready", result_ready_at=now, finished_at=None)  # approved, on paper: for the desk to return
    listed = set(queues.tab_queryset(desk, "results", now).values_list("pk", flat=True))
    assert 3 < len(listed) < queues.RESULT_LIMIT
    monkeypatch.setattr(queues, "RESULT_CAP", 1)  # decided two candidates at a time
    monkeypatch.setattr(queues, "TAB_CAP", 2)
    assert set(queues.tab_queryset(desk, "results", now).values_list("pk", flat=True)) == listed
    assert queues.tab_counts(desk, ["results", "all"], now) == {"results": 2, "all": 3}
    assert queues.shown_count("results", 2) == "1+" and queues.shown_count("all", 2) == "2"
