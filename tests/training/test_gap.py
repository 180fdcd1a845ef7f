"""The training gap and the share of trained staff, on the hand-made agency of ``conftest.world``."""

import datetime as dt

from training import selectors
from training.models import CourseKind

from .conftest import DAY


def test_gap_per_agency_counts_by_hand(world, security, one_stop):
    gap = selectors.gaps(on=DAY, agency_ids=[world["agency"].pk])[world["agency"].pk]
    # Current members on 15/06/2026: an, binh, chi, dung (em left on 31/05). All four are obliged
    # (security is mandatory for every official): obliged = 4.
    # an holds security and one-stop; chi holds security (one-stop not for specialists): trained = 2.
    # Missing: binh one-stop, dung security -> 2. Lapsed: binh security (until 14/06/2026) -> 1.
    assert (gap.obliged, gap.trained, gap.missing, gap.lapsed) == (4, 2, 2, 1)
    assert {(row.official_id, row.course.code, row.status) for row in gap.rows} == {
        (world["binh"].pk, one_stop.code, "missing"),
        (world["binh"].pk, security.code, "lapsed"),
        (world["dung"].pk, security.code, "missing"),
    }


def test_a_certificate_lapses_the_day_after_valid_until(world, security):
    agency = world["agency"].pk
    on_last_day = selectors.gaps(on=dt.date(2026, 6, 14), agency_ids=[agency])[agency]
    # On 14/06 binh's security is still valid: lapsed 0; binh still lacks one-stop so trained stays 2.
    assert on_last_day.lapsed == 0
    assert selectors.gaps(on=dt.date(2026, 6, 15), agency_ids=[agency])[agency].lapsed == 1


def test_trained_share_is_trained_over_obliged(world):
    # 2 of 4, as above.
    assert selectors.trained_share(world["agency"], on=DAY) == 0.5
    assert selectors.staff_trained(world["agency"], on=DAY) == selectors.StaffTrained(obliged=4, trained=2)


def test_trained_share_by_course_kind(world):
    # Security only: an, chi valid; binh lapsed; dung missing -> 2 / 4.
    assert selectors.trained_share(world["agency"], on=DAY, course_kind=CourseKind.SECURITY) == 0.5
    # The platform's modules: only the desk officers an and binh are obliged; an holds it -> 1 / 2.
    assert selectors.staff_trained(world["agency"], on=DAY, course_kind=CourseKind.PLATFORM) == \
        selectors.StaffTrained(obliged=2, trained=1)
    # No mandatory course of this kind: no figure.
    assert selectors.trained_share(world["agency"], on=DAY, course_kind=CourseKind.ONE_STOP) is None


def test_an_official_who_left_is_counted_while_a_member(world):
    # On 20/05/2026 em (leader, until 31/05) still counts, with a valid security certificate;
    # binh's security is valid then too. obliged 5; trained: an, chi, em -> 3.
    assert selectors.staff_trained(world["agency"], on=dt.date(2026, 5, 20)) == \
        selectors.StaffTrained(obliged=5, trained=3)


def test_the_optional_course_is_never_a_gap(world, optional):
    gap = selectors.gaps(on=DAY, agency_ids=[world["agency"].pk])[world["agency"].pk]
    assert optional.code not in {row.course.code for row in gap.rows}


def test_renewing_closes_the_lapsed_gap(world, security):
    from training.services import issue_certificate

    issue_certificate(official=world["binh"], course=security, issued_on=DAY)
    gap = selectors.gaps(on=DAY, agency_ids=[world["agency"].pk])[world["agency"].pk]
    assert gap.lapsed == 0 and gap.missing == 2 and gap.trained == 2
