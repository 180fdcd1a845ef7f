"""Digital signatures: keys on SoftHSM2 through PKCS#11, PAdES B-LT with a timestamp from the local
test PKI, the two-signature issuance (Decree 30/2020/NĐ-CP), verification, batches. Every produced
signature is also checked independently with poppler's ``pdfsig`` against an NSS database that
trusts the test root: "Signature is Valid." (digest of the signed ranges, CMS signature) and
"Certificate is Trusted." (NSS chain building for certificateUsageEmailSigner, online OCSP
against the test responder)."""

import hashlib
import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers as ph_signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko_certvalidator import ValidationContext

from audit.models import AuditEntry
from directory.demo import DEMO_PASSWORD
from signing import aio, certificates, pades, services, setup, signers
from signing.models import Certificate, CertificateStatus
from tests import signing_fixtures
from tests.signing_fixtures import validate_pdf_signature
from tests.test_results import dossier, procedure  # noqa: F401 - fixtures

pytestmark = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")
# The fixtures live in tests/signing_fixtures.py (a plugin for every module); older modules import them from here.
test_pki, registered = signing_fixtures.test_pki, signing_fixtures.registered
OFFICIAL_BOX = pades.Box(0, 340, 120, 520, 205)


def pdfsig(pdf: bytes, nss_db, tmp_path) -> str:
    path = tmp_path / f"{hashlib.sha256(pdf).hexdigest()[:12]}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", "-nssdir", nss_db, str(path)], capture_output=True, text=True,
                          timeout=60).stdout


def assert_pdfsig_valid(pdf, nss_db, tmp_path, count):
    """pdfsig (poppler + NSS) finds ``count`` signatures, each valid and its certificate trusted."""
    out = pdfsig(pdf, nss_db, tmp_path)
    assert out.count("Signature Validation: Signature is Valid.") == count, out
    assert out.count("Certificate Validation: Certificate is Trusted.") == count, out


def a_document() -> bytes:
    from dossiers.pdf import html_to_pdf

    return html_to_pdf("<html lang='vi'><body><p>Số: ……/……</p><p>Bắc Kạn, ngày … tháng … năm …</p>"
                       "<h1>QUYẾT ĐỊNH</h1><p>Về việc cấp bản sao trích lục hộ tịch.</p></body></html>")


def code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=drift):0{device.digits}d}"


def confirm(user, drift=0):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return services.confirm(user, password=DEMO_PASSWORD, totp=code(device, drift))


def test_an_official_signs_with_a_pkcs11_key_pades_b_lt_valid_for_pyhanko_and_pdfsig(registered, demo, nss_db,
                                                                                       tmp_path):
    user = demo.users["giamdoc.stp"]
    prepared = pades.prepare(a_document(), verification_url="http://127.0.0.1:8000/verify/?h=abc")
    signed = services.sign_document(pdf_bytes=prepared, signer_user=user, field_name="ChuKy", box=OFFICIAL_BOX,
                                    confirmation=confirm(user))
    report = services_verify(signed)
    assert report.ok, report
    sig = report.signatures[0]
    assert sig.signer == "Hà Văn Thắng" and sig.trusted and sig.timestamp and sig.timestamp_valid
    assert not sig.revoked
    reader = PdfFileReader(io.BytesIO(signed))
    assert "/DSS" in reader.root  # embedded validation data (B-LT)
    assert_pdfsig_valid(signed, nss_db, tmp_path, 1)
    text = subprocess.run(["pdftotext", "-", "-"], input=signed, capture_output=True).stdout.decode()
    assert "Ký bởi: Hà Văn Thắng" in text and "Thời gian ký" in text and "Tra cứu" in text
    entry = AuditEntry.objects.filter(object_type="signing.signaturerecord").latest("id")
    assert entry.action == "create" and entry.summary["event"] == "signed"


def services_verify(pdf):
    from signing.verification import verify_pdf

    return verify_pdf(pdf)


def test_signing_needs_a_fresh_confirmation(registered, demo):
    user = demo.users["giamdoc.stp"]
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    with pytest.raises(PermissionDenied):
        services.sign_document(pdf_bytes=a_document(), signer_user=user, field_name="X", box=None, confirmation=None)
    with pytest.raises(PermissionDenied):
        services.confirm(user, password="wrong", totp=code(device))
    with pytest.raises(PermissionDenied):
        services.confirm(user, totp=code(device))  # the code alone, without a recent full confirmation
    services.confirm(user, password=DEMO_PASSWORD, totp=code(device))
    services.confirm(user, totp=code(device, drift=1))  # the code alone shortly after: accepted
    other = services.confirm(demo.users["chutich.ducxuan"], password=DEMO_PASSWORD,
                             totp=code(TOTPDevice.objects.get(user=demo.users["chutich.ducxuan"])))
    with pytest.raises(PermissionDenied):  # someone else's confirmation
        services.sign_document(pdf_bytes=a_document(), signer_user=user, field_name="X", box=None, confirmation=other)


