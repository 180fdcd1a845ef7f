"""The result document: prepared by the official in charge from the applicant's data, replaced
while unsigned, and left unsigned until the digital-signature subsystem plugs into the hook."""

import copy
import datetime as dt
import hashlib
import subprocess
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEntry
from dossiers import result_state, results, services, workflow
from dossiers.models import DossierFile, FilePurpose
from dossiers.services import TransitionRefused
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import make_procedure, submit_birth

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN)


def pdf_text(record: DossierFile) -> str:
    raw = subprocess.run(["pdftotext", "-layout", record.file.path, "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(raw.split())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files made by these tests go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def procedure(demo):
    procedure = make_procedure(agencies=[demo.agencies["01840"]], days=3, code="9.000300")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định, dự thảo kết quả",
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")], role="specialist",
                               hours=Decimal("15"), actions=["forward", "supplement"])
    ProcessStep.objects.create(definition=definition, order=2, name="Chủ tịch phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "return"])
    publish(definition=definition)
    return procedure


@pytest.fixture
def dossier(demo, procedure):
    """Accepted on Monday 2 November 2026 and handed to the commune's civil-status officer."""
    with time_machine.travel(at(2, 8), tick=False):
        submitted = submit_birth(demo, procedure)
    with time_machine.travel(at(2, 9), tick=False):
        return workflow.accept(dossier=submitted, acting_user=demo.users["motcua.ducxuan"],
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")])


def test_the_specialist_in_charge_prepares_the_result_from_the_applicants_data(demo, dossier):
    specialist = demo.users["tuphap.ducxuan"]
    with time_machine.travel(at(3, 10), tick=False):
        record = results.prepare_result(dossier=dossier, acting_user=specialist)
    assert record.purpose == FilePurpose.RESULT and not record.replaced
    assert record.content_type == "application/pdf" and record.extension == "pdf"
    assert record.original_name == f"ket-qua-{dossier.code}.pdf"
    assert record.uploaded_by == specialist and record.uploaded_at == at(3, 10)
    with record.file.open("rb") as stored:
        body = stored.read()
    assert body.startswith(b"%PDF-") and record.size == len(body)
    assert record.sha256 == hashlib.sha256(body).hexdigest()
    assert results.result_for(dossier) == record

    text = pdf_text(record)
    assert "GIẤY KHAI SINH" in text  # the procedure's result type is the title
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    # The governing authority's name wraps before its place, never inside it ("ỦY BAN NHÂN DÂN" / "TỈNH THÁI NGUYÊN").
    assert "ỦY BAN NHÂN DÂN" in text and "TỈNH THÁI NGUYÊN" in text
    assert "Số: ……/……" in text and "Thái Nguyên, ngày … tháng … năm …" in text  # filled in at issuance
    assert "Ông/Bà: Nguyễn Thị Hồng" in text and dossier.code in text
    # The e-form's values as labelled lines with the form's own (Vietnamese) titles.
    assert "Họ, chữ đệm, tên của trẻ: Nguyễn Minh An" in text
    assert "Ngày, tháng, năm sinh: 20/11/2026" in text
    assert "Giới tính: Nữ" in text and "Số bản sao: 2" in text
    assert "Căn cứ Luật Hộ tịch 2014" in text
    # The signer's authority is printed over this placeholder when they sign (tests/test_signing_authority.py).
    assert "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ" in text and "THỦ TRƯỞNG" not in text
    # Filed like every dossier file: in the audit trail.
    assert AuditEntry.objects.filter(object_type="dossiers.dossierfile", object_id=str(record.pk)).exists()


def test_only_the_official_in_charge_of_the_step_may_prepare_the_result(demo, dossier):
    for someone in ("motcua.ducxuan", "chutich.ducxuan", "chuyenvien.stp", "congdan@example.vn"):
        with pytest.raises(TransitionRefused):
            results.prepare_result(dossier=dossier, acting_user=demo.users[someone])
    assert results.result_for(dossier) is None
    dossier = workflow.forward(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    with pytest.raises(TransitionRefused):  # the dossier has moved on to the chairman
        results.prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    assert results.prepare_result(dossier=dossier, acting_user=demo.users["chutich.ducxuan"]).pk


def test_no_result_before_intake_or_after_approval(demo, dossier, procedure):
    citizen = demo.users["congdan@example.vn"]
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies["01840"])
    with pytest.raises(TransitionRefused):
        results.prepare_result(dossier=draft, acting_user=demo.users["tuphap.ducxuan"])
    dossier = workflow.forward(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    dossier = workflow.approve(dossier=dossier, acting_user=demo.users["chutich.ducxuan"])
    with pytest.raises(TransitionRefused):
        results.prepare_result(dossier=dossier, acting_user=demo.users["chutich.ducxuan"])


def test_preparing_again_replaces_the_unsigned_result(demo, dossier):
    specialist = demo.users["tuphap.ducxuan"]
    first = results.prepare_result(dossier=dossier, acting_user=specialist)
    second = results.prepare_result(dossier=dossier, acting_user=specialist)
    first.refresh_from_db()
    assert first.replaced and not second.replaced
    assert results.result_for(dossier) == second
    assert DossierFile.objects.filter(dossier=dossier, purpose=FilePurpose.RESULT, replaced=False).count() == 1


def test_signing_needs_a_fresh_confirmation_and_leaves_nothing_half_done(demo, dossier):
    from django.core.exceptions import PermissionDenied

    from signing.services import Confirmation

    leader = demo.users["chutich.ducxuan"]
    record = results.prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    dossier = workflow.forward(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    dossier = workflow.approve(dossier=dossier, acting_user=leader)
    assert results.SIGNING_HOOK is results.sign_result
    stale = Confirmation(user_id=leader.pk, token="forged", expires_at=timezone.now() + dt.timedelta(minutes=5))
    with pytest.raises(PermissionDenied):
        results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=stale)
    with pytest.raises(PermissionDenied):  # the signing subsystem checks it too
        results.SIGNING_HOOK(b"%PDF-1.7", leader, stale)
    record.refresh_from_db()
    with record.file.open("rb") as stored:
        body = stored.read()
    assert hashlib.sha256(body).hexdigest() == record.sha256  # the PDF is untouched
    assert b"/ByteRange" not in body  # no signature, real or imitated
    assert results.is_signed(record) is False and not record.replaced
    assert results.result_for(dossier) == record


def test_a_signed_result_is_not_replaced(demo, dossier, monkeypatch):
    record = results.prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    monkeypatch.setattr(result_state, "is_signed", lambda result_file: result_file.pk == record.pk)
    with pytest.raises(TransitionRefused):
        results.prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    assert results.result_for(dossier) == record


def test_a_procedure_with_its_own_template_uses_it(demo, dossier, tmp_path, settings):
    own = tmp_path / "dossiers" / "results" / "9.000300.html"
    own.parent.mkdir(parents=True)
    own.write_text('{% extends "dossiers/results/base.html" %}{% block body %}'
                   "<p>Họ và tên trẻ: {{ values.child_name }}</p><p>Giới tính: {{ values.sex }}</p>"
                   "{% endblock %}", encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [str(tmp_path)]
    with override_settings(TEMPLATES=templates):
        record = results.prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    text = pdf_text(record)
    assert "Họ và tên trẻ: Nguyễn Minh An" in text and "GIẤY KHAI SINH" in text
    assert "Họ, chữ đệm, tên của trẻ" not in text  # not the generic layout


def test_form_values_are_written_the_vietnamese_way():
    schema = {"properties": {
        "day": {"type": "string", "format": "date", "title": "Ngày"},
        "area": {"type": "number", "title": "Diện tích (m²)"},
        "owner": {"type": "boolean", "title": "Là chủ sở hữu"},
        "empty": {"type": "string", "title": "Không điền"}}}
    lines = results.form_lines(schema, {"day": "2026-01-05", "area": "120.50", "owner": True, "empty": ""})
    assert [(line["label"], line["value"]) for line in lines] == [
        ("Ngày", "05/01/2026"), ("Diện tích (m²)", "120,5"), ("Là chủ sở hữu", "Có")]
