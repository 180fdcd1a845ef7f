"""A one-stop dossier with a step at an agency on another system: it travels as a signed package
with its data and papers; the answer joins the dossier and moves it on; a refusal sends it back;
an answer received twice is applied once; nobody registers it as an ordinary incoming document."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from documents.models import Document
from dossiers import elsewhere, workflow
from exchange import delivery, edxml, receiving, statuses
from exchange.edxml import Attachment, DocumentPackage, Organ, ResponseFor, StatusPackage
from exchange.models import Direction, Package, State
from outbox.models import OutboxMessage
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.dossier_scenarios import DESK, SPECIALIST, UNIT, submitted
from tests.factories import make_procedure, pdf_file

pytestmark = pytest.mark.django_db

JUSTICE = "000.00.03.H55"  # Sở Tư pháp, on its own system here (its seal is in the test PKI)


@pytest.fixture
def at_justice(demo, registered):
    """Đức Xuân's process asks Sở Tư pháp at step 2; the dossier is handed to it."""
    justice = demo.agencies["STP"]
    justice.on_other_system = True
    justice.save()
    procedure = make_procedure(agencies=[demo.agencies["01840"]], days=5, code="9.000702")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", unit=demo.units[UNIT],
                               role="specialist", hours=Decimal("8"), actions=["forward"])
    ProcessStep.objects.create(definition=definition, order=2, name="Xác minh tại Sở Tư pháp", agency=justice,
                               role="specialist", hours=Decimal("16"), actions=["forward", "return"])
    ProcessStep.objects.create(definition=definition, order=3, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("4"), actions=["approve", "refuse", "return"])
    publish(definition=definition)
    dossier = workflow.accept(dossier=submitted(demo, procedure), acting_user=demo.users[DESK],
                              unit=demo.units[UNIT])
    return workflow.forward(dossier=dossier, acting_user=demo.users[SPECIALIST])


def _sent(dossier) -> Package:
    return Package.objects.get(direction=Direction.OUT, dossier=dossier)


def test_the_dossier_travels_sealed_with_its_data_and_papers(at_justice):
    package = _sent(at_justice)
    assert package.state == State.QUEUED and package.to_codes == [JUSTICE]
    assert OutboxMessage.objects.filter(task="exchange.deliver", args=[package.pk]).exists()
    data = delivery.sealed(package)  # sealed by the settling agency when it is delivered
    edxml.verify(data)
    parsed = edxml.parse(data)
    assert parsed.document_id == package.exchange_id and parsed.code_number == at_justice.code
    assert at_justice.code in parsed.subject and "Xác minh tại Sở Tư pháp" in parsed.subject
    names = [attachment.name for attachment in parsed.attachments]
    assert names[0] == f"ho-so-{at_justice.code}.json" and len(names) == 3  # the data and the two papers
    carried = json.loads(parsed.attachments[0].content)
    assert carried["code"] == at_justice.code and carried["form"] == at_justice.form_data


def _answer(demo, sent: Package, *, package_id="answer-1") -> bytes:
    content = DocumentPackage(
        package_id=package_id, document_id=f"{JUSTICE},{timezone.localdate():%Y-%m-%d},21/STP-HCTP",
        sender=Organ(JUSTICE, "Sở Tư pháp"), recipients=[Organ(sent.from_code, "UBND phường Đức Xuân")],
        code_number="21", code_notation="STP-HCTP", place="Thái Nguyên", promulgation_date=timezone.localdate(),
        document_type=2, type_name="Công văn", subject="Kết quả xác minh hồ sơ",
        response_for=ResponseFor(sent.from_code, sent.exchange_id.split(",", 2)[2], timezone.localdate(),
                                 sent.exchange_id),
        attachments=[Attachment("21-STP-HCTP.pdf", pdf_file().read())])
    return edxml.sign(edxml.build(content), agency=demo.agencies["STP"])


