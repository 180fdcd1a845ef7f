"""Signing and issuing a dossier's result (Decree 30/2020/NĐ-CP art. 13, 15): who may, one door for
single and batch signing, no lock held while the signature is made, gap-free numbers, nothing
half-done when a signature fails or the signing service is unreachable."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.demo import DEMO_PASSWORD
from directory.models import Membership, Role
from dossiers import batch_signing, results, services, workflow
from dossiers.models import Dossier, DossierFile, FilePurpose, IssueSequence
from dossiers.services import StaleDossier
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from signing import pades, pki, revocation, setup, signers
from signing import services as signing
from signing.models import SignatureRecord, SigningKey
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file
from tests.test_signing import assert_pdfsig_valid, code, confirm

pytestmark = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")

DUCXUAN = {"agency": "01840", "unit": "Tư pháp - Hộ tịch", "desk": "motcua.ducxuan", "specialist": "tuphap.ducxuan",
           "leader": "chutich.ducxuan", "clerk": "vanthu.ducxuan"}
STP = {"agency": "STP", "unit": "Phòng Hành chính tư pháp", "desk": "motcua.stp", "specialist": "chuyenvien.stp",
       "leader": "giamdoc.stp", "clerk": "vanthu.stp"}
_codes = iter(range(700, 800))


def approved_at(demo, place: dict) -> Dossier:
    """A dossier of ``place``'s agency, its result prepared and approved by the leader."""
    agency, users = demo.agencies[place["agency"]], demo.users
    procedure = make_procedure(agencies=[agency], days=3, code=f"9.000{next(_codes)}")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=agency)
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", role="specialist",
                               unit=demo.units[(place["agency"], place["unit"])], hours=Decimal("7.5"),
                               actions=["forward", "supplement"])
    ProcessStep.objects.create(definition=definition, order=2, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "return", "refuse"])
    publish(definition=definition)
    citizen = users["congdan@example.vn"]
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=agency)
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
    papers = list(procedure.current.papers.all())
    services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    dossier = services.submit(dossier=draft, applicant=citizen)
    dossier = workflow.accept(dossier=dossier, acting_user=users[place["desk"]],
                              unit=demo.units[(place["agency"], place["unit"])])
    results.prepare_result(dossier=dossier, acting_user=users[place["specialist"]])
    dossier = workflow.forward(dossier=dossier, acting_user=users[place["specialist"]])
    return workflow.approve(dossier=dossier, acting_user=users[place["leader"]])


def signed_at(demo, place: dict) -> Dossier:
    dossier = approved_at(demo, place)
    leader = demo.users[place["leader"]]
    results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=confirmed(leader))
    return Dossier.objects.get(pk=dossier.pk)


_confirmations: dict = {}


@pytest.fixture(autouse=True)
def _one_confirmation_per_user():
    _confirmations.clear()
    yield
    _confirmations.clear()


def confirmed(user):
    """``user``'s confirmation (password and one-time code) for this test, made once and reused
    while valid, as a batch does: a one-time code cannot be typed twice in one 30-second step."""
    if user.pk not in _confirmations:
        _confirmations[user.pk] = confirm(user)
    return _confirmations[user.pk]


def next_code(device) -> str:
    """The one-time code of the step after the last one the device accepted (sign-in used one)."""
    import time

    device.refresh_from_db()
    now = int(time.time() - device.t0) // device.step
    return code(device, drift=max(device.drift, device.last_t + 1 - now))


def with_totp(user) -> None:
    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Văn thư"})


def stored_files(settings) -> set[str]:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def counter(agency) -> int:
    return IssueSequence.objects.filter(agency=agency).values_list("last", flat=True).first() or 0


# --- who may sign and issue ------------------------------------------------------------------------

def test_a_clerk_issues_only_for_the_agency_where_they_are_the_clerk(registered, demo, settings):
    """Clerk of the Department of Justice and desk officer of Đức Xuân ward: the clerk role at one
    agency and the desk's reach at another do not add up to issuing for the ward."""
    clerk = demo.users["vanthu.stp"]
    with_totp(clerk)
    Membership.objects.create(official=clerk, agency=demo.agencies["01840"], roles=[Role.DESK_OFFICER],
                              unit=demo.units[("01840", "Bộ phận Một cửa")])
    ward, department = signed_at(demo, DUCXUAN), signed_at(demo, STP)

    with pytest.raises(PermissionDenied, match="Chỉ văn thư cơ quan ban hành phát hành kết quả"):
        results.issue_result(dossier=ward, acting_user=clerk, confirmation=confirmed(clerk))
    assert not results.is_issued(results.result_for(ward)) and counter(demo.agencies["01840"]) == 0
    issued = results.issue_result(dossier=department, acting_user=clerk, confirmation=confirmed(clerk))
    assert issued.issue_number == "01/STP"
    # The same answers for the dossier's page (dossiers.policy asks these).
    assert not results.may_issue(clerk, ward) and results.may_issue(demo.users["vanthu.ducxuan"], ward)
    assert not results.may_issue(clerk, department)  # issued once only


