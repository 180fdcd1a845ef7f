"""The edXML schema module: packages of both dialects built, validated and read back; every
invalid package refused with a reason (and, when readable, its sender); the agency's seal over a
package; signed PDF attachments verified on receipt."""

import asyncio
import base64
import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.utils import translation
from lxml import etree

from exchange import edxml
from exchange.edxml import (
    Actor,
    Attachment,
    DocumentPackage,
    Organ,
    Refused,
    ResponseFor,
    Signer,
    StatusPackage,
    Trace,
)
from exchange.edxml.signature import canonical

QCVN = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
EDOC = "http://www.go.vn/eDoc"
PROVINCE, JUSTICE, DUCXUAN = "000.00.00.H55", "000.00.03.H55", "000.00.60.H55"
DIALECTS = ["qcvn102", "edoc"]


@pytest.fixture(autouse=True)
def _in_english():
    """Reasons are compared in English here (Vietnamese is the default: see the last tests)."""
    with translation.override("en"):
        yield


def a_document_package(**changes) -> DocumentPackage:
    values = dict(
        package_id="pkg-0001", document_id=f"{JUSTICE},2026-03-15,15/STP-VP",
        sender=Organ(JUSTICE, "Sở Tư pháp tỉnh Thái Nguyên", unit="Văn phòng Sở", address="Số 1 đường Hoàng Văn Thụ",
                     email="stp@thainguyen.gov.vn", phone="0208 3855 000"),
        recipients=[Organ(PROVINCE, "Ủy ban nhân dân tỉnh Thái Nguyên"), Organ(DUCXUAN, "Ủy ban nhân dân phường Đức Xuân")],
        code_number="15", code_notation="STP-VP", place="Thái Nguyên", promulgation_date=dt.date(2026, 3, 15),
        document_type=2, type_name="Công văn",
        subject="Về việc rà soát thủ tục hành chính lĩnh vực hộ tịch năm 2026",
        content="Sở Tư pháp đề nghị các đơn vị rà soát, báo cáo trước ngày 30/4/2026.",
        signer=Signer(competence="KT. GIÁM ĐỐC", position="Phó Giám đốc", full_name="Nguyễn Thị Hồng Nhung"),
        due_date=dt.date(2026, 4, 30), steering_type=0, to_places=["Như trên", "Lưu: VT, VP"], priority=1,
        page_amount=2, appendixes=["Phụ lục I: Danh mục thủ tục"],
        response_for=ResponseFor(PROVINCE, "102/UBND-KSTT", dt.date(2026, 3, 1), f"{PROVINCE},2026-03-01,102/UBND-KSTT"),
        business="update", replaces=f"{JUSTICE},2026-03-10,14/STP-VP",
        traces=[Trace(JUSTICE, dt.datetime(2026, 3, 15, 9, 30, 5, tzinfo=dt.UTC))],
        attachments=[Attachment("15-STP-VP.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40, description="Văn bản chính"),
                     Attachment("phu-luc.docx", b"PK\x03\x04" + "phụ lục".encode() * 100,
                                mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                description="Phụ lục I")])
    values.update(changes)
    return DocumentPackage(**values)


def a_status_package(**changes) -> StatusPackage:
    values = dict(
        package_id="pkg-0002", sender=Organ(PROVINCE, "Ủy ban nhân dân tỉnh Thái Nguyên"),
        recipient=Organ(JUSTICE, "Sở Tư pháp tỉnh Thái Nguyên"),
        response_for=ResponseFor(JUSTICE, "15/STP-VP", dt.date(2026, 3, 15), f"{JUSTICE},2026-03-15,15/STP-VP"),
        code="02", at=dt.datetime(2026, 3, 16, 14, 5, 0, tzinfo=dt.UTC),
        actor=Actor(name="Lê Thị Thu", department="Văn phòng", position="Văn thư", email="vt@thainguyen.gov.vn",
                    phone="0912 000 111"),
        description="Gửi nhầm cơ quan: văn bản thuộc thẩm quyền Sở Nội vụ.")
    values.update(changes)
    return StatusPackage(**values)


def refusal(data: bytes, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        edxml.parse(data, **kwargs)
    return caught.value


def edited(data: bytes, change) -> bytes:
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def first(root, local: str):
    return root.xpath(f"//*[local-name()='{local}']")[0]


# --- round trip ------------------------------------------------------------------------------------

@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_document_package_reads_back_as_it_was_built(dialect):
    package = a_document_package()
    data = edxml.build(package, dialect=dialect)
    assert edxml.dialect_of(data) == dialect
    assert edxml.parse(data) == package
    assert "Về việc rà soát thủ tục hành chính".encode() in data  # UTF-8, not character references


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("business", ["", "update", "replace"])
def test_a_new_an_updating_and_a_replacing_document_keep_what_they_replace(dialect, business):
    package = a_document_package(business=business, replaces=f"{JUSTICE},2026-03-10,14/STP-VP" if business else "",
                                 response_for=None, attachments=[], due_date=None)
    assert edxml.parse(edxml.build(package, dialect=dialect)) == package


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("code", ["01", "02", "03", "04", "05", "06", "13", "15", "16"])
def test_a_status_package_reads_back_as_it_was_built(dialect, code):
    package = a_status_package(code=code)
    assert edxml.parse(edxml.build(package, dialect=dialect)) == package


def test_the_dialects_write_their_own_root_dates_and_attachments():
    qcvn = etree.fromstring(edxml.build(a_document_package(), dialect="qcvn102"))
    assert qcvn.tag == f"{{{QCVN}}}edXML" and [etree.QName(c).localname for c in qcvn] == ["edXMLEnvelope",
                                                                                         "edXMLManifest"]
    assert first(qcvn, "PromulgationDate").text == "2026-03-15"
    reference = first(qcvn, "Reference")
    assert first(reference, "Sha256").text == __import__("hashlib").sha256(
        a_document_package().attachments[0].content).hexdigest()
    eoc = etree.fromstring(edxml.build(a_document_package(), dialect="edoc"))
    assert eoc.tag == f"{{{EDOC}}}edXMLEnvelope" and eoc.prefix is None
    assert first(eoc, "Timestamp").text == "2026/03/15 16:30:05"  # Vietnam's time
    assert [etree.QName(c).localname for c in first(eoc, "Attachment")] == [
        "ContentId", "FileName", "FileType", "Description", "Size", "Sha256", "Content"]


# --- refusals --------------------------------------------------------------------------------------

def test_bytes_that_are_not_xml_are_refused():
    assert "not well-formed XML" in refusal(b"%PDF-1.7 not a package").reason


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_truncated_package_is_refused_naming_its_sender_when_readable(dialect):
    data = edxml.build(a_document_package(attachments=[]), dialect=dialect)
    refused = refusal(data[: len(data) - 40])
    assert "not well-formed XML" in refused.reason
    assert (refused.package_id, refused.sender, refused.document_id) == (
        "pkg-0001", JUSTICE, f"{JUSTICE},2026-03-15,15/STP-VP")
    assert refused.recipients == (PROVINCE, DUCXUAN)


def test_a_wrong_namespace_is_refused():
    data = edxml.build(a_document_package(), dialect="qcvn102").replace(QCVN.encode(), b"http://example.org/edXML")
    refused = refusal(data)
    assert "http://example.org/edXML is not an edXML namespace" in refused.reason
    assert refused.sender == JUSTICE


def test_a_package_without_namespace_is_refused():
    data = edxml.build(a_document_package(), dialect="edoc").replace(f' xmlns="{EDOC}"'.encode(), b"")
    assert "no namespace" in refusal(data).reason


def test_an_edoc_root_with_a_prefix_is_refused():
    data = edxml.build(a_status_package(), dialect="edoc")
    data = data.replace(f'<edXMLEnvelope xmlns="{EDOC}">'.encode(),
                        f'<e:edXMLEnvelope xmlns:e="{EDOC}" xmlns="{EDOC}">'.encode())
    data = data.replace(b"</edXMLEnvelope>", b"</e:edXMLEnvelope>")
    assert etree.fromstring(data).prefix == "e"
    refused = refusal(data)
    assert "without a prefix" in refused.reason and refused.sender == PROVINCE


@pytest.mark.parametrize("dialect,root", [("edoc", b"EdXMLEnvelope"), ("qcvn102", b"edxml")])
def test_a_root_in_the_wrong_case_is_refused(dialect, root):
    data = edxml.build(a_status_package(), dialect=dialect)
    right = b"edXMLEnvelope" if dialect == "edoc" else b"edXML:edXML"
    wrong = root if dialect == "edoc" else b"edXML:" + root
    data = data.replace(b"<" + right + b" ", b"<" + wrong + b" ", 1).replace(b"</" + right + b">",
                                                                          b"</" + wrong + b">")
    assert "root element is " + root.decode() in refusal(data).reason


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path,field", [
    ("MessageHeader/DocumentId", "MessageHeader/DocumentId"),
    ("MessageHeader/Subject", "MessageHeader/Subject"),
    ("MessageHeader/To", "MessageHeader/To"),
    ("Code/CodeNotation", "Code/CodeNotation"),
    ("PromulgationInfo/PromulgationDate", "PromulgationInfo/PromulgationDate"),
])
def test_a_package_missing_a_required_field_is_refused_naming_it(dialect, path, field):
    parent, child = path.split("/")

    def drop(root):
        for element in root.xpath(f"//*[local-name()='{parent}']/*[local-name()='{child}']"):
            element.getparent().remove(element)

    refused = refusal(edited(edxml.build(a_document_package(), dialect=dialect), drop))
    assert refused.reason == f"A required field is missing: {field}."
    assert refused.sender == JUSTICE and refused.package_id == "pkg-0001"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_status_without_its_code_is_refused(dialect):
    data = edited(edxml.build(a_status_package(), dialect=dialect),
                  lambda root: first(root, "StatusCode").getparent().remove(first(root, "StatusCode")))
    refused = refusal(data)
    assert refused.reason == "A required field is missing: Status/StatusCode."
    assert (refused.sender, refused.recipients, refused.document_id) == (
        PROVINCE, (JUSTICE,), f"{JUSTICE},2026-03-15,15/STP-VP")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_date_in_the_other_dialects_format_is_refused(dialect):
    other = "2026/03/15" if dialect == "qcvn102" else "2026-03-15"
    data = edited(edxml.build(a_document_package(), dialect=dialect),
                  lambda root: setattr(root.xpath("//*[local-name()='PromulgationInfo']/*[local-name()="
                                                  "'PromulgationDate']")[0], "text", other))
    assert "The field PromulgationDate has a value that is not allowed" in refusal(data).reason


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_tampered_attachment_is_refused(dialect):
    def tamper(root):
        content = root.xpath("//*[local-name()='Attachment']/*[local-name()='Content']")[1]
        content.text = base64.b64encode(b"PK\x03\x04 something else").decode()

    refused = refusal(edited(edxml.build(a_document_package(), dialect=dialect), tamper))
    assert refused.reason == ("The attachment phu-luc.docx does not match the size and SHA-256 hash declared for "
                              "it: it was altered.")
    assert refused.document_id == f"{JUSTICE},2026-03-15,15/STP-VP"


