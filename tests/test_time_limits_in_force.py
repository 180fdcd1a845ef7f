"""The law in force on a dossier's deadline and outcome (decision 0011): a time limit has a kind,
a period in days ends at the close of its last working day, the outcome is fixed when the result
becomes available to the applicant, and a leader's note at approval stays inside the agency.

Office hours 07:30–11:30, 13:30–17:00. 30 November 2026 is a Monday.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dossiers import workflow
from dossiers.models import Outcome
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import make_procedure
from tests.test_workflow import VN, _submitted


def at(month, day, hour, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN)


def _one_step(demo, procedure):
    """The commune's specialist examines, the chairman approves."""
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", role="specialist",
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")], hours=Decimal("2"),
                               actions=["forward", "supplement", "pause"])
    ProcessStep.objects.create(definition=definition, order=2, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("1"), actions=["approve", "refuse"])
    publish(definition=definition)
    return procedure


@pytest.fixture
def certified_copy(demo):
    """Chứng thực bản sao: settled the same day, or the next working day after 15:00."""
    return _one_step(demo, make_procedure(agencies=[demo.agencies["01840"]], code="9.000801", days=0,
                                          limit_kind="same_day", cutoff=dt.time(15, 0)))


@pytest.fixture
def three_days(demo):
    return _one_step(demo, make_procedure(agencies=[demo.agencies["01840"]], code="9.000802", days=3))


def _accept(demo, procedure, when):
    dossier = _submitted(demo, procedure, when - dt.timedelta(hours=1))
    with time_machine.travel(when, tick=False):
        return workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"])


def _settle(demo, dossier, when, note=""):
    with time_machine.travel(when, tick=False):
        dossier = workflow.forward(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
        return workflow.approve(dossier=dossier, acting_user=demo.users["chutich.ducxuan"], note=note)


def test_same_day_procedure_received_before_the_cut_off_is_due_that_evening(demo, certified_copy):
    # Tue 1/12 14:30 < 15:00 → due at the close of Tue 1/12.
    assert _accept(demo, certified_copy, at(12, 1, 14, 30)).due_at == at(12, 1, 17)


def test_same_day_procedure_received_at_the_cut_off_is_due_the_next_working_day(demo, certified_copy):
    # Fri 4/12 15:00 → the next working day, Mon 7/12, at its close.
    assert _accept(demo, certified_copy, at(12, 4, 15)).due_at == at(12, 7, 17)


def test_a_result_approved_in_the_afternoon_of_the_due_day_is_on_time(demo, three_days):
    # Received Mon 30/11 10:00; Tue, Wed, Thu → due at the close of Thu 3/12. Approved Thu 14:00.
    dossier = _accept(demo, three_days, at(11, 30, 10))
    assert dossier.due_at == at(12, 3, 17)
    assert _settle(demo, dossier, at(12, 3, 14)).outcome == Outcome.ON_TIME


def test_a_result_approved_the_day_after_the_due_day_is_late(demo, three_days):
    dossier = _accept(demo, three_days, at(11, 30, 10))
    assert _settle(demo, dossier, at(12, 4, 8)).outcome == Outcome.LATE


def test_a_province_with_hour_precise_appointments_counts_the_same_approval_late(demo, three_days, settings):
    settings.EGOV_PERIOD_END = "exact"
    dossier = _accept(demo, three_days, at(11, 30, 10))
    assert dossier.due_at == at(12, 3, 10)  # Thu 3/12 at the time of receipt
    assert _settle(demo, dossier, at(12, 3, 14)).outcome == Outcome.LATE


def test_the_outcome_waits_for_the_electronic_result_when_one_is_being_prepared(demo, three_days):
    from dossiers import results

    dossier = _accept(demo, three_days, at(11, 30, 10))
    with time_machine.travel(at(12, 1, 9), tick=False):
        results.prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    dossier = _settle(demo, dossier, at(12, 1, 10))
    assert dossier.outcome == ""  # fixed at issuance, when the applicant can have it


def test_the_leaders_note_at_approval_never_reaches_the_applicant(demo, three_days, client, sign_in,
                                                                   django_capture_on_commit_callbacks):
    dossier = _accept(demo, three_days, at(11, 30, 10))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _settle(demo, dossier, at(12, 1, 10), note="Đồng ý. Lưu ý kiểm tra lại hồ sơ gốc.")
    response = sign_in("congdan@example.vn").get(reverse("dossiers:detail", args=[dossier.pk]))
    assert response.status_code == 200 and dossier.code in response.content.decode()
    assert "Lưu ý kiểm tra lại" not in response.content.decode()
    told = [message for message in mail.outbox if dossier.code in message.subject + message.body]
    assert told and all("Lưu ý kiểm tra lại" not in message.body for message in told)
    response = sign_in("chutich.ducxuan").get(reverse("office:detail", args=[dossier.pk]))
    assert response.status_code == 200 and "Lưu ý kiểm tra lại" in response.content.decode()  # the agency keeps it


def test_a_dossier_paused_after_its_due_moment_stays_in_the_overdue_list(demo, three_days, sign_in):
    # Due at the close of Thu 3/12; paused on Fri 4/12 (already late), and another paused in time.
    late = _accept(demo, three_days, at(11, 30, 10))
    in_time = _accept(demo, three_days, at(11, 30, 10))
    with time_machine.travel(at(12, 4, 9), tick=False):
        late = workflow.pause(dossier=late, acting_user=demo.users["tuphap.ducxuan"], reason="Chờ xác minh")
    with time_machine.travel(at(12, 2, 9), tick=False):
        in_time = workflow.pause(dossier=in_time, acting_user=demo.users["tuphap.ducxuan"], reason="Chờ xác minh")
    with time_machine.travel(at(12, 10, 9), tick=False):
        page = sign_in("chutich.ducxuan").get(reverse("office:queue"), {"tab": "overdue"}).content.decode()
    assert late.code in page and in_time.code not in page


def test_an_online_dossier_must_be_taken_in_within_the_desks_intake_time_limit(demo, three_days, sign_in):
    # Submitted online Mon 30/11 10:00; one working day of office hours (7.5 h): Mon 10:00–11:30 and
    # 13:30–17:00 (5 h), then Tue 07:30–10:00 (2.5 h) → Tue 1/12 10:00.
    dossier = _submitted(demo, three_days, at(11, 30, 10))
    assert dossier.intake_due_at == at(12, 1, 10)
    with time_machine.travel(at(12, 1, 9, 59), tick=False):
        page = sign_in("motcua.ducxuan").get(reverse("office:queue"), {"tab": "overdue"}).content.decode()
        assert dossier.code not in page
    with time_machine.travel(at(12, 1, 10, 1), tick=False):
        desk = sign_in("motcua.ducxuan")
        assert dossier.code in desk.get(reverse("office:queue"), {"tab": "overdue"}).content.decode()
        assert "quá hạn tiếp nhận" in desk.get(reverse("office:queue"), {"tab": "intake"}).content.decode()


def test_an_agency_sets_its_own_intake_time_limit(demo, three_days):
    # 4 working hours from Mon 10:00: 10:00–11:30 (1.5 h), then 13:30 + 2.5 h → Mon 16:00.
    agency = demo.agencies["01840"]
    agency.intake_hours = Decimal(4)
    agency.save(update_fields=["intake_hours"])
    assert _submitted(demo, three_days, at(11, 30, 10)).intake_due_at == at(11, 30, 16)