def test_the_competent_person_signs_for_their_own_agency_only(registered, demo):
    dossier = approved_at(demo, DUCXUAN)
    assert results.may_sign(demo.users["chutich.ducxuan"], dossier)
    for someone in ("giamdoc.stp", "vanthu.ducxuan", "motcua.ducxuan", "tuphap.ducxuan"):
        assert not results.may_sign(demo.users[someone], dossier), someone
    assert not results.may_issue(demo.users["vanthu.ducxuan"], dossier)  # not signed yet


# --- batch signing: the same door, checked when each result's turn comes ---------------------------

def test_a_batch_signs_each_result_through_the_single_door(registered, demo, nss_db, tmp_path):
    leader = demo.users["chutich.ducxuan"]
    first, second, third = (approved_at(demo, DUCXUAN) for _ in range(3))
    confirmation = confirmed(leader)
    with transaction.atomic():
        batch = batch_signing.batch_sign(result_files=[results.result_for(d) for d in (first, second, third)],
                                   signer=leader, confirmation=confirmation)
    # Before the batch runs: the first is handed over on paper at the counter (completed), the
    # second is signed from its own page.
    Dossier.objects.filter(pk=first.pk).update(status="completed", revision=F("revision") + 1)
    results.sign_current_result(dossier=second, acting_user=leader, confirmation=confirmation)

    batch_signing.run_batch(batch.pk, confirmation.token, confirmation.expires_at.isoformat())
    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.failed, batch.status) == (3, 1, 2, "done")
    assert batch.errors == {first.code: "Chỉ ký số kết quả đã được phê duyệt.",
                            second.code: "Kết quả đã được ký số."}
    assert not results.is_signed(results.result_for(first))
    assert SignatureRecord.objects.filter(dossier_file__dossier=second).count() == 1  # not twice
    signed = results.result_for(third)
    assert results.is_signed(signed) and SignatureRecord.objects.get(batch=batch).dossier_file == signed
    with signed.file.open("rb") as handle:
        pdf = handle.read()
    assert_pdfsig_valid(pdf, nss_db, tmp_path, 1)
    from signing.verification import verify_pdf

    assert verify_pdf(pdf).ok


def test_a_batch_checks_the_signers_authority_when_it_runs(registered, demo):
    leader = demo.users["chutich.ducxuan"]
    dossier = approved_at(demo, DUCXUAN)
    confirmation = confirmed(leader)
    with transaction.atomic():
        batch = batch_signing.batch_sign(result_files=[results.result_for(dossier)], signer=leader,
                                   confirmation=confirmation)
    # The chairman leaves office before the batch runs.
    Membership.objects.filter(official=leader).update(valid_to=dt.date.today() - dt.timedelta(days=1))
    batch_signing.run_batch(batch.pk, confirmation.token, confirmation.expires_at.isoformat())
    batch.refresh_from_db()
    assert (batch.done, batch.failed) == (0, 1)
    assert batch.errors == {dossier.code: "Chỉ lãnh đạo cơ quan ban hành ký số kết quả."}
    assert not results.is_signed(results.result_for(dossier))


# --- nothing half-done ---------------------------------------------------------------------------------