def test_an_attachment_missing_from_the_manifest_is_refused():
    data = edited(edxml.build(a_document_package()), lambda root: first(root, "Reference").getparent().remove(
        first(root, "Reference")))
    assert refusal(data).reason == "An attachment is not listed in the manifest."


@pytest.mark.parametrize("dialect", DIALECTS)
def test_an_oversized_package_is_refused_before_it_is_read(dialect):
    data = edxml.build(a_document_package(), dialect=dialect)
    assert edxml.parse(data, max_bytes=len(data)) == a_document_package()
    refused = refusal(data, max_bytes=len(data) - 1)
    assert refused.reason == f"The package is {len(data)} bytes, more than the {len(data) - 1} bytes accepted."
    # Its head is still read, so that the refusal can go back to the sender.
    assert (refused.sender, refused.document_id) == (JUSTICE, a_document_package().document_id)


def test_the_size_limit_defaults_to_the_setting(settings):
    data = edxml.build(a_status_package())
    settings.EXCHANGE_MAX_PACKAGE_BYTES = len(data) - 1
    assert "more than the" in refusal(data).reason


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE edXML:edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE edXML:edXML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY xxe "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE edXML:edXML SYSTEM "http://127.0.0.1:9/evil.dtd">',
], ids=["external-entity", "entity-expansion", "external-dtd"])
def test_entities_and_dtds_are_refused_unread(doctype):
    data = edxml.build(a_status_package(description="X"))
    data = data.replace(b"?>\n", b"?>\n" + doctype.encode() + b"\n", 1)
    if "ENTITY" in doctype:
        data = data.replace(b">X<", b">&xxe;<")
    refused = refusal(data)
    assert refused.reason == "The package declares a document type (DTD) or entities, which are not accepted."
    assert "root:" not in str(refused.__dict__) and "aaaaaaaaaa" not in str(refused.__dict__)


