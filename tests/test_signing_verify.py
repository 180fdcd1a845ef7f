"""The public verifier (/verify/ and its API) on issued documents (Decree 30/2020/NĐ-CP: the
official signs, the clerk fills number and date and applies the agency's seal signature).

An issued document is final: any later change a reader would see (a field filled again, text
painted over the page, an empty signature field whose appearance shows new text) must be reported
as a modification, never as "valid and unchanged". And the verifier is public: a PDF from anyone
must not make the server fetch the URLs written in its certificates."""

import datetime as dt
import io
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import init_xobject_dictionary
from pyhanko.sign import fields
from pyhanko.sign import signers as ph_signers
from pyhanko.sign.fields import FieldMDPAction, MDPPerm
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import read_certification_data
from pyhanko_certvalidator import ValidationContext

from signing import aio, pades, services, signers
from signing.models import Certificate
from signing.verification import verify_pdf
from tests.signing_fixtures import validate_pdf_signature
from tests.test_result_issuance import approved  # noqa: F401 - fixture
from tests.test_signing import OFFICIAL_BOX, a_document, assert_pdfsig_valid, confirm, pdfsig

pytestmark = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")
FORGED_NUMBER = "99/QD-STP"


def issued_document(demo) -> bytes:
    """Signed by the director of the Department of Justice, then numbered and sealed by its clerk."""
    official = demo.users["giamdoc.stp"]
    signed = services.sign_document(pdf_bytes=pades.prepare(a_document()), signer_user=official,
                                    field_name="ChuKy", box=OFFICIAL_BOX, confirmation=confirm(official))
    agency = Certificate.objects.get(kind="seal", agency__code="000.00.03.H55").agency
    return services.issue_with_seal(pdf_bytes=signed, clerk=demo.users["vanthu.stp"], agency=agency,
                                    number="15/QĐ-STP", issued_on=dt.date(2026, 3, 15), official_box=OFFICIAL_BOX)


def updated(pdf: bytes, change) -> bytes:
    """``pdf`` with one more incremental update made by ``change(writer)``."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_of(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def number_field_rect(writer) -> list[float]:
    for ref in writer.root["/AcroForm"]["/Fields"]:
        if str(ref.get_object().get("/T", "")) == pades.NUMBER_FIELD:
            return [float(v) for v in ref.get_object()["/Rect"]]
    raise AssertionError("no number field")


def helvetica(writer) -> generic.DictionaryObject:
    font = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica")}))
    return generic.DictionaryObject({generic.NameObject("/Font"): generic.DictionaryObject(
        {generic.NameObject("/F9"): font})})


def refill_number(writer) -> None:
    pades.fill_fields(writer, {pades.NUMBER_FIELD: FORGED_NUMBER, pades.DATE_FIELD: "ngày 01 tháng 01 năm 2020"})


def paint_over_page(writer) -> None:
    x1, y1, _x2, _y2 = number_field_rect(writer)
    stream = generic.StreamObject(stream_data=(
        f"q 1 g {x1} {y1} 120 16 re f Q BT /F9 12 Tf {x1 + 2} {y1 + 4} Td ({FORGED_NUMBER}) Tj ET").encode())
    writer.add_stream_to_page(0, writer.add_object(stream), resources=helvetica(writer))


def overlay_signature_field(writer) -> None:
    """An empty (unsigned) signature field over the number, its appearance painting a new one."""
    x1, y1, x2, y2 = number_field_rect(writer)
    fields.append_signature_field(writer, fields.SigFieldSpec("Overlay", on_page=0, box=(x1, y1, x2, y2)))
    painted = init_xobject_dictionary(
        command_stream=f"q 1 g 0 0 {x2 - x1} {y2 - y1} re f Q BT /F9 12 Tf 2 4 Td ({FORGED_NUMBER}) Tj ET".encode(),
        box_width=x2 - x1, box_height=y2 - y1, resources=helvetica(writer))
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if str(field.get("/T", "")) == "Overlay":
            field["/AP"] = generic.DictionaryObject({generic.NameObject("/N"): writer.add_object(painted)})
            writer.update_container(field)


# --- what is locked and what the verifier reports ---------------------------------------------------

def test_an_untouched_issued_document_is_valid_and_unmodified(registered, demo, nss_db, tmp_path):
    issued = issued_document(demo)
    report = verify_pdf(issued)
    assert report.ok and not report.modified_after_signing and len(report.signatures) == 2
    assert all(s.ok and s.modification_ok for s in report.signatures)
    assert_pdfsig_valid(issued, nss_db, tmp_path, 2)
    reader = PdfFileReader(io.BytesIO(issued))
    # The official's signature certifies the document: later, only filling in forms and signing.
    assert read_certification_data(reader).permission == MDPPerm.FILL_FORMS
    official, seal = sorted(reader.embedded_regular_signatures, key=lambda s: s.signed_revision)
    assert official.docmdp_level == MDPPerm.FILL_FORMS
    # The seal locks every field and allows no change at all after it.
    assert seal.docmdp_level == MDPPerm.NO_CHANGES and seal.fieldmdp.action == FieldMDPAction.ALL


@pytest.mark.parametrize("tamper", [refill_number, paint_over_page, overlay_signature_field],
                         ids=["number-filled-again", "text-painted-over-the-page", "empty-signature-field-with-text"])
def test_a_change_after_the_seal_is_reported_as_modified(registered, demo, tamper):
    tampered = updated(issued_document(demo), tamper)
    assert FORGED_NUMBER in text_of(tampered)  # what a reader now sees
    with translation.override("vi"):
        report = verify_pdf(tampered)
    assert not report.ok and report.modified_after_signing
    official, seal = report.signatures
    assert seal.intact and seal.trusted and not seal.modification_ok and not seal.ok
    assert "bị thay đổi" in report.verdict and "bị thay đổi" in seal.verdict
    # The seal's lock is broken in pyHanko's own reading too (independent of our rule).
    last = max(PdfFileReader(io.BytesIO(tampered)).embedded_regular_signatures, key=lambda s: s.signed_revision)
    status = validate_pdf_signature(last, ValidationContext(trust_roots=list(signers.trust_roots())))
    assert status.docmdp_ok is False


def test_an_issued_dossier_result_verifies_and_cannot_be_renumbered(approved, demo):  # noqa: F811
    """The platform's own path: the leader signs the result, the clerk issues it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dossiers import results

    leader, clerk = demo.users["chutich.ducxuan"], demo.users["vanthu.ducxuan"]
    TOTPDevice.objects.get_or_create(user=clerk, confirmed=True, defaults={"name": "Văn thư"})
    results.sign_current_result(dossier=approved, acting_user=leader, confirmation=confirm(leader))
    issued = results.issue_result(dossier=approved, acting_user=clerk, confirmation=confirm(clerk, drift=1))
    pdf = issued.file.open("rb").read()
    report = verify_pdf(pdf)
    assert report.ok and not report.modified_after_signing and len(report.signatures) == 2
    tampered = verify_pdf(updated(pdf, refill_number))
    assert not tampered.ok and tampered.modified_after_signing