def test_a_failing_signature_leaves_no_file_and_takes_no_number(registered, demo, settings, monkeypatch):
    clerk = demo.users["vanthu.ducxuan"]
    with_totp(clerk)
    dossier = signed_at(demo, DUCXUAN)
    before, signed = stored_files(settings), results.result_for(dossier)

    def unplugged(*args, **kwargs):
        raise RuntimeError("token unplugged")

    with monkeypatch.context() as patch:
        patch.setattr(pades, "sign", unplugged)
        with pytest.raises(RuntimeError):
            results.issue_result(dossier=dossier, acting_user=clerk, confirmation=confirmed(clerk))
    assert stored_files(settings) == before and counter(demo.agencies["01840"]) == 0
    assert results.result_for(dossier) == signed

    # The audit trail fails after the sealed file was written: the file goes again, no number.
    real_record = signing.record

    def failing_record(*args, summary=None, **kwargs):
        if summary and summary.get("event") == "signed":
            raise RuntimeError("audit trail unavailable")
        return real_record(*args, summary=summary, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(signing, "record", failing_record)
        with pytest.raises(RuntimeError):
            results.issue_result(dossier=dossier, acting_user=clerk, confirmation=confirmed(clerk))
    assert stored_files(settings) == before and counter(demo.agencies["01840"]) == 0
    assert results.result_for(dossier) == signed

    issued = results.issue_result(dossier=dossier, acting_user=clerk, confirmation=confirmed(clerk))
    assert issued.issue_number == "01/UBND"  # the number nobody kept is the next one
    assert stored_files(settings) == before | {issued.file.name}


@pytest.fixture
def tsa_down(settings):
    """Call it to point the timestamp authority's URL at a port where nothing listens."""

    def down():
        settings.SIGNING_TSA_URL = f"http://127.0.0.1:{pki.free_port()}/egov/tsa/tsa"
        signers.timestamper.cache_clear()

    yield down
    signers.timestamper.cache_clear()


def test_an_unreachable_timestamp_authority_is_told_in_plain_words(registered, demo, sign_in, settings, tsa_down):
    dossier = approved_at(demo, DUCXUAN)
    unsigned, before = results.result_for(dossier), stored_files(settings)
    client = sign_in("chutich.ducxuan")
    device = TOTPDevice.objects.get(user=demo.users["chutich.ducxuan"], confirmed=True)
    tsa_down()
    response = client.post(f"/workspace/dossiers/{dossier.pk}/sign-result/", {
        "sign_result-revision": dossier.revision, "sign_result-password": DEMO_PASSWORD,
        "sign_result-otp_token": next_code(device)}, follow=True, HTTP_ACCEPT_LANGUAGE="vi")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không thể ký số lúc này" in page, page[:3000]
    assert results.result_for(dossier) == unsigned and not results.is_signed(unsigned)
    assert stored_files(settings) == before and not SignatureRecord.objects.exists()


def test_an_unreachable_service_at_issuance_takes_no_number(registered, demo, settings, tsa_down):
    clerk = demo.users["vanthu.ducxuan"]
    with_totp(clerk)
    dossier = signed_at(demo, DUCXUAN)
    before, signed = stored_files(settings), results.result_for(dossier)
    tsa_down()
    with pytest.raises(signing.SigningUnavailable):
        results.issue_result(dossier=dossier, acting_user=clerk, confirmation=confirmed(clerk))
    assert stored_files(settings) == before and counter(demo.agencies["01840"]) == 0
    assert results.result_for(dossier) == signed and not results.is_issued(signed)


def test_an_unreachable_certificate_status_responder_is_told_in_plain_words(registered, demo, settings,
                                                                           monkeypatch):
    """The OCSP and CRL addresses are written in the certificates: the fetches are sent to a port
    where nothing listens instead (pyHanko's own fetch code runs and fails as it would)."""
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import crl_client, ocsp_client

    closed = f"http://127.0.0.1:{pki.free_port()}/egov"
    real_ocsp, real_crl = ocsp_client._grab_ocsp, crl_client._grab_crl

    async def ocsp_to_closed_port(request, url, **kwargs):
        return await real_ocsp(request, f"{closed}/ocsp", **kwargs)

    async def crl_to_closed_port(url, **kwargs):
        return await real_crl(f"{closed}/crl", **kwargs)

    monkeypatch.setattr(ocsp_client, "_grab_ocsp", ocsp_to_closed_port)
    monkeypatch.setattr(crl_client, "_grab_crl", crl_to_closed_port)
    # Revocation data still valid from earlier signatures would be used without asking (decision 0054).
    revocation.cache.clear()
    leader = demo.users["chutich.ducxuan"]
    dossier = approved_at(demo, DUCXUAN)
    before = stored_files(settings)
    with pytest.raises(signing.SigningUnavailable) as refused:
        results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=confirmed(leader))
    assert "Không thể ký số lúc này" in " ".join(refused.value.messages)
    assert stored_files(settings) == before and not results.is_signed(results.result_for(dossier))


def test_a_missing_token_is_told_in_plain_words(registered, demo, settings):
    leader = demo.users["chutich.ducxuan"]
    dossier = approved_at(demo, DUCXUAN)
    SigningKey.objects.filter(certificate__holder=leader).update(token_label="the-token-that-is-not-plugged-in")
    before = stored_files(settings)
    with pytest.raises(signing.SigningUnavailable) as refused:
        results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=confirmed(leader))
    assert "Không thể ký số lúc này" in " ".join(refused.value.messages)
    assert stored_files(settings) == before and not results.is_signed(results.result_for(dossier))


# --- no lock held while the signature is made (PostgreSQL: real concurrent transactions) ------------

class BlockingSigner:
    """Wraps pades.sign: each signature waits until the test releases it."""

    def __init__(self, monkeypatch):
        self.real, self.started, self.release = pades.sign, threading.Event(), threading.Event()
        monkeypatch.setattr(pades, "sign", self)

    def __call__(self, *args, **kwargs):
        self.started.set()
        assert self.release.wait(60), "the test never released the signature"
        return self.real(*args, **kwargs)

    def run(self, door, **kwargs):
        """Start ``door`` in a thread (its own connection); return its outcome holder."""
        self.started.clear()
        self.release.clear()
        outcome: dict = {}

        def target():
            try:
                outcome["value"] = door(**kwargs)
            except Exception as error:  # reported by the test
                outcome["error"] = error
            finally:
                connection.close()

        outcome["thread"] = thread = threading.Thread(target=target)
        thread.start()
        assert self.started.wait(60), outcome.get("error")
        return outcome

    def finish(self, outcome):
        self.release.set()
        outcome["thread"].join(60)
        return outcome


