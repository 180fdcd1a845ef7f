"""The request to supplement during processing (decision 0016): the clock stops and the time already
spent counts (the legal default) or the full time limit counts again (``restart``); once only; never
at or after the due moment, nor past the province's share of the time limit; the answer gives the
applicant a new appointment (Mẫu 01) and tells them.

Office hours 07:30–11:30, 13:30–17:00. Mon 30/11/2026. The Department of Justice (STP) settles a
three-working-day procedure; its administrative-justice specialist examines (the first step).
"""

import pytest
import time_machine
from django.core import mail

from dossiers import policy, services, workflow
from dossiers.models import DossierEvent, Slip
from dossiers.services import TransitionRefused
from dossiers.states import Status
from tests.factories import png_file
from tests.test_deadline_edges import accepted, at, procedure_for, submitted

SPECIALIST = "chuyenvien.stp"
ONCE = "chỉ được yêu cầu bổ sung một lần|only once"


@pytest.fixture
def three_days(demo):
    return procedure_for(demo, "9.009101", days=3)


def _ask(demo, dossier, when):
    with time_machine.travel(when, tick=False):
        return workflow.request_supplement(dossier=dossier, acting_user=demo.users[SPECIALIST],
                                           missing=["Bản sao giấy chứng sinh có chứng thực"])


def _answer(demo, dossier, when):
    paper = dossier.procedure_version.papers.order_by("order")[1]
    with time_machine.travel(when, tick=False):
        return services.answer_supplement(dossier=dossier, applicant=demo.users["congdan@example.vn"],
                                          uploads={paper.pk: png_file("ban-sao.png")})


def _may_ask(demo, dossier, when) -> policy.Decision:
    with time_machine.travel(when, tick=False):
        return policy.decide(demo.users[SPECIALIST], dossier, "supplement")


# --- the clock: pause (legal default) or restart -----------------------------------------------------

def test_by_default_the_time_already_spent_counts_and_the_answer_gives_a_new_appointment(
        demo, three_days, django_capture_on_commit_callbacks):
    # Received Mon 30/11 10:00: Tue 1, Wed 2, Thu 3 → due at the close of Thu 3/12.
    dossier = accepted(demo, three_days, at(2026, 11, 30, 10))
    assert dossier.due_at == at(2026, 12, 3, 17)
    dossier = _ask(demo, dossier, at(2026, 12, 1, 10))
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.clock_stopped_at == at(2026, 12, 1, 10)
    assert dossier.slips.get(form=Slip.Form.SUPPLEMENT).content["clock"] == "pause"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _answer(demo, dossier, at(2026, 12, 2, 10))
    # Stopped Tue 10:00 → Wed 10:00: 10:00–11:30, 13:30–17:00 (5 h) + Wed 07:30–10:00 (2.5 h) = 7.5 h.
    # Thu 17:00 + 7.5 h = Fri 4/12 17:00, the close of that day.
    assert dossier.status == Status.IN_PROGRESS and dossier.due_at == at(2026, 12, 4, 17)
    first, new = dossier.slips.filter(form=Slip.Form.RECEIPT).order_by("created_at", "id")
    assert "new_appointment" not in first.content
    assert new.content["new_appointment"] is True
    assert new.content["due_at"] == at(2026, 12, 4, 17).isoformat()
    assert new.content["previous_due_at"] == at(2026, 12, 3, 17).isoformat()
    note = DossierEvent.objects.filter(dossier=dossier).order_by("-at", "-id").first().note
    assert note.startswith("Hẹn trả kết quả mới: 17:00 04/12/2026 (trước đó: 17:00 03/12/2026)")
    assert any("17:00 04/12/2026" in message.body for message in mail.outbox
               if dossier.code in message.subject + message.body)  # the applicant is told


