"""The dashboards' settled figures and on-time alerts come from the indices' daily roll-ups: what is
not rolled up yet is not counted, a rebuilt day is; the on-time rate is rounded half up to one
decimal; an agency under the threshold, or down by the threshold from last month, is alerted once."""

import datetime as dt
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import time_machine
from django.db.models import Q

from dashboards import selectors
from dashboards.alerts import check
from dashboards.models import Alert, AlertKind, AlertRule
from dossiers.models import Dossier
from indices.rollups import rebuild_range
from tests.factories import make_procedure
from workdays.report_periods import Period

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_codes = count(1)
NOVEMBER, OCTOBER = Period.month(2026, 11), Period.month(2026, 10)


def _settled(demo, procedure, day: dt.date, outcome: str, agency: str = "STP") -> Dossier:
    ready = dt.datetime.combine(day, dt.time(10), tzinfo=VN)
    return Dossier.objects.create(
        code=f"DB-{next(_codes):04d}", procedure_version=procedure.current, agency=demo.agencies[agency],
        applicant=demo.users["congdan@example.vn"], applicant_name="Nguyễn Thị Hồng", status="result_ready",
        channel="online", submitted_at=ready - dt.timedelta(days=5), received_at=ready - dt.timedelta(days=5),
        due_at=ready, result_ready_at=ready, outcome=outcome)


def _world(demo):
    procedure = make_procedure(agencies=[demo.agencies["STP"], demo.agencies["SXD"]], code="9.150001",
                               name="Cấp phiếu lý lịch tư pháp (thử)")
    # STP in November: 2 early or on time, 1 late -> 2/3 = 66.666… -> 66.7 %.
    for outcome in ("early", "on_time", "late"):
        _settled(demo, procedure, dt.date(2026, 11, 5), outcome)
    # STP in October: 4 on time -> 100.0 %; SXD in November: 1 on time -> 100.0 %.
    for _ in range(4):
        _settled(demo, procedure, dt.date(2026, 10, 20), "on_time")
    _settled(demo, procedure, dt.date(2026, 11, 6), "on_time", agency="SXD")
    return procedure


def test_the_settled_figures_are_the_roll_ups(demo):
    procedure = _world(demo)
    stp = Q(agency_id=demo.agencies["STP"].pk)
    assert selectors.settled(NOVEMBER, stp) == selectors.Settled()  # nothing rolled up yet
    rebuild_range(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    figures = selectors.settled(NOVEMBER, stp)
    assert (figures.on_time, figures.late, figures.total, figures.on_time_rate) == (2, 1, 3, Decimal("66.7"))
    assert selectors.settled(NOVEMBER).total == 4  # the province: STP's 3 and SXD's 1
    assert selectors.settled(Period.month(2026, 9), stp).on_time_rate is None  # nothing settled: no rate, not 0
    _settled(demo, procedure, dt.date(2026, 11, 7), "late")
    assert selectors.settled(NOVEMBER, stp).total == 3  # a day not refreshed yet
    rebuild_range(dt.date(2026, 11, 7), dt.date(2026, 11, 7))
    assert selectors.settled(NOVEMBER, stp).on_time_rate == Decimal("50.0")  # 2 of 4


def test_on_time_alerts_read_the_roll_ups_once_per_month(demo):
    _world(demo)
    rebuild_range(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    AlertRule.objects.create(kind=AlertKind.ON_TIME_BELOW, threshold=Decimal("70"))
    AlertRule.objects.create(kind=AlertKind.ON_TIME_DROP, threshold=Decimal("30"))
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=VN), tick=False):
        assert check() == 2  # STP: 66.7 < 70, and 100.0 - 66.7 = 33.3 >= 30; SXD at 100.0: nothing
        assert check() == 0
    alerts = {alert.rule.kind: alert for alert in Alert.objects.select_related("rule", "agency")}
    assert {alert.agency.abbreviation for alert in alerts.values()} == {"STP"}
    assert alerts[AlertKind.ON_TIME_BELOW].value == Decimal("66.7")
    assert "66.7" in alerts[AlertKind.ON_TIME_DROP].message and "100.0" in alerts[AlertKind.ON_TIME_DROP].message
