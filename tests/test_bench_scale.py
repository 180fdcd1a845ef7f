"""The data-volume benchmark's generator and its what-if (bench/scale.py, docs/benchmarks.md "10 million
dossiers"), on a few thousand dossiers: the generated province is one the pages can read, and the
rewrites measured by ``--whatif`` (bench/scale_whatif.py) list the same dossiers and count the same
tabs as the code they stand in for. PostgreSQL only: the generator is written in its SQL."""

from __future__ import annotations

import pytest
from django.db import connection
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


def test_the_pages_measured_answer(province):
    from bench import scale

    picks = scale._samples(province, 3)
    requests = scale._requests(province, picks)
    for page in scale.PAGES:
        requests[page](0)  # raises on anything but 200 (and the lookup shows the dossier's code)


def test_the_what_if_lists_and_counts_what_the_code_does(province):
    from django.contrib.auth import get_user_model

    from bench import scale_whatif
    from dossiers import selectors
    from dossiers.office import queues

    now = timezone.now()
    for pk in (province["desk"], province["specialist"]):
        user = get_user_model().objects.get(pk=pk)
        tabs = queues._tabs_for(user)
        listed = set(selectors.dossiers_for_official(user).values_list("pk", flat=True))
        counted = queues.tab_counts(user, tabs, now)
        original = scale_whatif.saved()
        scale_whatif.apply()
        try:
            assert set(selectors.dossiers_for_official(user).values_list("pk", flat=True)) == listed
            rewritten = queues.tab_counts(user, tabs, now)
        finally:
            scale_whatif.revert(original)
        assert rewritten.pop("all") == min(counted.pop("all"), scale_whatif.ALL_CAP)
        assert rewritten == counted
        assert Client().get("/procedures/").status_code == 200