def test_expired_and_revoked_certificates_are_refused(registered, demo, test_pki):
    generated, _ = test_pki
    with pytest.raises(ValidationError):
        certificates.import_certificate(cert_pem=generated.cert_path("expired-official").read_bytes(),
                                    kind="personal", holder=demo.users["giamdoc.stp"])
    user = demo.users["giamdoc.stp"]
    Certificate.objects.filter(holder=user).update(status=CertificateStatus.REVOKED)
    with pytest.raises(services.SigningRefused):
        services.sign_document(pdf_bytes=a_document(), signer_user=user, field_name="X", box=None,
                               confirmation=confirm(user))


def test_expiry_is_warned_ahead(registered):
    import datetime as dt

    certificate = Certificate.objects.get(common_name="Hà Văn Thắng")
    assert not certificate.expires_soon()
    assert certificate.expires_soon(certificate.not_after - dt.timedelta(days=10))
    assert certificate in certificates.certificates_expiring(certificate.not_after - dt.timedelta(days=10))


def test_issuance_adds_the_seal_and_number_without_invalidating_the_officials_signature(registered, demo, nss_db,
                                                                                        tmp_path):
    """Decree 30/2020/NĐ-CP: the competent person signs, then the clerk applies the agency's
    signature (the seal over the left third of the signature) and fills in number and date."""
    user = demo.users["giamdoc.stp"]
    prepared = pades.prepare(a_document())
    signed = services.sign_document(pdf_bytes=prepared, signer_user=user, field_name="ChuKy", box=OFFICIAL_BOX,
                                    confirmation=confirm(user))
    issued = services.issue_with_seal(pdf_bytes=signed, clerk=demo.users["giamdoc.stp"],
                                      agency=demo.agencies["STP"] if "STP" in demo.agencies else
                                      Certificate.objects.get(kind="seal", agency__code="000.00.03.H55").agency,
                                      number="15/QĐ-STP", issued_on=__import__("datetime").date(2026, 3, 15),
                                      official_box=OFFICIAL_BOX)
    assert_pdfsig_valid(issued, nss_db, tmp_path, 2)
    reader = PdfFileReader(io.BytesIO(issued))
    first, second = reader.embedded_regular_signatures
    status = validate_pdf_signature(first, ValidationContext(trust_roots=list(signers.trust_roots()),
                                                             allow_fetching=True))
    assert status.intact and status.valid and status.modification_level == ModificationLevel.FORM_FILLING
    report = services_verify(issued)
    assert report.ok and len(report.signatures) == 2
    text = subprocess.run(["pdftotext", "-", "-"], input=issued, capture_output=True).stdout.decode()
    assert "15/QĐ-STP" in text and "ngày 15 tháng 3 năm 2026" in text  # month 3: no zero (Decree 30/2020)
    seal = services.seal_box(OFFICIAL_BOX)
    assert seal.x2 == pytest.approx(OFFICIAL_BOX.x1 + OFFICIAL_BOX.width / 3)


def test_a_tampered_document_is_reported(registered, demo):
    user = demo.users["giamdoc.stp"]
    signed = services.sign_document(pdf_bytes=a_document(), signer_user=user, field_name="ChuKy", box=OFFICIAL_BOX,
                                    confirmation=confirm(user), timestamp=False)
    tampered = bytearray(signed)
    position = tampered.find(b"/MediaBox")
    tampered[position + 1:position + 9] = b"Mediabox"
    with translation.override("vi"):
        report = services_verify(bytes(tampered))
    assert not report.ok and not report.signatures[0].intact
    assert "KHÔNG" in report.verdict.upper()


def _bare_sign(generated, label, issuer_labels) -> bytes:
    signer = ph_signers.SimpleSigner.load(str(generated.key_path(label)), str(generated.cert_path(label)),
                                          ca_chain_files=[str(generated.cert_path(i)) for i in issuer_labels])
    writer = IncrementalPdfFileWriter(io.BytesIO(a_document()))
    pdf_signer = ph_signers.PdfSigner(ph_signers.PdfSignatureMetadata(field_name="Sig"), signer=signer)
    return aio.run(pdf_signer.async_sign_pdf(writer)).getvalue()