def test_reasons_are_told_in_vietnamese():
    data = edited(edxml.build(a_document_package()),
                  lambda root: first(root, "Subject").getparent().remove(first(root, "Subject")))
    with translation.override("vi"):
        assert refusal(data).reason == "Thiếu trường bắt buộc: MessageHeader/Subject."
        assert refusal(b"<").reason.startswith("Gói tin không phải là XML hợp lệ")


def test_dialect_of_refuses_other_xml():
    with pytest.raises(Refused):
        edxml.dialect_of(b"<html xmlns='http://www.w3.org/1999/xhtml'/>")


# --- the agency's seal over the package --------------------------------------------------------------

signing_tools = pytest.mark.requires_tools("softhsm2-util", "certutil")


@pytest.fixture
def justice(registered):
    """The Department of Justice, whose seal certificate (on the SoftHSM2 token) the test PKI issued."""
    from directory.models import Agency

    return Agency.objects.get(code=JUSTICE)


def flipped(data: bytes, marker: bytes, offset: int = 0) -> bytes:
    at = data.index(marker) + offset
    changed = b"B" if data[at:at + 1] != b"B" else b"C"
    return data[:at] + changed + data[at + 1:]


def sealed_by(signer, data: bytes) -> bytes:
    """``data`` with an enveloped signature made by any pyHanko ``signer`` (not the agency's)."""
    root = etree.fromstring(data)
    content = asyncio.run(signer.async_sign_general_data(canonical(root), "sha256", detached=True))
    etree.SubElement(root, f"{{{etree.QName(root).namespace}}}Signature").text = base64.b64encode(
        content.dump()).decode()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def self_signed_signer():
    from asn1crypto import x509 as asn1_x509
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign import signers as ph_signers

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sở Tư pháp (giả mạo)")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    signing_key = load_private_key_from_pemder_data(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()), None)
    return ph_signers.SimpleSigner(signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
                                   signing_key=signing_key, cert_registry=None)


