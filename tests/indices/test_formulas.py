"""Every indicator of the Decision 766 tree on the hand-made month of conftest (expected values by hand)."""

from decimal import Decimal

import pytest
from django.utils import translation

from indices.rollups import rebuild_range
from indices.selectors import AGENCY, COMMUNE, Scope, scores

from .conftest import MARCH, local

pytestmark = pytest.mark.django_db


def _by_code(groups):
    return {item.code: item for group in groups for item in group.indicators}


@pytest.fixture
def stp_march(world, march):
    rebuild_range(local(2026, 2, 1).date(), local(2026, 4, 30).date())
    with translation.override("en"):
        return scores(Scope(AGENCY, world["stp"].pk), MARCH)


def test_six_groups_with_the_points_of_the_domain(stp_march):
    assert [(g.code, g.max_points) for g in stp_march] == [(1, 18), (2, 20), (3, 12), (4, 10), (5, 18), (6, 22)]
    for group in stp_march:
        assert sum(item.max for item in group.indicators) == group.max_points


def test_publicity_procedures_with_full_information(stp_march):
    # "full" has papers, result and legal basis; "partial" lost its legal basis: 1 of 2 = 50 %, 10 × 0.5 = 5
    item = _by_code(stp_march)["1.1"]
    assert (item.value, item.points, item.numerator, item.denominator) == (Decimal("50.0"), Decimal("5.00"), 1, 2)


def test_publicity_progress_published_online(stp_march):
    # every received dossier has a code to look it up: 5 / 5 = 100 %, 8 points
    item = _by_code(stp_march)["1.2"]
    assert (item.value, item.points, item.numerator, item.denominator) == (Decimal("100.0"), Decimal("8.00"), 5, 5)


def test_progress_on_time_share(stp_march):
    # A (early) and D (on time) of A, B, D settled: 2 / 3 = 66.7 %, 14 × 2/3 = 9.333… → 9.33
    item = _by_code(stp_march)["2.1"]
    assert (item.value, item.points, item.numerator, item.denominator) == (Decimal("66.7"), Decimal("9.33"), 2, 3)


def test_progress_settled_late_costs_points(stp_march):
    # B late of 3 settled: 33.3 % late; points 6 × (1 − 1/3) = 4.00
    item = _by_code(stp_march)["2.2"]
    assert (item.value, item.points, item.numerator, item.denominator) == (Decimal("33.3"), Decimal("4.00"), 1, 3)


def test_online_services_full_online_procedures(stp_march):
    # "full" is full online, "partial" is not: 1 / 2, 6 × 0.5 = 3
    item = _by_code(stp_march)["3.1"]
    assert (item.value, item.points) == (Decimal("50.0"), Decimal("3.00"))


def test_online_services_dossiers_submitted_online(stp_march):
    # A online, E through a connected system, of 5 received: 40 %, 6 × 0.4 = 2.40
    item = _by_code(stp_march)["3.2"]
    assert (item.value, item.points, item.numerator, item.denominator) == (Decimal("40.0"), Decimal("2.40"), 2, 5)


def test_online_payment(stp_march):
    # B paid online, C's payment link expired: 1 / 2 payable = 50 %, 10 × 0.5 = 5
    item = _by_code(stp_march)["4.1"]
    assert (item.value, item.points, item.numerator, item.denominator) == (Decimal("50.0"), Decimal("5.00"), 1, 2)


def test_satisfaction_without_ratings_says_so(stp_march):
    # nobody rated and nobody complained in this month: both missing, never 0 points
    found = _by_code(stp_march)
    for code in ("5.1", "5.2"):
        assert found[code].missing and found[code].points is None and found[code].value is None
    assert stp_march[4].points == 0 and not stp_march[4].complete


def test_digitisation_papers_at_intake(stp_march):
    # of B, C, G received on paper, only B's scans were confirmed digitised (G's were not): 33.3 %, 8 / 3 → 2.67
    item = _by_code(stp_march)["6.1"]
    assert (item.value, item.points, item.numerator, item.denominator) == (Decimal("33.3"), Decimal("2.67"), 1, 3)


def test_digitisation_results_issued_electronically(stp_march):
    # A's result is numbered and sealed; B none; D none: 1 / 3 → 2.67
    item = _by_code(stp_march)["6.2"]
    assert (item.value, item.points, item.numerator, item.denominator) == (Decimal("33.3"), Decimal("2.67"), 1, 3)


def test_digitisation_data_reused_by_dossiers_received_online(stp_march):
    # A and E received online; A reused a paper of the data store: 1 / 2 = 50 %, 6 × 0.5 = 3.00
    item = _by_code(stp_march)["6.3"]
    assert (item.value, item.points, item.numerator, item.denominator) == (Decimal("50.0"), Decimal("3.00"), 1, 2)


def test_group_points_add_their_indicators(stp_march):
    # 5 + 8 = 13; 9.33 + 4 = 13.33; 3 + 2.40 = 5.40; 5; 0 (missing); 2.67 + 2.67 + 3 = 8.34
    assert [g.points for g in stp_march] == [Decimal("13.00"), Decimal("13.33"), Decimal("5.40"), Decimal("5.00"),
                                             Decimal(0), Decimal("8.34")]


