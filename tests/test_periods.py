"""Time limits by kind and the end of a period (workdays.periods), each at its edges.

Office hours 07:30–11:30 and 13:30–17:00 (7.5 h a day). 1 December 2026 is a Tuesday.
Expected moments are worked out by hand in the comments.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from workdays import calendar
from workdays.models import CalendarOverride
from workdays.periods import LimitKind, PeriodEnd, TimeLimit, classify, due

VN = ZoneInfo("Asia/Ho_Chi_Minh")
END, EXACT = PeriodEnd.END_OF_DAY, PeriodEnd.EXACT


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


def days(n):
    return TimeLimit(LimitKind.WORKING_DAYS, Decimal(n))


@pytest.fixture(autouse=True)
def _calendar(db):
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def test_first_day_not_counted_and_period_ends_at_close_of_last_working_day():
    # Mon 30/11 10:00 + 1 working day: Monday not counted, Tuesday is the last day → Tue 17:00.
    assert due(at(2026, 11, 30, 10), days(1), policy=END) == at(2026, 12, 1, 17)


def test_exact_policy_keeps_the_time_of_receipt():
    # Same receipt, hour-precise appointments: Tue 10:00.
    assert due(at(2026, 11, 30, 10), days(1), policy=EXACT) == at(2026, 12, 1, 10)


def test_result_in_the_afternoon_of_the_due_day_is_on_time_under_the_legal_default():
    # Received 10:00, approved at 14:00 on the due day: on time (end of day), late (exact).
    received, approved = at(2026, 11, 30, 10), at(2026, 12, 1, 14)
    assert classify(approved, due(received, days(1), policy=END), days(1), policy=END) == "on_time"
    assert classify(approved, due(received, days(1), policy=EXACT), days(1), policy=EXACT) == "late"


def test_result_after_office_hours_of_the_due_day_is_still_on_time_and_next_day_is_late():
    deadline = due(at(2026, 11, 30, 10), days(1), policy=END)  # Tue 17:00
    assert classify(at(2026, 12, 1, 21), deadline, days(1), policy=END) == "on_time"
    assert classify(at(2026, 12, 2, 7, 30), deadline, days(1), policy=END) == "late"
    assert classify(at(2026, 11, 30, 16), deadline, days(1), policy=END) == "early"


def test_received_after_office_hours_counts_from_the_next_opening():
    # Fri 4/12 17:30 → counted from Mon 7/12 07:30; Monday not counted → Tue 8/12 17:00.
    assert due(at(2026, 12, 4, 17, 30), days(1), policy=END) == at(2026, 12, 8, 17)


def test_working_hours_skip_the_night():
    # Mon 30/11 16:00 + 2 h: 16:00–17:00 (1 h), Tue 07:30–08:30 (1 h) → Tue 08:30.
    limit = TimeLimit(LimitKind.WORKING_HOURS, Decimal(2))
    assert due(at(2026, 11, 30, 16), limit, policy=END) == at(2026, 12, 1, 8, 30)
    # Hours are always hour-precise: 08:31 is late even under the end-of-day policy.
    assert classify(at(2026, 12, 1, 8, 31), at(2026, 12, 1, 8, 30), limit, policy=END) == "late"


def test_two_working_hours_can_be_stored_and_half_a_day_is_counted_in_hours():
    # 0.5 working day = 3.75 h: Mon 08:00–11:30 (3.5 h) + 13:30–13:45 → Mon 13:45.
    assert due(at(2026, 11, 30, 8), days("0.5"), policy=END) == at(2026, 11, 30, 13, 45)


def test_calendar_days_ending_on_a_sunday_move_to_monday():
    # Thu 3/12 10:00 + 3 calendar days → Sun 6/12, a day off → Mon 7/12 17:00 (art. 148(5)).
    limit = TimeLimit(LimitKind.CALENDAR_DAYS, Decimal(3))
    assert due(at(2026, 12, 3, 10), limit, policy=END) == at(2026, 12, 7, 17)
    # 1 calendar day from Thursday → Friday 17:00 (no weekend involved).
    assert due(at(2026, 12, 3, 10), TimeLimit(LimitKind.CALENDAR_DAYS, Decimal(1)), policy=END) == at(2026, 12, 4, 17)


@pytest.mark.parametrize(("received", "expected"), [
    (at(2026, 12, 1, 14, 59), at(2026, 12, 1, 17)),  # before the 15:00 cut-off: the same day
    (at(2026, 12, 1, 15, 0), at(2026, 12, 2, 17)),  # at the cut-off: the next working day
    (at(2026, 12, 4, 16, 0), at(2026, 12, 7, 17)),  # Friday after the cut-off: Monday
    (at(2026, 12, 5, 9, 0), at(2026, 12, 7, 17)),  # Saturday: counted from Monday 07:30, the same day
])
def test_same_day_procedures_have_a_cut_off_hour(received, expected):
    assert due(received, TimeLimit(LimitKind.SAME_DAY), policy=END) == expected


def test_same_day_cut_off_is_per_procedure():
    limit = TimeLimit(LimitKind.SAME_DAY, cutoff=dt.time(10, 0))
    assert due(at(2026, 12, 1, 10, 30), limit, policy=END) == at(2026, 12, 2, 17)


def test_tet_2027_as_the_package_gives_it():
    # Days off Thu 4/2 – Wed 10/2/2027 (six-day Tết). Wed 3/2 10:00 + 1 → Thu 11/2 17:00;
    # + 2 → Fri 12/2 17:00.
    assert due(at(2027, 2, 3, 10), days(1), policy=END) == at(2027, 2, 11, 17)
    assert due(at(2027, 2, 3, 10), days(2), policy=END) == at(2027, 2, 12, 17)


def test_tet_2027_with_a_different_official_plan_entered_as_overrides():
    # The official plan keeps Thu 4/2 working and gives Thu 11/2 off instead:
    # Wed 3/2 + 1 → Thu 4/2 17:00; + 2 → Thu 4/2, then 5/2–11/2 off → Fri 12/2 17:00.
    CalendarOverride.objects.create(date=dt.date(2027, 2, 4), kind="working_day", name="Làm việc")
    CalendarOverride.objects.create(date=dt.date(2027, 2, 11), kind="day_off", name="Nghỉ Tết")
    assert due(at(2027, 2, 3, 10), days(1), policy=END) == at(2027, 2, 4, 17)
    assert due(at(2027, 2, 3, 10), days(2), policy=END) == at(2027, 2, 12, 17)


def test_a_swapped_saturday_is_a_working_day():
    # Fri 4/12 10:00 + 1 → Mon 7/12 17:00; with Sat 5/12 declared a working day → Sat 5/12 17:00.
    assert due(at(2026, 12, 4, 10), days(1), policy=END) == at(2026, 12, 7, 17)
    CalendarOverride.objects.create(date=dt.date(2026, 12, 5), kind="working_day", name="Làm bù")
    assert due(at(2026, 12, 4, 10), days(1), policy=END) == at(2026, 12, 5, 17)


@pytest.mark.parametrize(("kind", "amount"), [
    (LimitKind.WORKING_DAYS, 0), (LimitKind.WORKING_HOURS, 0), (LimitKind.CALENDAR_DAYS, 0),
    (LimitKind.WORKING_DAYS, -1), (LimitKind.CALENDAR_DAYS, "1.5"), ("fortnights", 2),
])
def test_impossible_limits_are_refused(kind, amount):
    with pytest.raises(ValueError):
        TimeLimit(kind, Decimal(str(amount)))


def test_policy_comes_from_settings(settings):
    settings.EGOV_PERIOD_END = "exact"
    assert due(at(2026, 11, 30, 10), days(1)) == at(2026, 12, 1, 10)
    settings.EGOV_PERIOD_END = "whenever"
    with pytest.raises(ValueError):
        due(at(2026, 11, 30, 10), days(1))
