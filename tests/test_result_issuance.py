"""The back office's result step with real signatures: the leader signs the approved result, the
clerk issues it with its number and the agency's seal (both signatures stay valid), the desk
returns it electronically and the applicant downloads it; pdfsig checks the file independently."""

import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_totp.models import TOTPDevice

from dossiers import results, workflow
from dossiers.states import Status
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import make_procedure, submit_birth
from tests.test_signing import assert_pdfsig_valid, confirm

pytestmark = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")


@pytest.fixture
def approved(registered, demo):
    procedure = make_procedure(agencies=[demo.agencies["01840"]], days=3, code="9.000500")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", role="specialist",
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")], hours=Decimal("7.5"),
                               actions=["forward", "supplement"])
    ProcessStep.objects.create(definition=definition, order=2, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "return", "refuse"])
    publish(definition=definition)
    dossier = workflow.accept(dossier=submit_birth(demo, procedure), acting_user=demo.users["motcua.ducxuan"])
    results.prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    dossier = workflow.forward(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    return workflow.approve(dossier=dossier, acting_user=demo.users["chutich.ducxuan"])


def test_sign_issue_and_return_the_result(approved, demo, test_pki, tmp_path, sign_in):
    leader, clerk, desk = demo.users["chutich.ducxuan"], demo.users["vanthu.ducxuan"], demo.users["motcua.ducxuan"]
    TOTPDevice.objects.get_or_create(user=clerk, confirmed=True, defaults={"name": "Văn thư"})
    with pytest.raises(PermissionDenied):  # not returned before it is signed and issued
        workflow.return_result(dossier=approved, acting_user=desk)
    with pytest.raises(PermissionDenied):  # a clerk cannot issue an unsigned result
        results.issue_result(dossier=approved, acting_user=clerk, confirmation=confirm(clerk))
    with pytest.raises(PermissionDenied):  # another agency's leader cannot sign it
        results.sign_current_result(dossier=approved, acting_user=demo.users["giamdoc.stp"],
                                    confirmation=confirm(demo.users["giamdoc.stp"]))

    signed = results.sign_current_result(dossier=approved, acting_user=leader, confirmation=confirm(leader))
    assert results.is_signed(signed)
    issued = results.issue_result(dossier=approved, acting_user=clerk, confirmation=confirm(clerk, drift=1))
    assert results.is_issued(issued) and issued.issue_number == "01/UBND"
    pdf = issued.file.open("rb").read()
    assert_pdfsig_valid(pdf, test_pki[1], tmp_path, count=2)
    from signing.verification import verify_pdf

    report = verify_pdf(pdf)
    assert len(report.signatures) == 2 and all(s.intact for s in report.signatures)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "01/UBND" in text

    dossier = workflow.return_result(dossier=approved, acting_user=desk)
    assert dossier.status == Status.COMPLETED
    citizen = sign_in("congdan@example.vn")
    page = citizen.get(f"/dossiers/my/{dossier.pk}/").content.decode()
    assert f"/dossiers/files/{issued.pk}/" in page
    response = citizen.get(f"/dossiers/files/{issued.pk}/")
    assert b"".join(response.streaming_content) == pdf