def test_a_province_that_restarts_the_clock_counts_the_full_time_limit_from_the_answer(demo, three_days, settings):
    settings.EGOV_SUPPLEMENT_CLOCK = "restart"
    dossier = accepted(demo, three_days, at(2026, 11, 30, 10))
    dossier = _ask(demo, dossier, at(2026, 12, 1, 10))
    assert dossier.slips.get(form=Slip.Form.SUPPLEMENT).content["clock"] == "restart"
    dossier = _answer(demo, dossier, at(2026, 12, 2, 10))
    # Complete again Wed 2/12 10:00; Wednesday not counted: Thu 3 (1), Fri 4 (2), Mon 7 (3) → Mon 7/12 17:00.
    assert dossier.due_at == at(2026, 12, 7, 17)
    new = dossier.slips.filter(form=Slip.Form.RECEIPT).order_by("-created_at", "-id").first()
    assert new.content["new_appointment"] and new.content["due_at"] == at(2026, 12, 7, 17).isoformat()
    assert "tính lại từ đầu" in new.content["reason"]


def test_a_supplement_at_intake_stops_no_clock_and_gives_no_new_appointment(demo, three_days):
    dossier = submitted(demo, three_days, at(2026, 11, 30, 9))
    dossier = workflow.request_supplement(dossier=dossier, acting_user=demo.users["motcua.stp"],
                                          missing=["Giấy chứng sinh bản chính"])
    dossier = _answer(demo, dossier, at(2026, 11, 30, 11))
    assert dossier.status == Status.SUBMITTED and dossier.due_at is None
    assert not dossier.slips.filter(form=Slip.Form.RECEIPT).exists()
    assert "clock" not in dossier.slips.get(form=Slip.Form.SUPPLEMENT).content


# --- how often ----------------------------------------------------------------------------------

def test_the_applicant_is_asked_to_supplement_only_once_during_processing(demo, three_days):
    dossier = accepted(demo, three_days, at(2026, 11, 30, 10))
    dossier = _answer(demo, _ask(demo, dossier, at(2026, 12, 1, 10)), at(2026, 12, 2, 10))
    decision = _may_ask(demo, dossier, at(2026, 12, 2, 11))
    assert not decision and "một lần" in decision.reason
    with time_machine.travel(at(2026, 12, 2, 11), tick=False):
        assert "supplement" not in policy.available_actions(demo.users[SPECIALIST], dossier)
    with pytest.raises(TransitionRefused, match=ONCE):
        _ask(demo, dossier, at(2026, 12, 2, 11))


def test_a_request_at_intake_does_not_use_up_the_one_during_processing(demo, three_days):
    dossier = submitted(demo, three_days, at(2026, 11, 30, 8))
    dossier = workflow.request_supplement(dossier=dossier, acting_user=demo.users["motcua.stp"], missing=["Tờ khai"])
    dossier = _answer(demo, dossier, at(2026, 11, 30, 9))
    with time_machine.travel(at(2026, 11, 30, 10), tick=False):
        dossier = workflow.accept(dossier=dossier, acting_user=demo.users["motcua.stp"],
                                  unit=demo.units[("STP", "Phòng Hành chính tư pháp")])
    assert _ask(demo, dossier, at(2026, 12, 1, 10)).status == Status.SUPPLEMENT_REQUESTED


@pytest.mark.parametrize(("most", "allowed_requests"), [("2", 2), ("", 3)])
def test_a_province_may_allow_more_requests(demo, three_days, settings, most, allowed_requests):
    settings.EGOV_SUPPLEMENT_MAX_REQUESTS = most  # "" = no limit
    dossier = accepted(demo, three_days, at(2026, 11, 30, 10))
    for hour in range(9, 9 + allowed_requests):  # Tue 1/12: asked at 09:00, answered at 09:30, ...
        dossier = _ask(demo, dossier, at(2026, 12, 1, hour))
        dossier = _answer(demo, dossier, at(2026, 12, 1, hour, 30))
    decision = _may_ask(demo, dossier, at(2026, 12, 1, 14))
    assert bool(decision) is (most == "")


# --- how late -----------------------------------------------------------------------------------

