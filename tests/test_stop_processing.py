"""Dừng giải quyết hồ sơ: the notice that processing stops (Mẫu 05 of Circular 03/2025/TT-VPCP), a new
way for a dossier to end under Decree 118/2025/NĐ-CP."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from dossiers import policy, workflow
from dossiers.errors import TransitionRefused
from dossiers.models import Outcome, Slip
from dossiers.states import Status
from tests.factories import make_procedure
from tests.test_slips import pdf_text
from tests.test_time_limits_in_force import _one_step
from tests.test_workflow import VN, _submitted


@pytest.fixture
def procedure(demo):
    return _one_step(demo, make_procedure(agencies=[demo.agencies["01840"]], code="9.000951", days=3))


def _waiting_for_supplement(demo, procedure, when):
    dossier = _submitted(demo, procedure, when)
    with time_machine.travel(when + dt.timedelta(hours=1), tick=False):
        dossier = workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"])
        return workflow.request_supplement(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"],
                                           missing=["Bản sao giấy chứng sinh"])


def test_the_leader_stops_a_dossier_whose_applicant_did_not_supplement(demo, procedure):
    dossier = _waiting_for_supplement(demo, procedure, dt.datetime(2026, 12, 1, 8, tzinfo=VN))
    for someone in ("motcua.ducxuan", "tuphap.ducxuan", "giamdoc.stp", "chutich.tinh"):
        assert "stop_processing" not in policy.available_actions(demo.users[someone], dossier), someone
        with pytest.raises(TransitionRefused):
            workflow.stop_processing(dossier=dossier, acting_user=demo.users[someone], reason="x")
    leader = demo.users["chutich.ducxuan"]
    assert "stop_processing" in policy.available_actions(leader, dossier)
    with pytest.raises(ValidationError):
        workflow.stop_processing(dossier=dossier, acting_user=leader, reason=" ")
    dossier = workflow.stop_processing(dossier=dossier, acting_user=leader,
                                       reason="Quá thời hạn bổ sung mà người nộp không bổ sung hồ sơ.")
    assert dossier.status == Status.STOPPED and dossier.outcome == Outcome.STOPPED and dossier.finished_at
    assert policy.available_actions(leader, dossier) == frozenset()
    text = pdf_text(dossier.slips.get(form=Slip.Form.STOP))
    assert "Mẫu số 05 (Thông tư số 03/2025/TT-VPCP)" in text and "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Quá thời hạn bổ sung mà người nộp không bổ sung hồ sơ." in text and dossier.code in text
    assert "CHỦ TỊCH" in text and "Phùng Văn Minh" in text
    assert dossier.events.last().applicant_note.startswith("Quá thời hạn bổ sung")  # the applicant is told why


def test_a_dossier_not_yet_received_cannot_be_stopped(demo, procedure):
    dossier = _submitted(demo, procedure, dt.datetime(2026, 12, 1, 8, tzinfo=VN))
    assert not policy.decide(demo.users["chutich.ducxuan"], dossier, "stop_processing")


def test_a_dossier_under_decree_61_2018_has_no_stop_notice(demo, procedure):
    dossier = _waiting_for_supplement(demo, procedure, dt.datetime(2025, 6, 30, 8, tzinfo=VN))
    assert dossier.form_set.code == "tt01-2018"
    with translation.override("en"):
        decision = policy.decide(demo.users["chutich.ducxuan"], dossier, "stop_processing")
    assert not decision and decision.reason == "The legal basis of this dossier has no notice that processing stops."