def test_a_revoked_certificate_is_reported(test_pki, db, nss_db, tmp_path):
    signed = _bare_sign(test_pki[0], "revoked-official", ["interm", "root"])
    report = services_verify(signed)
    assert not report.ok and report.signatures[0].revoked and report.signatures[0].intact
    out = pdfsig(signed, nss_db, tmp_path)  # NSS asks the test OCSP responder too
    assert "Signature is Valid." in out and "Certificate has been Revoked." in out, out


def test_an_untrusted_root_is_reported(test_pki, db, nss_db, tmp_path):
    signed = _bare_sign(test_pki[0], "rogue-signer", ["rogue-root"])
    report = services_verify(signed)
    sig = report.signatures[0]
    assert not report.ok and not sig.trusted and sig.intact
    out = pdfsig(signed, nss_db, tmp_path)
    assert "Signature is Valid." in out and "Certificate is Trusted." not in out, out


def test_the_public_page_and_api_verify_an_upload(registered, demo, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = demo.users["giamdoc.stp"]
    signed = services.sign_document(pdf_bytes=a_document(), signer_user=user, field_name="ChuKy", box=OFFICIAL_BOX,
                                    confirmation=confirm(user), timestamp=False)
    response = client.post("/verify/api", {"document": SimpleUploadedFile("a.pdf", signed)})
    assert response.status_code == 200 and response.json()["signatures"][0]["signer"] == "Hà Văn Thắng"
    page = client.post("/verify/", {"document": SimpleUploadedFile("a.pdf", signed)}, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200 and "Hà Văn Thắng" in page.content.decode()
    assert client.get("/verify/").status_code == 200


# Dossier results signed one by one and in batches: tests/test_signing_flow.py (through the doors).


def test_our_signers_keep_pyhankos_signed_attributes(test_pki, nss_db, tmp_path):
    """ReusingCMSSigner only avoids re-encoding: the signed attributes are pyHanko's PAdES set
    (content-type, message-digest, signing-certificate-v2, no signing-time), byte for byte the
    same signing-certificate-v2 as the stock signer's, and reused signers keep signing validly."""
    generated, _ = test_pki
    label, chain = "giamdoc-stp", [generated.cert("interm"), generated.cert("root")]
    ours = signers.software_signer(generated.key_path(label), generated.cert(label), chain)
    stock = ph_signers.SimpleSigner.load(str(generated.key_path(label)), str(generated.cert_path(label)),
                                         ca_chain_files=[str(generated.cert_path(i)) for i in ("interm", "root")])
    assert isinstance(ours, signers.ReusingCMSSigner)

    def signed_attrs(pdf):
        sig = PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[0]
        return {attr["type"].native: attr["values"].dump() for attr in sig.signer_info["signed_attrs"]}

    document = a_document()
    first, second = (pades.sign(document, signer=ours, field_name="Sig") for _ in range(2))
    reference = signed_attrs(pades.sign(document, signer=stock, field_name="Sig"))
    assert set(reference) == {"content_type", "message_digest", "signing_certificate_v2"}
    for pdf in (first, second):
        attrs = signed_attrs(pdf)
        assert attrs.keys() == reference.keys()
        assert attrs["signing_certificate_v2"] == reference["signing_certificate_v2"]
        assert attrs["content_type"] == reference["content_type"]
        status = validate_pdf_signature(PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[0],
                                        ValidationContext(trust_roots=[generated.cert("root")], allow_fetching=True))
        assert status.intact and status.valid and status.trusted
        assert_pdfsig_valid(pdf, nss_db, tmp_path, 1)
    pkcs11 = signers.pkcs11_signer(setup.token_label(), label, generated.cert(label), chain)
    assert isinstance(pkcs11, signers.ReusingCMSSigner)
    assert signed_attrs(pades.sign(document, signer=pkcs11, field_name="Sig")).keys() == reference.keys()


def test_holders_are_warned_once_before_their_certificate_expires(registered, demo,
                                                                   django_capture_on_commit_callbacks):
    import datetime as dt

    from notifications.models import Notification

    certificate = Certificate.objects.get(holder=demo.users["giamdoc.stp"])
    near_expiry = certificate.not_after - dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):  # notices go out after commit (outbox)
        assert certificates.warn_expiring(at=certificate.not_after - dt.timedelta(days=90)) == 0  # too early
        assert certificates.warn_expiring(at=near_expiry) >= 1
        assert certificates.warn_expiring(at=near_expiry) == 0  # once
    notice = Notification.objects.get(user=demo.users["giamdoc.stp"])
    assert certificate.not_after.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y") in notice.title
    seal = Certificate.objects.get(agency=demo.agencies["STP"], kind="seal")
    if seal.not_after == certificate.not_after:
        assert Notification.objects.filter(user=demo.users["vanthu.stp"]).exists()