def test_filling_the_fields_after_the_only_signature_is_reported_as_modified(registered, demo):
    """A change that no signature covers (here: after the official's, without the seal)."""
    official = demo.users["giamdoc.stp"]
    signed = services.sign_document(pdf_bytes=pades.prepare(a_document()), signer_user=official,
                                    field_name="ChuKy", box=OFFICIAL_BOX, confirmation=confirm(official),
                                    timestamp=False)
    assert verify_pdf(signed).ok
    report = verify_pdf(updated(signed, refill_number))
    assert not report.ok and report.modified_after_signing and not report.signatures[0].modification_ok


def test_only_a_document_timestamp_after_the_seal_keeps_it_valid(registered, demo, test_pki):
    """Validation data and document timestamps (PAdES LTA) may follow the last signature."""
    issued = issued_document(demo)
    writer = IncrementalPdfFileWriter(io.BytesIO(issued), strict=False)
    stamper = ph_signers.PdfTimeStamper(HTTPTimeStamper(test_pki[0].tsa_url, timeout=10))
    stamped = aio.run(stamper.async_timestamp_pdf(writer, "sha256")).getvalue()
    report = verify_pdf(stamped)
    assert report.ok and not report.modified_after_signing


def test_the_page_and_the_api_report_a_modified_document(registered, demo, client):
    issued = issued_document(demo)
    untouched = client.post("/verify/api", {"document": SimpleUploadedFile("kq.pdf", issued)}).json()
    assert untouched["ok"] is True and untouched["modified_after_signing"] is False
    tampered = updated(issued, overlay_signature_field)
    data = client.post("/verify/api", {"document": SimpleUploadedFile("kq.pdf", tampered)}).json()
    assert data["ok"] is False and data["modified_after_signing"] is True
    assert data["signatures"][1]["modification_ok"] is False
    page = client.post("/verify/", {"document": SimpleUploadedFile("kq.pdf", tampered)},
                       HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert ("Văn bản đã bị thay đổi sau khi ký: nội dung hiển thị có thể khác với nội dung đã ký. "
            "Không sử dụng văn bản này.") in page
    assert "ĐÃ BỊ THAY ĐỔI" in page  # the seal's own verdict


# --- no request to addresses taken from an upload ------------------------------------------------------

class Listener:
    """An HTTP server on 127.0.0.1 (random port) that records every request it receives."""

    def __init__(self):
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                listener.requests.append(f"{self.command} {self.path}")
                self.send_response(404)
                self.end_headers()

            do_GET = do_POST = _record

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def _cert(subject: str, key, issuer_name: x509.Name, issuer_key, *, ca: bool, urls: str | None):
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(issuer_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not ca, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                            crl_sign=ca, encipher_only=False, decipher_only=False), critical=True))
    if urls:
        builder = builder.add_extension(x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(f"{urls}/ocsp")),
            x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS,
                                   x509.UniformResourceIdentifier(f"{urls}/issuer.cer"))]), critical=False)
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(f"{urls}/ca.crl")], relative_name=None, reasons=None,
            crl_issuer=None)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def sign_with(key, cert: x509.Certificate, chain: list[x509.Certificate]) -> bytes:
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signing_key = load_private_key_from_pemder_data(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()), None)
    signer = ph_signers.SimpleSigner(signing_cert=_to_asn1(cert), signing_key=signing_key,
                                     cert_registry=SimpleCertificateStore.from_certs([_to_asn1(c) for c in chain]))
    return pades.sign(a_document(), signer=signer, field_name="Sig")


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize("embed_issuer", [False, True], ids=["issuer-only-by-url", "self-made-root-embedded"])
def test_an_untrusted_upload_makes_no_network_request(test_pki, db, listener, embed_issuer, settings):
    settings.SIGNING_REVOCATION_URLS = [listener.url]  # even an allowed responder is not asked for it
    root_key, signer_key = _key(), _key()
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tự xưng Root")])
    root = _cert("Tự xưng Root", root_key, root_name, root_key, ca=True, urls=listener.url)
    signer = _cert("Người lạ", signer_key, root_name, root_key, ca=False, urls=listener.url)
    report = verify_pdf(sign_with(signer_key, signer, [root] if embed_issuer else []))
    sig = report.signatures[0]
    assert sig.intact and not sig.trusted and not report.ok
    assert listener.requests == []