def verify_refusal(data: bytes) -> Refused:
    with pytest.raises(Refused) as caught:
        edxml.verify(data)
    return caught.value


@signing_tools
@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_package_sealed_by_its_agency_verifies_and_reads_back(justice, dialect):
    signed = edxml.sign(edxml.build(a_document_package(), dialect=dialect), agency=justice)
    assert etree.QName(etree.fromstring(signed)[-1]).localname == "Signature"
    assert "Sở Tư pháp" in edxml.verify(signed) and JUSTICE in edxml.verify(signed)
    assert edxml.parse(signed) == a_document_package()


@signing_tools
@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_byte_changed_in_a_sealed_package_is_refused(justice, dialect):
    signed = edxml.sign(edxml.build(a_document_package(), dialect=dialect), agency=justice)
    in_content = flipped(signed, "báo cáo trước".encode())
    assert verify_refusal(in_content).reason == ("The package's signature does not match its content: it was changed "
                                                 "after signing.")
    attachment = base64.b64encode(a_document_package().attachments[0].content)[:40]
    in_attachment = flipped(signed, attachment, 20)
    refused = verify_refusal(in_attachment)
    assert "changed after signing" in refused.reason and refused.sender == JUSTICE
    assert "does not match the size and SHA-256 hash" in refusal(in_attachment).reason


@signing_tools
def test_a_package_sealed_by_an_untrusted_self_signed_key_is_refused(justice):
    forged = sealed_by(self_signed_signer(), edxml.build(a_document_package()))
    assert edxml.parse(forged) == a_document_package()  # well-formed: only the seal is wrong
    refused = verify_refusal(forged)
    assert refused.reason == ("The package's signature is not from a certificate issued by a certification authority "
                              "we trust.")
    assert refused.package_id == "pkg-0001"


@signing_tools
def test_a_package_sealed_with_a_revoked_certificate_is_refused(registered):
    from pyhanko.sign import signers as ph_signers

    signer = ph_signers.SimpleSigner.load(str(registered.key_path("revoked-official")),
                                          str(registered.cert_path("revoked-official")),
                                          ca_chain_files=[str(registered.cert_path("interm"))])
    sealed = sealed_by(signer, edxml.build(a_status_package()))
    assert verify_refusal(sealed).reason == "The certificate that signed the package has been revoked."


def test_an_unsigned_package_is_refused_by_verify():
    assert verify_refusal(edxml.build(a_status_package())).reason == "The package is not signed."


def test_a_signature_that_is_not_cms_is_refused():
    data = edited(edxml.build(a_status_package(), dialect="edoc"), lambda root: setattr(
        etree.SubElement(root, f"{{{EDOC}}}Signature"), "text", base64.b64encode(b"not a CMS").decode()))
    assert verify_refusal(data).reason == "The package's signature cannot be read."


@signing_tools
def test_a_signed_pdf_attachment_is_verified_and_a_tampered_one_refused(justice):
    from signing import pades, signers
    from signing.models import Certificate
    from tests.test_signing import a_document

    seal = Certificate.objects.get(kind="seal", agency=justice)
    pdf = pades.sign(a_document(), signer=signers.for_signing_key(seal.key), field_name="DauCoQuan")
    good = a_document_package(attachments=[Attachment("15-STP-VP.pdf", pdf)])
    edxml.verify_pdf_attachments(edxml.parse(edxml.build(good)))  # no exception: it holds
    tampered = flipped(pdf, b"stream", 40)
    package = edxml.parse(edxml.build(a_document_package(attachments=[Attachment("15-STP-VP.pdf", tampered)])))
    with pytest.raises(Refused) as caught:
        edxml.verify_pdf_attachments(package)
    assert caught.value.reason.startswith("The signed attachment 15-STP-VP.pdf does not verify: ")
    assert caught.value.sender == JUSTICE
    edxml.verify_pdf_attachments(a_document_package())  # unsigned PDFs and other files pass