def test_no_request_at_or_after_the_due_moment(demo, three_days):
    # Due at the close of Thu 3/12 (17:00). At 16:59 the request may still be made; at 17:00 not.
    dossier = accepted(demo, three_days, at(2026, 11, 30, 10))
    assert _may_ask(demo, dossier, at(2026, 12, 3, 16, 59))
    decision = _may_ask(demo, dossier, at(2026, 12, 3, 17))
    assert not decision and "quá thời hạn" in decision.reason
    with pytest.raises(TransitionRefused, match="quá thời hạn|past its due"):
        _ask(demo, dossier, at(2026, 12, 4, 8))


@pytest.mark.parametrize("rule", ["restart-default", "pause-with-a-share"])
def test_no_request_after_half_of_the_time_limit_where_the_province_says_so(demo, settings, rule):
    if rule == "restart-default":
        settings.EGOV_SUPPLEMENT_CLOCK = "restart"  # half of the time limit by default under restart
    else:
        settings.EGOV_SUPPLEMENT_LATEST_SHARE = "0.5"
    procedure = procedure_for(demo, "9.009102", days=2)
    # Received Mon 30/11 07:30; Tue 1 (1), Wed 2 (2) → due Wed 2/12 17:00. From Mon 07:30 to then:
    # 3 × 7.5 h = 22.5 h; half is 11.25 h: Mon 7.5 h, then Tue 07:30 + 3.75 h = Tue 11:15.
    dossier = accepted(demo, procedure, at(2026, 11, 30, 7, 30))
    assert dossier.due_at == at(2026, 12, 2, 17)
    assert _may_ask(demo, dossier, at(2026, 12, 1, 11, 15))  # exactly half: still allowed
    decision = _may_ask(demo, dossier, at(2026, 12, 1, 11, 16))
    assert not decision and "50%" in decision.reason


def test_time_stopped_by_a_pause_is_not_counted_as_spent(demo, settings):
    settings.EGOV_SUPPLEMENT_LATEST_SHARE = "0.5"
    procedure = procedure_for(demo, "9.009103", days=2)
    dossier = accepted(demo, procedure, at(2026, 11, 30, 7, 30))  # due Wed 2/12 17:00, half at Tue 11:15
    with time_machine.travel(at(2026, 11, 30, 9, 30), tick=False):
        dossier = workflow.pause(dossier=dossier, acting_user=demo.users[SPECIALIST], reason="Chờ xác minh")
    with time_machine.travel(at(2026, 11, 30, 11, 30), tick=False):
        dossier = workflow.resume(dossier=dossier, acting_user=demo.users[SPECIALIST])
    # Paused Mon 09:30–11:30 (2 h): due Wed 17:00 + 2 h = Thu 3/12 09:30 → the close of Thu 3/12.
    # Left at Tue 11:16: 14 min + 3.5 h, Wed 7.5 h, Thu 7.5 h = 18.73 h of the 22.5 h: 17 % spent, under half.
    assert dossier.due_at == at(2026, 12, 3, 17)
    assert _may_ask(demo, dossier, at(2026, 12, 1, 11, 16))


@pytest.mark.requires_tools("pdftotext")
def test_the_new_appointment_slip_says_it_replaces_the_first_date(demo, three_days):
    from tests.test_slips import pdf_text

    dossier = accepted(demo, three_days, at(2026, 11, 30, 10))
    dossier = _answer(demo, _ask(demo, dossier, at(2026, 12, 1, 10)), at(2026, 12, 2, 10))
    first, new = dossier.slips.filter(form=Slip.Form.RECEIPT).order_by("created_at", "id")
    text = pdf_text(new)
    # Due Fri 4/12 17:00 instead of Thu 3/12 17:00 (worked out in the first test above).
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 04 tháng 12 năm 2026" in text
    assert "Hẹn lại ngày trả kết quả (thay cho lịch hẹn 17 giờ 00 phút, ngày 03 tháng 12 năm 2026)" in text
    assert "Hẹn lại" not in pdf_text(first)
