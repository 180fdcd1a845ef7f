"""A dossier from intake to result through a two-agency process, with a supplement request in
the middle, every due date checked against the working calendar (Tết-free weeks of November
2026, with 24 November, Vietnam Culture Day, off), the slips' content, and the outcome."""

import datetime as dt
import subprocess
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from dossiers import services, sweeps, workflow
from dossiers.models import Dossier, Outcome, Slip
from dossiers.services import StaleDossier, TransitionRefused
from dossiers.states import Status
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file, submit_birth

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN)


def _two_agency_process(demo, procedure):
    """Commune specialist examines → Department of Justice specialist checks → its director approves."""
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Công chức tư pháp - hộ tịch thẩm định",
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")], role="specialist",
                               hours=Decimal("7.5"), actions=["forward", "supplement", "pause", "propose_refusal"])
    ProcessStep.objects.create(definition=definition, order=2, name="Sở Tư pháp kiểm tra",
                               agency=demo.agencies["STP"], unit=demo.units[("STP", "Phòng Hành chính tư pháp")],
                               role="specialist", hours=Decimal("7.5"), actions=["forward", "return", "supplement"])
    ProcessStep.objects.create(definition=definition, order=3, name="Giám đốc Sở phê duyệt",
                               agency=demo.agencies["STP"], role="agency_leader", hours=Decimal("7.5"),
                               actions=["approve", "refuse", "return"])
    return publish(definition=definition)


def _submitted(demo, procedure, when):
    with time_machine.travel(when, tick=False):
        return submit_birth(demo, procedure)


