"""When the province's calendar changes, open dossiers follow (decision 0017): the ones whose period
covers a changed day get their due moment recomputed in the background, one audit entry each and a
new appointment (Mẫu 01) where the date moves; running it again changes nothing.

Office hours 07:30–11:30, 13:30–17:00; the period ends at the close of its last working day. The
``holidays`` package gives Tết 2027 as Thu 4/2 – Wed 10/2 (six days off with the weekend). The
Department of Justice (STP) settles a procedure of three working days (two for the swapped Saturday);
its default process gives the first step, the specialist's, 60 % of 22.5 h = 13.5 working hours.
"""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from audit.models import AuditEntry
from dossiers import reschedule, workflow
from dossiers.models import Dossier, Slip
from outbox.models import OutboxMessage
from tests.test_deadline_edges import accepted, at, procedure_for
from tests.test_slips import pdf_text
from workdays.models import CalendarOverride, CalendarYear

TASK = "dossiers.reschedule_after_calendar_change"


@pytest.fixture
def three_days(demo):
    return procedure_for(demo, "9.009201", days=3)


def _change(django_capture_on_commit_callbacks, when, **override):
    """The province enters an override at ``when``; the background task runs once it commits."""
    with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
        return CalendarOverride.objects.create(name="Theo thông báo của UBND tỉnh", **override)


def _calendar_entries(dossier) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk),
                                          summary__reason="calendar_change"))


def _receipts(dossier) -> list[Slip]:
    return list(dossier.slips.filter(form=Slip.Form.RECEIPT).order_by("created_at", "id"))


def test_tet_2027_as_the_holidays_package_gives_it(demo, three_days):
    # Received Wed 3/2/2027 10:00; Thu 4 – Wed 10 off: Thu 11 (1), Fri 12 (2), Mon 15 (3) → Mon 15/2 17:00.
    dossier = accepted(demo, three_days, at(2027, 2, 3, 10))
    assert dossier.due_at == at(2027, 2, 15, 17)
    # First step, 13.5 h: Wed 10:00–17:00 less lunch (5 h), Thu 11 (7.5 h), Fri 12 07:30 + 1 h → 08:30.
    assert dossier.current_step.due_at == at(2027, 2, 12, 8, 30)


def test_an_official_plan_with_a_longer_tet_moves_the_open_dossiers(demo, three_days,
                                                                     django_capture_on_commit_callbacks):
    dossier = accepted(demo, three_days, at(2027, 2, 3, 10))
    # Received Mon 1/2 10:00 with one working day: due Tue 2/2 17:00, already late and still open;
    # its period does not reach 11/2, so the change leaves it alone.
    earlier = accepted(demo, procedure_for(demo, "9.009202", days=1), at(2027, 2, 1, 10))
    assert earlier.due_at == at(2027, 2, 2, 17)

    # The official plan also gives Thu 11/2 off, entered on Wed 3/2 at 14:00.
    _change(django_capture_on_commit_callbacks, at(2027, 2, 3, 14), date=dt.date(2027, 2, 11), kind="day_off")
    dossier.refresh_from_db()
    # Fri 12 (1), Mon 15 (2), Tue 16 (3) → the close of Tue 16/2.
    assert dossier.due_at == at(2027, 2, 16, 17)
    # The first step: Wed 5 h, Fri 12 7.5 h (12.5 h), Mon 15 07:30 + 1 h → Mon 15/2 08:30.
    assert dossier.current_step.due_at == at(2027, 2, 15, 8, 30)
    [entry] = _calendar_entries(dossier)
    assert entry.summary["from"] == at(2027, 2, 15, 17).isoformat()
    assert entry.summary["to"] == at(2027, 2, 16, 17).isoformat()
    first, new = _receipts(dossier)
    assert new.content["new_appointment"] and new.content["due_at"] == at(2027, 2, 16, 17).isoformat()
    assert new.content["reason"] == "Lịch làm việc của tỉnh đã thay đổi."
    assert "17 giờ 00 phút, ngày 16 tháng 02 năm 2027" in pdf_text(new)
    assert dossier.events.filter(note__startswith="Hẹn trả kết quả mới: 17:00 16/02/2027").exists()
    assert Dossier.objects.get(pk=earlier.pk).due_at == at(2027, 2, 2, 17) and len(_receipts(earlier)) == 1

    # Run again (the outbox delivers at least once): nothing more happens.
    with time_machine.travel(at(2027, 2, 3, 15), tick=False):
        again = reschedule.after_calendar_change(first=dt.date(2027, 2, 11), last=dt.date(2027, 2, 11))
    assert again == {"checked": 1, "moved": 0}
    assert len(_receipts(dossier)) == 2 and len(_calendar_entries(dossier)) == 1


def test_a_plan_that_moves_days_without_changing_a_due_moment_gives_no_new_appointment(
        demo, three_days, django_capture_on_commit_callbacks):
    dossier = accepted(demo, three_days, at(2027, 2, 3, 10))
    # The plan keeps Thu 4/2 working and gives Thu 11/2 off instead, both days entered together (one
    # transaction: an import, a script): Thu 4 (1), Fri 12 (2), Mon 15 (3): still Mon 15/2 17:00; the
    # first step, Wed 5 h + Thu 4 7.5 h + Fri 12 1 h, still ends Fri 12/2 08:30.
    with time_machine.travel(at(2027, 2, 3, 14), tick=False), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            CalendarOverride.objects.create(date=dt.date(2027, 2, 4), kind="working_day", name="Làm việc")
            CalendarOverride.objects.create(date=dt.date(2027, 2, 11), kind="day_off", name="Nghỉ Tết")
    assert OutboxMessage.objects.filter(task=TASK, done_at__isnull=False).count() == 2  # both tasks ran
    dossier.refresh_from_db()
    assert dossier.due_at == at(2027, 2, 15, 17) and dossier.current_step.due_at == at(2027, 2, 12, 8, 30)
    assert len(_receipts(dossier)) == 1 and _calendar_entries(dossier) == []
    # Entering the year's official notice checks that year's dossiers again: nothing moves either.
    with time_machine.travel(at(2027, 2, 3, 15), tick=False), django_capture_on_commit_callbacks(execute=True):
        CalendarYear.objects.create(year=2027, notice="Thông báo lịch nghỉ Tết Đinh Mùi 2027")
    assert len(_receipts(dossier)) == 1 and _calendar_entries(dossier) == []