def interm_signed_cert(generated, urls: str):
    """A certificate really issued by the test PKI's (trusted) issuing CA, naming ``urls``."""
    interm_key = serialization.load_pem_private_key(generated.key_path("interm").read_bytes(), None)
    interm = x509.load_pem_x509_certificate(generated.cert_path("interm").read_bytes())
    key = _key()
    return key, _cert("Lê Văn Tin Cậy", key, interm.subject, interm_key, ca=False, urls=urls), interm


def test_a_trusted_chain_asks_only_allow_listed_responders(test_pki, db, listener, settings):
    generated, _ = test_pki
    key, cert, interm = interm_signed_cert(generated, listener.url)
    signed = sign_with(key, cert, [interm])
    with translation.override("vi"):
        report = verify_pdf(signed)  # default allow-list: the test PKI's responder only
    sig = report.signatures[0]
    assert sig.trusted and listener.requests == []
    assert not sig.ok and sig.revocation == "Không xác định được tình trạng thu hồi."
    settings.SIGNING_REVOCATION_URLS = [listener.url]
    verify_pdf(signed)
    assert listener.requests and all(line.split()[1].startswith(("/ocsp", "/ca.crl")) for line in listener.requests)


def test_a_trusted_chain_gets_its_revocation_status_from_the_allow_listed_responder(test_pki, db, nss_db,
                                                                                    tmp_path, settings):
    generated, _ = test_pki
    signer = ph_signers.SimpleSigner.load(str(generated.key_path("revoked-official")),
                                          str(generated.cert_path("revoked-official")),
                                          ca_chain_files=[str(generated.cert_path("interm"))])
    signed = pades.sign(a_document(), signer=signer, field_name="Sig")
    sig = verify_pdf(signed).signatures[0]
    assert sig.revoked and sig.intact and not sig.ok
    assert "Certificate has been Revoked." in pdfsig(signed, nss_db, tmp_path)
    settings.SIGNING_REVOCATION_URLS = ["http://127.0.0.1:9/"]  # the test responder is not allowed
    sig = verify_pdf(signed).signatures[0]
    assert not sig.revoked and not sig.ok  # not "valid": the status is unknown


def test_the_allow_list_matches_scheme_host_port_and_path():
    from signing.verify_fetch import allowed

    rules = ["http://127.0.0.1:8787/egov/", "https://ocsp.ca.gov.vn"]
    assert allowed("http://127.0.0.1:8787/egov/ocsp/interm", rules)
    assert allowed("https://ocsp.ca.gov.vn/ocsp", rules)
    assert not allowed("http://127.0.0.1:8788/egov/ocsp/interm", rules)  # another port
    assert not allowed("http://127.0.0.1:8787/admin/", rules)  # outside the path
    assert not allowed("http://127.0.0.1:8787/egov/../admin", rules)
    assert not allowed("https://127.0.0.1:8787/egov/ocsp", rules)  # another scheme
    assert not allowed("https://ocsp.ca.gov.vn@127.0.0.1/ocsp", rules)  # user-info trick
    assert not allowed("https://ocsp.ca.gov.vn.evil.example/ocsp", rules)
    assert not allowed("file:///etc/passwd", rules)
    assert not allowed("http://127.0.0.1:8787/egov/ocsp", [])
