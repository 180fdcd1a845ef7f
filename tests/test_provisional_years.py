"""A future year's holidays are provisional until the province enters the official notice: a
deadline that falls in such a year says so, on the officials' page, the applicant's page, the public
lookup and the receipt (Mẫu 01). Today is 1 December 2026 in these tests."""

import datetime as dt

import pytest
import time_machine

from dossiers import workflow
from dossiers.models import Slip
from tests.factories import make_procedure
from tests.test_slips import pdf_text
from tests.test_time_limits_in_force import _one_step
from tests.test_workflow import VN, _submitted
from workdays.models import CalendarYear
from workdays.years import provisional_years

TODAY = dt.date(2026, 12, 1)
PROVISIONAL = "dự kiến: lịch nghỉ lễ, tết chính thức của năm đó chưa được công bố"


def test_only_future_years_without_a_notice_are_provisional(db):
    assert provisional_years(dt.date(2025, 1, 1), dt.date(2026, 12, 31), today=TODAY) == []
    assert provisional_years(dt.date(2026, 12, 1), dt.date(2028, 1, 5), today=TODAY) == [2027, 2028]
    CalendarYear.objects.create(year=2027, notice="Thông báo lịch nghỉ Tết Đinh Mùi 2027")
    assert provisional_years(dt.date(2026, 12, 1), dt.date(2028, 1, 5), today=TODAY) == [2028]


@pytest.fixture
def procedure(demo):
    return _one_step(demo, make_procedure(agencies=[demo.agencies["01840"]], code="9.000961", days=5))


def _accepted(demo, procedure, when):
    dossier = _submitted(demo, procedure, when)
    with time_machine.travel(when + dt.timedelta(hours=1), tick=False):
        return workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"])


@time_machine.travel(dt.datetime(2026, 12, 28, 10, tzinfo=VN), tick=False)
def test_a_deadline_in_2027_is_shown_provisional_until_the_notice_is_entered(demo, procedure, sign_in):
    # Received Mon 28/12/2026 11:00: Tue 29, Wed 30, Thu 31, (Fri 1/1 off), Mon 4, Tue 5/1/2027.
    dossier = _accepted(demo, procedure, dt.datetime(2026, 12, 28, 10, tzinfo=VN))
    assert dossier.due_at == dt.datetime(2027, 1, 5, 17, tzinfo=VN)
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    assert PROVISIONAL in pdf_text(receipt)
    office = sign_in("motcua.ducxuan").get(f"/workspace/dossiers/{dossier.pk}/").content.decode()
    assert "tạm tính" in office
    applicant = sign_in("congdan@example.vn").get(f"/dossiers/my/{dossier.pk}/").content.decode()
    assert "tạm tính" in applicant and dossier.code in applicant

    CalendarYear.objects.create(year=2027, notice="Thông báo lịch nghỉ năm 2027")
    assert PROVISIONAL not in pdf_text(receipt)
    assert "tạm tính" not in sign_in("motcua.ducxuan").get(f"/workspace/dossiers/{dossier.pk}/").content.decode()
