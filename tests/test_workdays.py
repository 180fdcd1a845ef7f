"""The working calendar (lịch làm việc): which days and hours count towards a deadline.

Every date below was checked against the real 2026/2027 calendar (weekdays computed, and the
days off listed by ``holidays.Vietnam`` 0.109):

* 2026: 1 Jan Thu; Tết 16–20 Feb (Mon–Fri); Hùng Kings 26 Apr (Sun) observed Mon 27 Apr;
  30 Apr Thu and 1 May Fri; 31 Aug Mon off in exchange for Sat 22 Aug (working); 1–2 Sep
  (Tue–Wed); 24 Nov Tue, Vietnam Culture Day.
* 2027: 1 Jan Fri; Tết 4–10 Feb (Thu–Wed, six days).
* An ordinary week: Mon 12 – Fri 16 October 2026; Fri 9 and Sat 10 October 2026.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from workdays import calendar
from workdays.calendar import (
    VN_TZ,
    add_working_days,
    add_working_hours,
    is_working_day,
    next_working_moment,
    office_hours,
    working_days_between,
    working_time_between,
)
from workdays.models import CalendarOverride
from workdays.selectors import year_calendar

pytestmark = pytest.mark.django_db

UTC = dt.UTC
D = dt.date


def vn(year, month, day, hour=0, minute=0) -> dt.datetime:
    """A moment on the clock of Vietnam."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def hours(h: float) -> dt.timedelta:
    return dt.timedelta(hours=h)


@pytest.fixture(autouse=True)
def fresh_calendar():
    # Rolled-back overrides of other tests send no signal: start and end with an empty cache.
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def override(day: dt.date, kind: str, name: str = "Quyết định của UBND tỉnh") -> CalendarOverride:
    return CalendarOverride.objects.create(date=day, kind=kind, name=name)


DAY_OFF, WORKING_DAY = CalendarOverride.Kind.DAY_OFF, CalendarOverride.Kind.WORKING_DAY


# --- Days off -------------------------------------------------------------------------------


def test_saturday_and_sunday_are_days_off_weekdays_are_working():
    assert is_working_day(D(2026, 10, 9))  # Friday
    assert not is_working_day(D(2026, 10, 10))  # Saturday
    assert not is_working_day(D(2026, 10, 11))  # Sunday
    assert is_working_day(D(2026, 10, 12))  # Monday


def test_deadline_crosses_new_year_2027_holiday_and_the_weekend():
    # Wed 30 Dec 2026 → Thu 31 Dec (1) → Fri 1 Jan 2027 holiday, Sat 2, Sun 3 → Mon 4 Jan (2).
    assert not is_working_day(D(2027, 1, 1))
    assert add_working_days(vn(2026, 12, 30, 10), 1) == vn(2026, 12, 31, 10)
    assert add_working_days(vn(2026, 12, 30, 10), 2) == vn(2027, 1, 4, 10)
    assert add_working_days(vn(2026, 12, 30, 10), 3) == vn(2027, 1, 5, 10)
    assert working_days_between(D(2026, 12, 30), D(2027, 1, 4)) == 2


def test_received_after_closing_on_31_december_counts_from_the_first_opening_of_2027():
    assert next_working_moment(vn(2026, 12, 31, 17, 30)) == vn(2027, 1, 4, 7, 30)
    assert add_working_days(vn(2026, 12, 31, 17, 30), 1) == vn(2027, 1, 5, 7, 30)


def test_tet_2027_is_six_days_off_from_4_to_10_february():
    assert is_working_day(D(2027, 2, 3))
    assert [is_working_day(D(2027, 2, day)) for day in range(4, 11)] == [False] * 7
    assert is_working_day(D(2027, 2, 11))
    assert add_working_days(vn(2027, 2, 3, 9), 1) == vn(2027, 2, 11, 9)
    assert working_days_between(D(2027, 2, 3), D(2027, 2, 11)) == 1


def test_tet_2026_week_is_skipped():
    # Fri 13 Feb, then Tết Mon 16 – Fri 20 Feb, then the weekend.
    assert add_working_days(vn(2026, 2, 13, 14), 1) == vn(2026, 2, 23, 14)


def test_hung_kings_day_on_a_sunday_is_taken_off_on_monday():
    assert not is_working_day(D(2026, 4, 26))
    assert not is_working_day(D(2026, 4, 27))
    assert add_working_days(vn(2026, 4, 24, 10), 1) == vn(2026, 4, 28, 10)


