"""The daily roll-ups give exactly the counts of the raw dossiers, at the edges of periods, for every scope,
and the periodic refresh catches a change on an old day."""

import pytest

from indices.models import DailyCount
from indices.rollups import COUNT_KEYS, raw_counts, rebuild_range, refresh, rolled_counts
from indices.selectors import AGENCY, CENTRE, COMMUNE, PROVINCE, Scope
from workdays.report_periods import Period

from .conftest import MARCH, local

pytestmark = pytest.mark.django_db

PERIODS = [Period.month(2026, 2), MARCH, Period.month(2026, 4), Period.quarter(2026, 1), Period.year(2026)]


def _scopes(world):
    return [Scope(PROVINCE), Scope(AGENCY, world["stp"].pk), Scope(COMMUNE, world["commune"].administrative_unit_id),
            Scope(CENTRE, world["centre"].pk)]


def test_rollups_equal_the_raw_counts_for_every_scope_and_period(world, march):
    rebuild_range(local(2026, 1, 1).date(), local(2026, 12, 31).date())
    for scope in _scopes(world):
        for period in PERIODS:
            assert rolled_counts(period, scope.where()) == raw_counts(period, scope.where()), (scope, period)


def test_the_hand_counted_month(world, march):
    rebuild_range(local(2026, 3, 1).date(), local(2026, 3, 31).date())
    assert rolled_counts(MARCH, Scope(AGENCY, world["stp"].pk).where()) == {
        "received": 5, "received_online": 2, "received_coded": 5, "received_paper": 3, "paper_digitised": 1,
        "payable": 2, "paid_online": 1, "settled": 3, "settled_on_time": 2, "settled_late": 1,
        "settled_electronic": 1, "reused_online": 1}
    # received at the provincial centre: B and C
    assert rolled_counts(MARCH, Scope(CENTRE, world["centre"].pk).where())["received"] == 2
    # the commune: H only
    assert rolled_counts(MARCH, Scope(COMMUNE, world["commune"].administrative_unit_id).where())["received"] == 1


def test_settled_at_2359_on_the_last_day_counts_in_that_month(world, march):
    rebuild_range(local(2026, 2, 1).date(), local(2026, 4, 30).date())
    stp = Scope(AGENCY, world["stp"].pk).where()
    # B: result at 23:59 on 31/03 → March; C: result at 00:00 on 01/04 → April; D: received 23:59 on 28/02 → February
    assert rolled_counts(MARCH, stp)["settled_late"] == 1
    assert rolled_counts(Period.month(2026, 4), stp)["settled"] == 1
    assert rolled_counts(Period.month(2026, 2), stp)["received"] == 1
    # E received at 23:59:59 on 31/03 sits on that day
    assert DailyCount.objects.filter(agency=world["stp"], day=local(2026, 3, 31).date(), received_online=1).exists()


def test_the_periodic_refresh_catches_a_change_on_an_old_day(world, march):
    stp = Scope(AGENCY, world["stp"].pk).where()
    rebuild_range(local(2026, 3, 1).date(), local(2026, 3, 31).date())
    refresh(recent_days=1)
    late = march["E"]
    late.status, late.result_ready_at, late.outcome = "result_ready", local(2026, 3, 31, 23, 59, 59), "on_time"
    late.save()
    assert rolled_counts(MARCH, stp)["settled"] == 3  # not yet refreshed
    refresh(recent_days=1)
    assert rolled_counts(MARCH, stp) == raw_counts(MARCH, stp)
    assert rolled_counts(MARCH, stp)["settled"] == 4


def test_the_rebuild_command(world, march):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("indices_rebuild", "--from", "2026-02-01", "--to", "2026-04-30", stdout=out)
    assert "roll-up rows written" in out.getvalue()
    for key in COUNT_KEYS:
        assert rolled_counts(MARCH)[key] == raw_counts(MARCH)[key]


def test_a_period_is_whole_months_plus_the_days_at_its_edges(world, march):
    from indices.rollups import split

    assert split(Period.year(2026)) == ((local(2026, 1, 1).date(), local(2026, 12, 1).date()), [])
    assert split(Period.days(local(2026, 2, 27).date(), local(2026, 4, 2).date())) == (
        (local(2026, 3, 1).date(), local(2026, 3, 1).date()),
        [(local(2026, 2, 27).date(), local(2026, 2, 28).date()), (local(2026, 4, 1).date(), local(2026, 4, 2).date())])
    assert split(Period.days(local(2026, 3, 5).date(), local(2026, 3, 9).date())) == (
        None, [(local(2026, 3, 5).date(), local(2026, 3, 9).date())])
    rebuild_range(local(2026, 1, 1).date(), local(2026, 12, 31).date())
    odd = Period.days(local(2026, 2, 27).date(), local(2026, 4, 2).date())
    assert rolled_counts(odd) == raw_counts(odd)