def not_locked(dossier, agency=None) -> None:
    """Another transaction takes the rows at once (NOWAIT raises if someone holds them)."""
    with transaction.atomic():
        Dossier.objects.select_for_update(nowait=True).get(pk=dossier.pk)
        if agency is not None:
            IssueSequence.objects.select_for_update(nowait=True).filter(agency=agency).first()


@pytest.fixture
def live(test_pki, transactional_db, settings):
    from directory.demo import load_demo

    demo = load_demo()
    setup.register_demo(test_pki[0])
    with_totp(demo.users["vanthu.ducxuan"])
    return demo


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_the_dossier_and_the_counter_stay_free_while_the_signatures_are_made(live, monkeypatch):
    demo = live
    leader, clerk = demo.users["chutich.ducxuan"], demo.users["vanthu.ducxuan"]
    ward = demo.agencies["01840"]
    dossier = approved_at(demo, DUCXUAN)
    IssueSequence.objects.create(agency=ward, year=dt.date.today().year, last=0)
    blocking = BlockingSigner(monkeypatch)

    signing_now = blocking.run(results.sign_current_result, dossier=dossier, acting_user=leader,
                               confirmation=confirmed(leader))
    try:
        not_locked(dossier)
    finally:
        blocking.finish(signing_now)
    assert "error" not in signing_now, signing_now.get("error")

    issuing_now = blocking.run(results.issue_result, dossier=dossier, acting_user=clerk, confirmation=confirmed(clerk))
    try:
        not_locked(dossier, ward)
    finally:
        blocking.finish(issuing_now)
    assert "error" not in issuing_now, issuing_now.get("error")
    assert issuing_now["value"].issue_number == "01/UBND" and counter(ward) == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_a_change_while_the_seal_is_made_keeps_nothing_and_the_number_is_reused(live, monkeypatch, settings):
    demo = live
    clerk, ward = demo.users["vanthu.ducxuan"], demo.agencies["01840"]
    dossier = signed_at(demo, DUCXUAN)
    signed, before = results.result_for(dossier), stored_files(settings)
    blocking = BlockingSigner(monkeypatch)

    issuing_now = blocking.run(results.issue_result, dossier=dossier, acting_user=clerk, confirmation=confirmed(clerk))
    try:  # someone else changes the dossier meanwhile (no waiting: the row is free)
        with transaction.atomic():
            Dossier.objects.select_for_update(nowait=True).get(pk=dossier.pk)
            Dossier.objects.filter(pk=dossier.pk).update(revision=F("revision") + 1)
    finally:
        blocking.finish(issuing_now)
    assert isinstance(issuing_now.get("error"), StaleDossier), issuing_now
    assert stored_files(settings) == before, "no sealed file may stay behind"
    assert counter(ward) == 0 and results.result_for(dossier) == signed and not results.is_issued(signed)
    assert not SignatureRecord.objects.filter(field_name="DauCoQuan").exists()

    monkeypatch.setattr(pades, "sign", blocking.real)
    issued = results.issue_result(dossier=dossier, acting_user=clerk, confirmation=confirmed(clerk))
    assert issued.issue_number == "01/UBND"  # the number of the failed attempt, no gap


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_two_results_issued_at_once_get_consecutive_numbers(live, monkeypatch):
    demo = live
    clerk, ward = demo.users["vanthu.ducxuan"], demo.agencies["01840"]
    first, second = signed_at(demo, DUCXUAN), signed_at(demo, DUCXUAN)
    blocking = BlockingSigner(monkeypatch)
    issuing_first = blocking.run(results.issue_result, dossier=first, acting_user=clerk, confirmation=confirmed(clerk))
    # While the first seal (sealed as number 01) is being made, the second result is issued: 01.
    monkeypatch.setattr(pades, "sign", blocking.real)
    assert results.issue_result(dossier=second, acting_user=clerk,
                                confirmation=confirmed(clerk)).issue_number == "01/UBND"
    blocking.finish(issuing_first)
    # The first finds 01 taken and is sealed again with 02 (pades.sign is the real one now).
    assert "error" not in issuing_first, issuing_first.get("error")
    assert issuing_first["value"].issue_number == "02/UBND" and counter(ward) == 2
    assert DossierFile.objects.filter(purpose=FilePurpose.RESULT, replaced=False).exclude(issue_number="").count() == 2