def test_30_april_and_1_may_2026_bridge_thursday_to_sunday():
    assert not is_working_day(D(2026, 4, 30))
    assert not is_working_day(D(2026, 5, 1))
    assert add_working_days(vn(2026, 4, 29, 10), 1) == vn(2026, 5, 4, 10)
    assert working_days_between(D(2026, 4, 29), D(2026, 5, 4)) == 1


def test_2_september_2026_with_its_adjacent_day_and_the_swapped_monday():
    # 1 and 2 September (Tue, Wed) plus Mon 31 August, swapped with Saturday 22 August.
    for day in (D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)):
        assert not is_working_day(day), day
    assert is_working_day(D(2026, 9, 3))
    assert add_working_days(vn(2026, 8, 28, 10), 1) == vn(2026, 9, 3, 10)


def test_government_swapped_saturday_22_august_2026_is_a_working_day():
    assert is_working_day(D(2026, 8, 22))
    assert add_working_days(vn(2026, 8, 21, 10), 1) == vn(2026, 8, 22, 10)


def test_vietnam_culture_day_24_november_2026_is_a_day_off():
    assert not is_working_day(D(2026, 11, 24))
    assert add_working_days(vn(2026, 11, 23, 10), 1) == vn(2026, 11, 25, 10)


# --- The province's overrides ---------------------------------------------------------------


def test_province_swapped_saturday_counts_as_a_working_day():
    assert add_working_days(vn(2026, 10, 9, 10), 1) == vn(2026, 10, 12, 10)
    override(D(2026, 10, 10), WORKING_DAY, "Làm bù cho ngày nghỉ 2/1")
    assert is_working_day(D(2026, 10, 10))
    assert office_hours(D(2026, 10, 10))[0][0] == vn(2026, 10, 10, 7, 30)
    assert add_working_days(vn(2026, 10, 9, 10), 1) == vn(2026, 10, 10, 10)


def test_province_extra_day_off_is_skipped():
    override(D(2026, 11, 20), DAY_OFF, "Nghỉ kỷ niệm ngày thành lập tỉnh")
    assert not is_working_day(D(2026, 11, 20))
    # Thu 19 → (Fri 20 province, weekend) → Mon 23 → (Tue 24 Culture Day) → Wed 25.
    assert add_working_days(vn(2026, 11, 19, 10), 1) == vn(2026, 11, 23, 10)
    assert add_working_days(vn(2026, 11, 19, 10), 2) == vn(2026, 11, 25, 10)


def test_province_working_day_override_beats_a_public_holiday():
    override(D(2026, 11, 24), WORKING_DAY)
    assert is_working_day(D(2026, 11, 24))


def test_province_day_off_override_beats_a_national_swapped_saturday():
    override(D(2026, 8, 22), DAY_OFF)
    assert not is_working_day(D(2026, 8, 22))


def test_calendar_changes_are_audited():
    row = override(D(2026, 11, 20), DAY_OFF)
    row_id = row.pk
    row.name = "Nghỉ theo Quyết định số 99/QĐ-UBND"
    row.save()
    row.delete()
    entries = AuditEntry.objects.filter(object_type="workdays.calendaroverride", object_id=str(row_id))
    assert list(entries.values_list("action", flat=True)) == ["create", "update", "delete"]


# --- Moments outside office hours -------------------------------------------------------------


def test_received_during_office_hours_keeps_its_time_of_day():
    assert next_working_moment(vn(2026, 10, 12, 10)) == vn(2026, 10, 12, 10)
    assert add_working_days(vn(2026, 10, 12, 10), 1) == vn(2026, 10, 13, 10)  # Monday → Tuesday
    assert add_working_days(vn(2026, 10, 12, 10), 0) == vn(2026, 10, 12, 10)


def test_received_after_office_hours_on_friday_counts_from_monday_opening():
    assert next_working_moment(vn(2026, 10, 9, 17, 30)) == vn(2026, 10, 12, 7, 30)
    assert add_working_days(vn(2026, 10, 9, 17, 30), 1) == vn(2026, 10, 13, 7, 30)


def test_received_at_the_closing_minute_is_after_hours_at_the_opening_minute_within():
    assert next_working_moment(vn(2026, 10, 9, 17, 0)) == vn(2026, 10, 12, 7, 30)
    assert next_working_moment(vn(2026, 10, 12, 7, 30)) == vn(2026, 10, 12, 7, 30)
    assert next_working_moment(vn(2026, 10, 12, 16, 59)) == vn(2026, 10, 12, 16, 59)