def test_a_saturday_made_a_working_day_brings_the_appointment_forward(demo, django_capture_on_commit_callbacks):
    procedure = procedure_for(demo, "9.009203", days=2)
    # Received Thu 3/12/2026 10:00: Fri 4 (1), Mon 7 (2) → Mon 7/12 17:00.
    dossier = accepted(demo, procedure, at(2026, 12, 3, 10))
    assert dossier.due_at == at(2026, 12, 7, 17)
    # On Thu 3/12 14:00 the province makes Sat 5/12 a working day: Fri 4 (1), Sat 5 (2) → Sat 5/12 17:00.
    _change(django_capture_on_commit_callbacks, at(2026, 12, 3, 14), date=dt.date(2026, 12, 5), kind="working_day")
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 12, 5, 17)
    assert _receipts(dossier)[-1].content["due_at"] == at(2026, 12, 5, 17).isoformat()


def test_a_correction_after_the_fact_makes_no_dossier_late(demo, django_capture_on_commit_callbacks):
    procedure = procedure_for(demo, "9.009204", days=2)
    dossier = accepted(demo, procedure, at(2026, 12, 3, 10))  # due Mon 7/12 17:00, as above
    # Entered on Mon 7/12 09:00, the working Saturday would put the due moment at Sat 5/12 17:00,
    # already past: the appointment given stands.
    _change(django_capture_on_commit_callbacks, at(2026, 12, 7, 9), date=dt.date(2026, 12, 5), kind="working_day")
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 12, 7, 17) and len(_receipts(dossier)) == 1


def test_dossiers_paused_or_waiting_for_the_applicant_are_rescheduled_too(demo, three_days,
                                                                           django_capture_on_commit_callbacks):
    specialist = demo.users["chuyenvien.stp"]
    paused = accepted(demo, three_days, at(2026, 11, 30, 10))  # Tue 1, Wed 2, Thu 3 → Thu 3/12 17:00
    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        paused = workflow.pause(dossier=paused, acting_user=specialist, reason="Chờ xác minh")
    with time_machine.travel(at(2026, 12, 1, 14), tick=False):
        paused = workflow.resume(dossier=paused, acting_user=specialist)
    # Paused Tue 10:00–14:00: 10:00–11:30 + 13:30–14:00 = 2 h. Thu 17:00 + 2 h = Fri 09:30 → Fri 4/12 17:00.
    # Its first step (13.5 h): Mon 5 h, Tue 7.5 h, Wed 07:30 + 1 h = 08:30, + 2 h → Wed 2/12 10:30.
    assert paused.due_at == at(2026, 12, 4, 17) and paused.current_step.due_at == at(2026, 12, 2, 10, 30)
    waiting = accepted(demo, three_days, at(2026, 11, 30, 10))
    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        waiting = workflow.request_supplement(dossier=waiting, acting_user=specialist, missing=["Tờ khai bản chính"])

    # On Tue 1/12 15:00 the province gives Wed 2/12 off.
    _change(django_capture_on_commit_callbacks, at(2026, 12, 1, 15), date=dt.date(2026, 12, 2), kind="day_off")
    paused.refresh_from_db()
    # Tue 1 (1), Thu 3 (2), Fri 4 (3) → Fri 17:00, + the 2 h paused → Mon 7/12 09:30 → the close of Mon 7/12.
    assert paused.due_at == at(2026, 12, 7, 17)
    # The step: Mon 5 h, Tue 7.5 h, (Wed off) Thu 07:30 + 1 h = 08:30, + 2 h → Thu 3/12 10:30.
    assert paused.current_step.due_at == at(2026, 12, 3, 10, 30)
    # Waiting for the applicant since Tue 09:00 (its stop not yet counted): Tue 1, Thu 3, Fri 4 → Fri 4/12 17:00.
    waiting.refresh_from_db()
    assert waiting.status == "supplement" and waiting.due_at == at(2026, 12, 4, 17)
    assert _receipts(waiting)[-1].content["new_appointment"]
    assert len(_calendar_entries(paused)) == 1 and len(_calendar_entries(waiting)) == 1


def test_the_admin_saves_at_once_and_leaves_the_rescheduling_to_the_outbox(demo, three_days, sign_in):
    dossier = accepted(demo, three_days, at(2026, 11, 30, 10))
    response = sign_in("quantri.tinh").post("/admin/workdays/calendaroverride/add/", {
        "date": "2026-12-02", "kind": "day_off", "name": "Nghỉ bù", "basis": "Quyết định số 1/QĐ-UBND"}, follow=True)
    assert response.status_code == 200
    assert CalendarOverride.objects.filter(date=dt.date(2026, 12, 2)).exists()
    assert "đang được tính lại thời hạn" in response.content.decode()
    row = OutboxMessage.objects.get(task=TASK)
    assert row.kwargs["first"] == row.kwargs["last"] == "2026-12-02"
    assert row.kwargs["actor"]["label"] == "quantri.tinh"
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 12, 3, 17)  # not yet: the task runs once the change is committed
