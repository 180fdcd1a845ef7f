"""Signing and issuing an outgoing document (Decree 30/2020/NĐ-CP art. 15): the director signs the
approved version under the authority he signs with, the clerk issues it with the register's next
number and the agency's seal; poppler's pdfsig finds both signatures valid; the QR link names it."""

import hashlib
import subprocess

import pytest
from django.core.exceptions import PermissionDenied

from documents import issuance
from documents.models import FileKind, Status
from documents.published import issued_document
from signing.published import first_of
from tests.documents.outgoing_helpers import approved, draft
from tests.test_signing import assert_pdfsig_valid, confirm
from tests.test_signing_flow import with_totp

pytestmark = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil", "pdftotext")
_confirmations: dict = {}


@pytest.fixture(autouse=True)
def _fresh_confirmations():
    _confirmations.clear()  # the cache holding them is emptied for every test


def confirmed(user):
    """``user``'s confirmation, made once per test (a one-time code is accepted once per step)."""
    if user.pk not in _confirmations:
        _confirmations[user.pk] = confirm(user)
    return _confirmations[user.pk]


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def signed(demo, **kwargs):
    document = approved(demo, **kwargs)
    director = demo.users["giamdoc.stp"]
    with_totp(director)
    issuance.sign(document, director, confirmed(director), revision=document.revision)
    document.refresh_from_db()
    return document


def issued(demo, document):
    clerk = demo.users["vanthu.stp"]
    with_totp(clerk)
    record = issuance.issue(document, clerk, confirmed(clerk))
    document.refresh_from_db()
    return record


def test_signed_and_issued_the_document_carries_its_number_and_both_signatures_verify(
        registered, outgoing, nss_db, tmp_path):
    document = signed(outgoing)
    assert (document.status, document.signer_name) == (Status.SIGNED, "Hà Văn Thắng")
    record = issued(outgoing, document)
    assert document.status == Status.ISSUED
    assert (document.number_symbol, document.register_number) == ("01/QĐ-STP", 1)
    assert record.kind == FileKind.ISSUED
    pdf = record.file.read()
    assert_pdfsig_valid(pdf, nss_db, tmp_path, 2)
    text = pdf_text(pdf)
    assert "01/QĐ-STP" in text and "GIÁM ĐỐC" in text and "Hà Văn Thắng" in text
    # Every version is kept: the draft, the signed one, the issued one.
    assert sorted(document.files.values_list("kind", flat=True)) == sorted(
        [FileKind.DRAFT, FileKind.SIGNED, FileKind.ISSUED])


def test_the_next_document_of_the_type_takes_the_next_number_and_other_types_their_own(registered, outgoing):
    first = signed(outgoing)
    issued(outgoing, first)
    second, plan = signed(outgoing), signed(outgoing, type_="KH", abstract="Kế hoạch cải cách hành chính")
    issued(outgoing, second)
    issued(outgoing, plan)
    assert (second.number_symbol, plan.number_symbol) == ("02/QĐ-STP", "01/KH-STP")


def test_only_the_leader_signs_and_only_the_clerk_issues(registered, outgoing):
    users = outgoing.users
    document = approved(outgoing)
    for user in (users["truongphong.stp"], users["vanthu.stp"]):
        with_totp(user)
        with pytest.raises(PermissionDenied):
            issuance.sign(document, user, confirmed(user))
    document = signed(outgoing)
    director = users["giamdoc.stp"]
    with pytest.raises(PermissionDenied):
        issuance.issue(document, director, confirmed(director))
    assert document.files.filter(kind=FileKind.ISSUED).count() == 0


def test_the_qr_link_names_the_issued_document_and_never_a_classified_one(registered, outgoing):
    document = signed(outgoing)
    draft_hash = document.files.get(kind=FileKind.DRAFT).sha256
    assert issued_document(draft_hash) is None  # signed, not issued yet: not a document of the agency
    issued(outgoing, document)
    found = first_of(lambda sha: None, issued_document)(draft_hash)
    assert found is not None and found.number == "01/QĐ-STP" and found.agency == "Sở Tư pháp"
    secret = signed(outgoing, confidentiality="secret", abstract="ban hành quy chế bảo vệ bí mật")
    issued(outgoing, secret)
    assert secret.number_symbol == "01/QĐ-STP"  # numbered in the classified register
    assert issued_document(secret.files.get(kind=FileKind.DRAFT).sha256) is None
    assert issued_document(hashlib.sha256(b"nothing").hexdigest()) is None


def test_a_draft_not_approved_cannot_be_signed(registered, outgoing):
    director = outgoing.users["giamdoc.stp"]
    with_totp(director)
    with pytest.raises(PermissionDenied):
        issuance.sign(draft(outgoing), director, confirmed(director))