def test_the_answer_joins_the_dossier_and_moves_it_on_once(demo, at_justice):
    sent = _sent(at_justice)
    data = _answer(demo, sent)
    row = receiving.receive(data, axis_id="a1")
    assert row.state == State.RECEIVED and row.dossier_id == at_justice.pk
    at_justice.refresh_from_db()
    assert at_justice.current_step.name == "Phê duyệt"
    assert [f.original_name for f in elsewhere.answers(at_justice)] == ["21-STP-HCTP.pdf"]
    assert "21/STP-HCTP" in at_justice.steps.get(name="Xác minh tại Sở Tư pháp").note
    # Not an ordinary incoming document of the commune's register.
    assert not Document.objects.filter(exchange_id__startswith=JUSTICE).exists()
    # The same bytes again: kept once, applied once.
    again = receiving.receive(data, axis_id="a1")
    assert again.pk == row.pk
    at_justice.refresh_from_db()
    assert at_justice.current_step.name == "Phê duyệt" and elsewhere.answers(at_justice).count() == 1


def test_a_second_answer_under_another_package_id_is_kept_but_not_applied(demo, at_justice):
    sent = _sent(at_justice)
    receiving.receive(_answer(demo, sent))
    late = receiving.receive(_answer(demo, sent, package_id="answer-2"))
    assert late.state == State.REFUSED and at_justice.code in late.error
    at_justice.refresh_from_db()
    assert elsewhere.answers(at_justice).count() == 1


def test_a_refusal_sends_the_dossier_back_to_the_step_before(demo, at_justice):
    sent = _sent(at_justice)
    status = StatusPackage(
        package_id="status-02", sender=Organ(JUSTICE, "Sở Tư pháp"), recipient=Organ(sent.from_code),
        response_for=ResponseFor(sent.from_code, at_justice.code, timezone.localdate(), sent.exchange_id),
        code=statuses.REFUSED, at=timezone.now() - dt.timedelta(minutes=1), description="Không thuộc thẩm quyền.")
    receiving.receive(edxml.sign(edxml.build(status), agency=demo.agencies["STP"]))
    at_justice.refresh_from_db()
    assert at_justice.current_step.name == "Thẩm định"
    assert "Không thuộc thẩm quyền." in at_justice.steps.get(name="Xác minh tại Sở Tư pháp").note


def test_without_a_seal_the_dossier_waits_and_the_clerks_are_told(demo, registered):
    """The hand-over itself never fails for want of a seal: the package is sealed at delivery, where
    a missing certificate makes it a dead letter the clerks see (and retry once it is fixed)."""
    from signing.models import Certificate

    justice = demo.agencies["STP"]
    justice.on_other_system = True
    justice.save()
    Certificate.objects.filter(agency=demo.agencies["01840"]).update(status="revoked")
    procedure = make_procedure(agencies=[demo.agencies["01840"]], days=5, code="9.000703")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", unit=demo.units[UNIT],
                               role="specialist", hours=Decimal("8"), actions=["forward"])
    ProcessStep.objects.create(definition=definition, order=2, name="Xác minh", agency=justice, role="specialist",
                               hours=Decimal("16"), actions=["forward"])
    ProcessStep.objects.create(definition=definition, order=3, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("4"), actions=["approve"])
    publish(definition=definition)
    dossier = workflow.accept(dossier=submitted(demo, procedure), acting_user=demo.users[DESK], unit=demo.units[UNIT])
    dossier = workflow.forward(dossier=dossier, acting_user=demo.users[SPECIALIST])
    package = _sent(dossier)
    assert delivery.deliver(package.pk) == "not signed"
    package.refresh_from_db()
    assert package.state == State.DEAD and package.error
    told = OutboxMessage.objects.get(task="notifications.notify_officials", kwargs__key__startswith="exchange-dead")
    assert told.kwargs["agency_id"] == demo.agencies["01840"].pk and told.kwargs["role"] == "clerk"
    assert JUSTICE in told.kwargs["title"]