def test_received_during_the_lunch_break_counts_from_the_afternoon_opening():
    assert next_working_moment(vn(2026, 10, 12, 11, 30)) == vn(2026, 10, 12, 13, 30)
    assert next_working_moment(vn(2026, 10, 12, 12, 15)) == vn(2026, 10, 12, 13, 30)
    assert add_working_days(vn(2026, 10, 12, 12, 15), 1) == vn(2026, 10, 13, 13, 30)


def test_received_before_opening_counts_from_that_morning():
    assert add_working_days(vn(2026, 10, 12, 6, 0), 1) == vn(2026, 10, 13, 7, 30)


def test_received_on_a_holiday_counts_from_the_next_opening():
    assert next_working_moment(vn(2026, 9, 2, 10)) == vn(2026, 9, 3, 7, 30)


def test_moments_in_utc_are_judged_on_the_clock_of_vietnam():
    friday_evening = dt.datetime(2026, 10, 9, 10, 30, tzinfo=UTC)  # 17:30 in Hà Nội
    result = next_working_moment(friday_evening)
    assert result == vn(2026, 10, 12, 7, 30)
    assert result.tzinfo == ZoneInfo("Asia/Ho_Chi_Minh")
    assert add_working_days(friday_evening, 1).utcoffset() == dt.timedelta(hours=7)
    # Sunday 18:00 UTC is already Monday 01:00 in Vietnam.
    assert is_working_day(dt.datetime(2026, 10, 11, 18, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: next_working_moment(naive),
        lambda naive: add_working_days(naive, 1),
        lambda naive: add_working_hours(naive, 1),
        lambda naive: working_time_between(naive, vn(2026, 10, 13)),
        lambda naive: working_time_between(vn(2026, 10, 1), naive),
        lambda naive: is_working_day(naive),
        lambda naive: office_hours(naive),
        lambda naive: working_days_between(naive, D(2026, 10, 13)),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(ValueError, match="aware"):
        call(dt.datetime(2026, 10, 12, 10, 0))  # naive on purpose


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(vn(2026, 10, 12, 10), -1)
    with pytest.raises(ValueError):
        add_working_hours(vn(2026, 10, 12, 10), -0.5)


# --- Office hours -----------------------------------------------------------------------------


def test_office_hours_of_a_working_day_and_of_a_holiday():
    assert office_hours(D(2026, 10, 12)) == [
        (vn(2026, 10, 12, 7, 30), vn(2026, 10, 12, 11, 30)),
        (vn(2026, 10, 12, 13, 30), vn(2026, 10, 12, 17, 0)),
    ]
    assert office_hours(D(2026, 9, 2)) == []
    assert office_hours(D(2026, 10, 10)) == []


def test_office_hours_come_from_settings(settings):
    settings.EGOV_OFFICE_HOURS = ["13:00-17:00", "08:00-12:00"]
    assert next_working_moment(vn(2026, 10, 12, 12, 30)) == vn(2026, 10, 12, 13, 0)
    assert add_working_hours(vn(2026, 10, 12, 8, 0), 8) == vn(2026, 10, 12, 17, 0)


@pytest.mark.parametrize("value", [["7h30-11h30"], ["11:30-07:30"], ["07:30-11:30", "11:00-17:00"], []])
def test_malformed_office_hours_are_a_configuration_error(settings, value):
    settings.EGOV_OFFICE_HOURS = value
    with pytest.raises(ImproperlyConfigured):
        office_hours(D(2026, 10, 12))


# --- Working hours ------------------------------------------------------------------------------


def test_working_hours_cross_the_lunch_break():
    assert add_working_hours(vn(2026, 10, 12, 10, 30), 2) == vn(2026, 10, 12, 14, 30)


def test_working_hours_cross_the_night():
    assert add_working_hours(vn(2026, 10, 12, 16, 0), 2) == vn(2026, 10, 13, 8, 30)


def test_working_hours_cross_a_weekend():
    assert add_working_hours(vn(2026, 10, 9, 16, 30), 1.5) == vn(2026, 10, 12, 8, 30)


def test_working_hours_cross_lunch_night_and_weekend_together():
    # Fri 11:00–11:30 and 13:30–17:00 (4 h), Mon 07:30–11:30 (4 h), Mon 13:30–14:00 (0.5 h).
    assert add_working_hours(vn(2026, 10, 9, 11, 0), 8.5) == vn(2026, 10, 12, 14, 0)


def test_working_hours_skip_public_holidays():
    # Wed 29 Apr 16:00–17:00, then 30/4, 1/5 and the weekend, then Mon 4 May 07:30–08:30.
    assert add_working_hours(vn(2026, 4, 29, 16, 0), 2) == vn(2026, 5, 4, 8, 30)


def test_working_hours_that_run_out_at_closing_end_at_closing():
    full_day = dt.timedelta(hours=7, minutes=30)
    assert add_working_hours(vn(2026, 10, 12, 7, 30), full_day) == vn(2026, 10, 12, 17, 0)
    assert add_working_hours(vn(2026, 10, 12, 10, 30), 1) == vn(2026, 10, 12, 11, 30)


def test_working_hours_accept_decimal_and_timedelta():
    assert add_working_hours(vn(2026, 10, 12, 10), Decimal("0.25")) == vn(2026, 10, 12, 10, 15)
    assert add_working_hours(vn(2026, 10, 12, 10), dt.timedelta(minutes=45)) == vn(2026, 10, 12, 10, 45)
    assert add_working_hours(vn(2026, 10, 12, 12), 0) == vn(2026, 10, 12, 13, 30)


# --- Working time between two moments ---------------------------------------------------------


def test_working_time_between_skips_a_holiday_and_the_weekend():
    start, end = vn(2026, 4, 29, 16, 0), vn(2026, 5, 4, 9, 0)
    assert working_time_between(start, end) == hours(2.5)  # 1 h on Wednesday, 1.5 h on Monday
    assert working_time_between(end, start) == -hours(2.5)


def test_working_time_of_an_ordinary_week_is_37_and_a_half_hours():
    assert working_time_between(vn(2026, 10, 12), vn(2026, 10, 17)) == hours(37.5)


def test_working_time_between_excludes_the_lunch_break_and_accepts_utc():
    start = dt.datetime(2026, 10, 12, 4, 0, tzinfo=UTC)  # 11:00 in Vietnam
    end = dt.datetime(2026, 10, 12, 7, 0, tzinfo=UTC)  # 14:00 in Vietnam
    assert working_time_between(start, end) == hours(1)


@pytest.mark.parametrize("spent", [0.5, 4, 7.5, 12, 40])
def test_working_time_between_undoes_add_working_hours(spent):
    start = vn(2026, 4, 28, 9, 15)
    assert working_time_between(start, add_working_hours(start, spent)) == hours(spent)


def test_working_days_between_counts_days_after_the_first():
    assert working_days_between(D(2026, 10, 12), D(2026, 10, 12)) == 0
    assert working_days_between(D(2026, 10, 12), D(2026, 10, 14)) == 2
    assert working_days_between(D(2026, 10, 14), D(2026, 10, 12)) == -2
    assert working_days_between(D(2026, 10, 9), D(2026, 10, 12)) == 1  # the weekend does not count


# --- The cache ----------------------------------------------------------------------------------


def test_cache_is_invalidated_when_an_override_is_added_changed_and_deleted():
    assert is_working_day(D(2026, 11, 20))  # cached now
    row = override(D(2026, 11, 20), DAY_OFF)
    assert not is_working_day(D(2026, 11, 20))
    row.kind = WORKING_DAY
    row.save()
    assert is_working_day(D(2026, 11, 20))
    row.delete()
    override(D(2026, 11, 21), WORKING_DAY)  # a Saturday
    assert is_working_day(D(2026, 11, 21))


def test_days_off_are_read_from_the_database_once_per_year(django_assert_num_queries):
    with django_assert_num_queries(2):  # 2026 and 2027
        assert add_working_days(vn(2026, 1, 5, 10), 300) == add_working_days(vn(2026, 1, 5, 10), 300)
    with django_assert_num_queries(0):
        working_time_between(vn(2026, 1, 1), vn(2027, 12, 31))
        for day in range(1, 29):
            is_working_day(D(2027, 2, day))


def test_a_change_made_by_another_process_is_seen_through_the_shared_cache(monkeypatch):
    assert is_working_day(D(2026, 11, 20))
    # bulk_create sends no signal, like a change made in another process.
    CalendarOverride.objects.bulk_create([CalendarOverride(date=D(2026, 11, 20), kind=DAY_OFF, name="Nghỉ")])
    assert is_working_day(D(2026, 11, 20))  # still the cached year
    cache.set(calendar.GENERATION_KEY, "changed elsewhere", timeout=None)
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0)
    assert not is_working_day(D(2026, 11, 20))


def test_a_committed_change_is_announced_to_other_processes(django_capture_on_commit_callbacks):
    before = cache.get(calendar.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        override(D(2026, 11, 20), DAY_OFF)
    assert cache.get(calendar.GENERATION_KEY) not in (None, before)
    assert not is_working_day(D(2026, 11, 20))


def test_a_rolled_back_override_does_not_stay_in_the_cache():
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        override(D(2026, 11, 20), DAY_OFF)
        assert not is_working_day(D(2026, 11, 20))
        raise Abort
    assert is_working_day(D(2026, 11, 20))


# --- The year, for people -----------------------------------------------------------------------


def test_year_calendar_lists_national_and_province_days():
    override(D(2026, 11, 20), DAY_OFF, "Nghỉ kỷ niệm ngày thành lập tỉnh")
    override(D(2026, 11, 24), WORKING_DAY, "Làm việc bình thường")
    year = year_calendar(2026, language="vi")
    days_off = {day.date: day for day in year.days_off}
    working = {day.date: day for day in year.working_days}
    assert days_off[D(2026, 2, 17)].name == "Tết Nguyên Đán"
    assert days_off[D(2026, 11, 20)].source == "province"
    assert D(2026, 11, 24) not in days_off
    assert working[D(2026, 11, 24)].source == "province"
    assert working[D(2026, 8, 22)].source == "national"
    assert [day.date for day in year.days_off] == sorted(days_off)


# --- The calendar page ----------------------------------------------------------------------------


@pytest.fixture
def official(django_user_model):
    """A plain official (specialist, no second factor required) of a test agency."""
    from directory.models import AdministrativeUnit, Agency, Membership

    user = django_user_model.objects.create_user(
        username="lichlamviec.test", password="Mat-khau-dai-1", kind="official", full_name="Hà Thị Lịch"
    )
    unit = AdministrativeUnit.objects.create(code="99", name="Tỉnh Thử nghiệm", level="province")
    agency = Agency.objects.create(
        code="000.00.99.Z99", name="Sở Thử nghiệm", abbreviation="STN", administrative_unit=unit
    )
    Membership.objects.create(official=user, agency=agency, roles=["specialist"])
    return user


def test_calendar_page_shows_the_year_in_vietnamese(client, official):
    override(D(2026, 11, 20), DAY_OFF, "Nghỉ kỷ niệm ngày thành lập tỉnh")
    client.force_login(official)
    response = client.get(reverse("workspace:calendar"), {"year": "2026"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    page = response.content.decode()
    expected = (
        "Lịch làm việc năm 2026|Giờ làm việc|07:30|11:30|13:30|17:00"
        "|Ngày Văn hóa Việt Nam|24/11/2026|Tết Nguyên Đán|17/02/2026"
        "|Nghỉ kỷ niệm ngày thành lập tỉnh|Quyết định của tỉnh|Ngày làm bù|22/08/2026"
        '|<th scope="col">|<th scope="row">|<caption>|for="id_year"'
    )
    for text in expected.split("|"):
        assert text in page, text
    assert "style=" not in page
    assert "<script>" not in page


def test_calendar_page_speaks_english_when_asked(client, official):
    client.force_login(official)
    response = client.get(reverse("workspace:calendar"), {"year": "2027"}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "Working calendar 2027" in page
    assert "Lunar New Year" in page


def test_calendar_page_defaults_to_the_current_year(client, official):
    client.force_login(official)
    response = client.get(reverse("workspace:calendar"))
    assert response.status_code == 200
    assert f"Lịch làm việc năm {timezone.localdate(timezone=VN_TZ).year}" in response.content.decode()


@pytest.mark.parametrize("year", ["abc", "1800", "3000", ""])
def test_calendar_page_refuses_an_invalid_year(client, official, year):
    client.force_login(official)
    response = client.get(reverse("workspace:calendar"), {"year": year})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_calendar_page_is_for_officials_only(client, django_user_model):
    url = reverse("workspace:calendar")
    assert client.get(url).status_code == 302
    citizen = django_user_model.objects.create_user(username="congdan.lich", password="x", kind="citizen")
    client.force_login(citizen)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_admin_lists_overrides_by_year_and_finds_them_by_name(rf, django_user_model):
    from django.contrib import admin

    override(D(2026, 11, 20), DAY_OFF, "Nghỉ kỷ niệm ngày thành lập tỉnh")
    override(D(2027, 1, 9), WORKING_DAY, "Làm bù cho ngày 4/1/2027")
    model_admin = admin.site._registry[CalendarOverride]
    superuser = django_user_model.objects.create_superuser(username="admin.lich", password="x")

    def listed(query: dict) -> list[str]:
        request = rf.get("/admin/workdays/calendaroverride/", query)
        request.user = superuser
        response = model_admin.changelist_view(request)
        response.render()
        return [row.name for row in response.context_data["cl"].result_list]

    assert listed({"year": "2027"}) == ["Làm bù cho ngày 4/1/2027"]
    assert listed({"q": "thành lập"}) == ["Nghỉ kỷ niệm ngày thành lập tỉnh"]