def test_missing_data_is_named_in_vietnamese_by_default(world, march):
    rebuild_range(local(2026, 3, 1).date(), local(2026, 3, 31).date())
    with translation.override("vi"):
        groups = scores(Scope(COMMUNE, world["other_commune"].administrative_unit_id), MARCH)
    assert _by_code(groups)["2.1"].missing == "Không có hồ sơ nào được giải quyết trong kỳ."


def test_a_scope_without_data_says_which_data_is_missing(world, march):
    # The other commune received nothing in March: no zero anywhere, a reason for each.
    rebuild_range(local(2026, 3, 1).date(), local(2026, 3, 31).date())
    with translation.override("en"):
        groups = scores(Scope(COMMUNE, world["other_commune"].administrative_unit_id), MARCH)
    found = _by_code(groups)
    assert all(item.missing and item.points is None for item in found.values())
    assert found["2.1"].missing == "No dossier was settled in the period."
    assert found["4.1"].missing == "No dossier with a fee or charge was received in the period."
    assert found["1.1"].missing == "No procedure had a dossier received in the period."


def test_a_new_year_rules_are_data(world, march):
    """A set valid from 2026 with other weights is used for 2026 without any code."""
    from indices.models import IndexSet

    rebuild_range(local(2026, 3, 1).date(), local(2026, 3, 31).date())
    old = IndexSet.objects.get(year=2022)
    new = IndexSet.objects.create(year=2026, valid_from=local(2026, 1, 1).date(), name="2026")
    group = new.groups.create(code=2, name="Tiến độ", max_points=30)
    group.indicators.create(code="2.1", name="Đúng hạn", max_points=30, formula="share",
                            parameters={"numerator": "settled_on_time", "denominator": "settled"})
    groups = scores(Scope(AGENCY, world["stp"].pk), MARCH)
    # 30 × 2/3 = 20
    assert [(g.code, g.points) for g in groups] == [(2, Decimal("20.00"))]
    assert scores(Scope(AGENCY, world["stp"].pk), MARCH.__class__.month(2025, 12))[0].max_points == 18
    assert old.groups.count() == 6


def test_ranking_lists_every_scope_with_data_best_first(world, march):
    from indices.selectors import ranking

    rebuild_range(local(2026, 3, 1).date(), local(2026, 3, 31).date())
    agencies = ranking(AGENCY, MARCH)
    assert {item.scope.id for item in agencies} == {world["stp"].pk, world["commune"].pk}
    assert [item.points for item in agencies] == sorted((item.points for item in agencies), reverse=True)
    # STP: 13 + 13.33 + 5.40 + 5 + 0 + 8.34 = 45.07 of 100
    stp = next(item for item in agencies if item.scope.id == world["stp"].pk)
    assert (stp.points, stp.max_points) == (Decimal("45.07"), Decimal(100))
    communes = ranking(COMMUNE, MARCH)
    assert [item.scope.id for item in communes] == [world["commune"].administrative_unit_id]


def test_satisfaction_and_complaints_from_the_feedback_module(world, march):
    from feedback.models import Complaint, Criterion, Rating, Score

    criterion = Criterion.objects.create(code="idx-thai-do", name="Thái độ phục vụ")
    # A rated 5, B rated 2, D rated 4; satisfied from 4 (the default rules): 2 of 3
    for name, value in (("A", 5), ("B", 2), ("D", 4)):
        rating = Rating.objects.create(dossier=march[name], agency=world["stp"], channel="online",
                                       rated_at=local(2026, 3, 20, 9))
        Score.objects.create(rating=rating, criterion=criterion, value=value)
    # one answered before its due moment, one still open: 1 of 2 on time
    Complaint.objects.create(name="Nguyễn Văn An", subject="procedure", content="Chậm trả kết quả",
                             agency=world["stp"], status="answered", received_at=local(2026, 3, 2, 8),
                             due_at=local(2026, 3, 16, 17), answered_at=local(2026, 3, 10, 9))
    Complaint.objects.create(name="Lê Thị Bình", subject="other", content="Hỏi về lệ phí", agency=world["stp"],
                             received_at=local(2026, 3, 25, 8), due_at=local(2026, 4, 8, 17))
    rebuild_range(local(2026, 3, 1).date(), local(2026, 3, 31).date())
    found = _by_code(scores(Scope(AGENCY, world["stp"].pk), MARCH))
    # 2/3 = 66.7 %, 12 × 2/3 = 8.00
    assert (found["5.1"].value, found["5.1"].points, found["5.1"].numerator, found["5.1"].denominator) == (
        Decimal("66.7"), Decimal("8.00"), 2, 3)
    # 1/2 = 50 %, 6 × 0.5 = 3.00
    assert (found["5.2"].value, found["5.2"].points) == (Decimal("50.0"), Decimal("3.00"))