def _pdf_text(slip) -> str:
    from dossiers.slips import render

    render(slip.pk)
    slip.refresh_from_db()
    return subprocess.run(["pdftotext", "-layout", slip.file.path, "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def procedure(demo):
    procedure = make_procedure(agencies=[demo.agencies["01840"]], days=3, code="9.000100",
                               name="Thủ tục liên thông thử nghiệm")
    _two_agency_process(demo, procedure)
    return procedure


def test_intake_to_result_across_two_agencies_with_a_supplement_and_a_late_result(demo, procedure, settings):
    # Hour-precise appointments (a province's choice, workdays.periods): every moment below is exact.
    settings.EGOV_PERIOD_END = "exact"
    users = demo.users
    dossier = _submitted(demo, procedure, at(19, 9))

    with time_machine.travel(at(19, 10), tick=False):
        dossier = workflow.accept(dossier=dossier, acting_user=users["motcua.ducxuan"])
    # 3 working days from Thursday 10:00: Fri, Mon, (Tue 24/11 is Vietnam Culture Day), Wed.
    assert dossier.received_at == at(19, 10) and dossier.due_at == at(25, 10)
    first = dossier.current_step
    assert first.due_at == at(20, 10)  # 7.5 working hours: Thu 10:00–17:00 less lunch, Fri 07:30–10:00
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    text = _pdf_text(receipt)
    assert dossier.code in text and "10 giờ 00 phút, ngày 25 tháng 11 năm 2026" in text

    with pytest.raises(TransitionRefused):  # not in the hands of another agency's specialist
        workflow.forward(dossier=dossier, acting_user=users["chuyenvien.stp"])
    with time_machine.travel(at(20, 9), tick=False):
        dossier = workflow.forward(dossier=dossier, acting_user=users["tuphap.ducxuan"], note="Hồ sơ hợp lệ")
    second = dossier.current_step
    assert dossier.current_agency == demo.agencies["STP"]
    assert second.due_at == at(23, 9)  # Fri 09:00 + 7.5 working hours = Mon 09:00

    with time_machine.travel(at(23, 8), tick=False):
        dossier = workflow.request_supplement(dossier=dossier, acting_user=users["chuyenvien.stp"],
                                              missing=["Bản sao giấy chứng sinh có chứng thực"])
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.clock_stopped_at == at(23, 8)
    assert "Bản sao giấy chứng sinh có chứng thực" in _pdf_text(dossier.slips.get(form=Slip.Form.SUPPLEMENT))

    papers = list(procedure.current.papers.all())
    with time_machine.travel(at(25, 14), tick=False):
        dossier = services.answer_supplement(dossier=dossier, applicant=users["congdan@example.vn"],
                                             uploads={papers[1].pk: png_file("ban-sao.png")})
    # The clock stood still for 11.5 working hours (Mon 08:00–17:00, Tue off, Wed 07:30–14:00).
    assert dossier.status == Status.IN_PROGRESS and dossier.clock_stopped_at is None
    assert dossier.due_at == at(26, 16)
    second.refresh_from_db()
    assert second.due_at == at(25, 15)

    with time_machine.travel(at(26, 9), tick=False):
        result = sweeps.sweep()
    assert result["apologies"] == 1
    apology = dossier.slips.get(form=Slip.Form.APOLOGY)
    assert apology.content["new_due_at"] == at(27, 16).isoformat()  # + the last step's 7.5 hours
    with pytest.raises(TransitionRefused):
        workflow.approve_apology(slip=apology, acting_user=users["giamdoc.sxd"])  # not the receiving agency
    with time_machine.travel(at(26, 10), tick=False):
        workflow.approve_apology(slip=apology, acting_user=users["chutich.ducxuan"])
    text = _pdf_text(apology)
    assert "16 giờ 00 phút, ngày 27 tháng 11 năm 2026" in text and "XIN LỖI" in text
    with time_machine.travel(at(26, 11), tick=False):
        assert sweeps.sweep()["apologies"] == 0  # only once

    with time_machine.travel(at(27, 9), tick=False):
        dossier = workflow.forward(dossier=dossier, acting_user=users["chuyenvien.stp"])
    third = dossier.current_step
    assert third.due_at == dossier.due_at == at(26, 16)  # a step never runs past the dossier's due
    with pytest.raises(TransitionRefused):
        workflow.approve(dossier=dossier, acting_user=users["chutich.ducxuan"])  # not the step's agency
    with time_machine.travel(at(27, 10), tick=False):
        dossier = workflow.approve(dossier=dossier, acting_user=users["giamdoc.stp"])
    assert dossier.status == Status.RESULT_READY and dossier.outcome == Outcome.LATE
    with time_machine.travel(at(27, 11), tick=False):
        dossier = workflow.return_result(dossier=dossier, acting_user=users["motcua.ducxuan"], at_counter=True)
    assert dossier.status == Status.COMPLETED and dossier.finished_at == at(27, 11)

    lines = list(dossier.steps.order_by("received_at", "id"))
    assert [(line.order, line.timeliness) for line in lines] == [(1, "on_time"), (2, "late"), (3, "late")]
    from dossiers.slips import control_slip

    control = control_slip(dossier, users["motcua.ducxuan"])
    text = _pdf_text(control)
    assert text.count("Đúng hạn") >= 1 and text.count("Quá hạn") >= 2
    assert "Sở Tư pháp" in text and "Phòng Hành chính tư pháp" in text


def test_a_dossier_settled_before_its_due_day_is_early(demo, procedure):
    users = demo.users
    dossier = _submitted(demo, procedure, at(30, 7))
    with time_machine.travel(at(30, 8), tick=False):
        dossier = workflow.accept(dossier=dossier, acting_user=users["motcua.ducxuan"])
    # Mon 30/11 not counted; Tue 1, Wed 2, Thu 3: the period ends at the close of Thu 3/12.
    assert dossier.due_at == dt.datetime(2026, 12, 3, 17, 0, tzinfo=VN)
    with time_machine.travel(at(30, 9), tick=False):
        dossier = workflow.forward(dossier=dossier, acting_user=users["tuphap.ducxuan"])
        dossier = workflow.forward(dossier=dossier, acting_user=users["chuyenvien.stp"])
        dossier = workflow.approve(dossier=dossier, acting_user=users["giamdoc.stp"])
    assert dossier.outcome == Outcome.EARLY
    assert list(dossier.steps.values_list("timeliness", flat=True)) == ["early", "early", "early"]


def test_received_after_office_hours_counts_from_the_next_opening(demo, procedure):
    dossier = _submitted(demo, procedure, at(27, 16))
    with time_machine.travel(at(27, 17, 30), tick=False):  # Friday evening
        dossier = workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"])
    # Counts from Monday 07:30, Monday not counted; three working days: ends at the close of Thursday.
    assert dossier.due_at == dt.datetime(2026, 12, 3, 17, 0, tzinfo=VN)


def test_refusal_at_intake_and_after_proposal(demo, procedure):
    users = demo.users
    first = _submitted(demo, procedure, at(19, 9))
    with pytest.raises(ValidationError, match="lý do|reasons"):
        workflow.refuse_at_intake(dossier=first, acting_user=users["motcua.ducxuan"], reasons=" ")
    first = workflow.refuse_at_intake(dossier=first, acting_user=users["motcua.ducxuan"],
                                      reasons="Thủ tục không thuộc thẩm quyền giải quyết")
    assert first.status == Status.REFUSED and first.outcome == Outcome.REFUSED
    assert "không thuộc thẩm quyền" in _pdf_text(first.slips.get(form=Slip.Form.REFUSAL))

    second = _submitted(demo, procedure, at(19, 9))
    second = workflow.accept(dossier=second, acting_user=users["motcua.ducxuan"])
    second = workflow.propose_refusal(dossier=second, acting_user=users["tuphap.ducxuan"], reasons="Giả mạo giấy tờ")
    assert second.current_step.role == "agency_leader"
    with pytest.raises(TransitionRefused):
        workflow.refuse(dossier=second, acting_user=users["chuyenvien.stp"], reasons="x")
    second = workflow.refuse(dossier=second, acting_user=users["giamdoc.stp"], reasons="Giả mạo giấy tờ")
    assert second.status == Status.REFUSED and second.outcome == Outcome.REFUSED


def test_a_pause_with_a_legal_reason_stops_the_clock(demo, procedure):
    users = demo.users
    dossier = _submitted(demo, procedure, at(19, 9))
    with time_machine.travel(at(19, 10), tick=False):
        dossier = workflow.accept(dossier=dossier, acting_user=users["motcua.ducxuan"])
    with time_machine.travel(at(20, 8), tick=False):
        dossier = workflow.pause(dossier=dossier, acting_user=users["tuphap.ducxuan"],
                                 reason="Chờ kết quả xác minh của cơ quan công an")
    with time_machine.travel(at(20, 9), tick=False):
        dossier = workflow.resume(dossier=dossier, acting_user=users["tuphap.ducxuan"])
    # Due at the close of Wed 25 (Fri 20, Mon 23, Tue 24 off, Wed 25). One working hour stopped:
    # Wed 17:00 + 1 h = Thu 26 08:30, and a period in days ends at the close of that day.
    assert dossier.due_at == at(26, 17)
    assert dossier.current_step.due_at == at(20, 11)  # steps are hour-precise


def test_unit_head_assigns_and_reassigns_with_a_recorded_hand_over(demo):
    users = demo.users
    procedure = make_procedure(agencies=[demo.agencies["STP"]], days=5, code="9.000200")
    dossier = _submitted_to(demo, procedure, demo.agencies["STP"])
    dossier = workflow.accept(dossier=dossier, acting_user=users["motcua.stp"],
                              unit=demo.units[("STP", "Phòng Hành chính tư pháp")])
    with pytest.raises(TransitionRefused):
        workflow.assign(dossier=dossier, acting_user=users["chuyenvien.stp"], assignee=users["chuyenvien.stp"])
    with pytest.raises(ValidationError):  # a specialist of another unit does not hold the step
        workflow.assign(dossier=dossier, acting_user=users["giamdoc.stp"], assignee=users["chuyenvien2.stp"])
    dossier = workflow.assign(dossier=dossier, acting_user=users["truongphong.stp"], assignee=users["chuyenvien.stp"],
                              note="Đồng chí Sơn xử lý")
    assert dossier.assignee == users["chuyenvien.stp"]
    dossier = workflow.assign(dossier=dossier, acting_user=users["giamdoc.stp"], assignee=users["chuyenvien.stp"],
                              note="Giao lại")
    lines = list(dossier.steps.order_by("id"))
    assert [line.action for line in lines] == ["reassign", ""]
    assert lines[0].handed_by == users["giamdoc.stp"] and lines[0].note.endswith("Giao lại")


def _submitted_to(demo, procedure, agency):
    citizen = demo.users["congdan@example.vn"]
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=agency)
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
    papers = list(procedure.current.papers.all())
    services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    return services.submit(dossier=draft, applicant=citizen)


def test_process_steps_cannot_exceed_the_legal_time_limit(demo, procedure):
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"], number=2)
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", role="specialist",
                               hours=Decimal("20"), actions=["forward"])
    ProcessStep.objects.create(definition=definition, order=2, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("3"), actions=["approve"])
    with pytest.raises(ValidationError, match="22.5"):
        publish(definition=definition)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_two_officials_acting_at_once_cannot_both_succeed():
    from directory.demo import load_demo

    demo = load_demo()
    procedure = make_procedure(agencies=[demo.agencies["01840"]], days=3, code="9.000300")
    dossier = submit_birth(demo, procedure)
    seen = Dossier.objects.get(pk=dossier.pk).revision
    outcomes = []
    barrier = threading.Barrier(2)

    def act():
        try:
            barrier.wait()
            workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"], expected_revision=seen,
                            unit=demo.units[("01840", "Tư pháp - Hộ tịch")])
            outcomes.append("ok")
        except (StaleDossier, TransitionRefused) as error:
            outcomes.append(str(error))
        except Exception as error:  # anything else is a failure of the test, shown below
            outcomes.append(f"unexpected {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert not [o for o in outcomes if o.startswith("unexpected")], outcomes
    assert Dossier.objects.get(pk=dossier.pk).steps.count() == 1
