"""A step settled by an agency on another system (dossiers.elsewhere): nobody here holds it, its
answer moves the dossier on, a refusal sends it back, an answer that comes twice changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dossiers import elsewhere, policy, signals, workflow
from dossiers.models import FilePurpose
from outbox.models import OutboxMessage
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.dossier_scenarios import DESK, LEADER, SPECIALIST, UNIT, submitted
from tests.factories import make_procedure, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote(demo):
    """Sở Xây dựng works in its own software; the commune's process asks its opinion at step 2."""
    agency = demo.agencies["SXD"]
    agency.on_other_system = True
    agency.save()
    procedure = make_procedure(agencies=[demo.agencies["01840"]], days=5, code="9.000701")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", unit=demo.units[UNIT],
                               role="specialist", hours=Decimal("8"), actions=["forward"])
    ProcessStep.objects.create(definition=definition, order=2, name="Lấy ý kiến Sở Xây dựng", agency=agency,
                               role="specialist", hours=Decimal("16"), actions=["forward", "return"])
    ProcessStep.objects.create(definition=definition, order=3, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("4"), actions=["approve", "refuse", "return"])
    publish(definition=definition)
    return procedure


def _at_remote_step(demo, procedure, opened):
    dossier = workflow.accept(dossier=submitted(demo, procedure), acting_user=demo.users[DESK],
                              unit=demo.units[UNIT])
    return workflow.forward(dossier=dossier, acting_user=demo.users[SPECIALIST])


@pytest.fixture
def opened():
    lines = []

    def receiver(sender, dossier, line, **_kw):
        lines.append(line)

    signals.step_opened.connect(receiver, weak=False, dispatch_uid="test-elsewhere")
    yield lines
    signals.step_opened.disconnect(dispatch_uid="test-elsewhere")


def test_the_step_at_another_system_is_held_by_nobody_here(demo, remote, opened):
    dossier = _at_remote_step(demo, remote, opened)
    assert [line.agency.code for line in opened][-1] == demo.agencies["SXD"].code
    assert elsewhere.waiting_elsewhere(dossier)
    # Sở Xây dựng's officials in this directory cannot act for the other system, nor can the
    # commune's; its chairman may still stop the processing (the settling agency's right).
    for username in ("giamdoc.sxd", "truongphong.sxd", "chuyenvien.sxd", SPECIALIST):
        assert policy.available_actions(demo.users[username], dossier) == frozenset(), username
    assert policy.available_actions(demo.users[LEADER], dossier) == frozenset({"stop_processing"})
    actor = policy.next_actor(dossier)
    assert actor.role == "exchange" and actor.agency == demo.agencies["SXD"]
    assert not OutboxMessage.objects.filter(task="notifications.notify_officials",
                                            kwargs__agency_id=demo.agencies["SXD"].pk).exists()


def test_an_answer_moves_the_dossier_on_with_its_files(demo, remote, opened):
    dossier = _at_remote_step(demo, remote, opened)
    done = elsewhere.answered(dossier=dossier, accepted=True, agency_name="Sở Xây dựng", reference="12/SXD-QLXD",
                              note="Đồng ý.", files=[elsewhere.AnswerFile("y-kien.pdf", pdf_file().read())])
    assert done.current_step.name == "Phê duyệt"
    closed = done.steps.get(name="Lấy ý kiến Sở Xây dựng")
    assert closed.handed_at is not None and closed.handed_by is None
    assert "12/SXD-QLXD" in closed.note and "Đồng ý." in closed.note
    answer = elsewhere.answers(done).get()
    assert answer.purpose == FilePurpose.ANSWER and answer.original_name == "y-kien.pdf"
    assert answer.uploaded_by == demo.users[SPECIALIST]  # who sent the dossier there
    assert policy.decide(demo.users[LEADER], done, "approve")


def test_a_refusal_sends_it_back_to_the_step_before(demo, remote, opened):
    dossier = _at_remote_step(demo, remote, opened)
    back = elsewhere.answered(dossier=dossier, accepted=False, agency_name="Sở Xây dựng", reference="13/SXD",
                              note="Không thuộc thẩm quyền.")
    assert back.current_step.name == "Thẩm định"
    assert "Không thuộc thẩm quyền." in back.steps.get(name="Lấy ý kiến Sở Xây dựng").note
    assert policy.decide(demo.users[SPECIALIST], back, "forward")


def test_an_answer_that_comes_twice_changes_nothing(demo, remote, opened):
    dossier = _at_remote_step(demo, remote, opened)
    done = elsewhere.answered(dossier=dossier, accepted=True, agency_name="Sở Xây dựng", reference="12/SXD")
    revision = done.revision
    with pytest.raises(ValidationError):
        elsewhere.answered(dossier=done, accepted=True, agency_name="Sở Xây dựng", reference="12/SXD",
                           files=[elsewhere.AnswerFile("y-kien.pdf", pdf_file().read())])
    done.refresh_from_db()
    assert done.revision == revision and not elsewhere.answers(done).exists()
