"""The authority printed above the signature (Decree 30/2020/NĐ-CP art. 13, Appendix I section II.8):
TM. for a collective body, KT. for a deputy, Q. for an acting head, TL./TUQ. for the head of a unit
under a delegation; never a placeholder such as "Thủ trưởng cơ quan" on a signed result."""

import datetime as dt
import subprocess

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from directory.authority import authority_block, collective_name
from directory.demo import DEMO_PASSWORD
from directory.models import Delegation, Role
from dossiers import results
from signing.models import Certificate
from tests.factories import make_official
from tests.test_signing_flow import _one_confirmation_per_user  # noqa: F401  (autouse: a fresh confirmation per test)

KT, Q, TL, TUQ = Delegation.Kind.DEPUTY, Delegation.Kind.ACTING, Delegation.Kind.BY_ORDER, Delegation.Kind.AUTHORISED
# A Monday morning in Vietnam; delegations run for the week.
MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def ward(demo):
    """Đức Xuân ward's People's Committee, governed collectively (its chairman signs "TM.")."""
    agency = demo.agencies["01840"]
    agency.collective = True
    agency.save(update_fields=["collective"])
    return agency


@pytest.fixture
def department(demo):
    agency = demo.agencies["STP"]
    agency.collective = False
    agency.save(update_fields=["collective"])
    return agency


def delegate(agency, principal, deputy, kind, *, days=5):
    return Delegation.objects.create(agency=agency, principal=principal, deputy=deputy, kind=kind, starts_at=MONDAY,
                                     ends_at=MONDAY + dt.timedelta(days=days), created_by=principal)


def lines(signer, agency, at=MONDAY + dt.timedelta(hours=2)):
    return authority_block(signer=signer, agency=agency, at=at).lines


def test_the_chairman_of_a_peoples_committee_signs_on_behalf_of_the_committee(demo, ward):
    assert collective_name(ward) == "ỦY BAN NHÂN DÂN"  # the place is in the heading already
    assert lines(demo.users["chutich.ducxuan"], ward) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")


def test_a_vice_chairman_signs_for_the_chairman_on_behalf_of_the_committee(demo, ward):
    vice = make_official("phochutich.ducxuan", agency=ward, position="Phó Chủ tịch", roles=[Role.AGENCY_LEADER])
    assert lines(vice, ward) == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def test_the_director_of_a_department_signs_with_their_title(demo, department):
    assert lines(demo.users["giamdoc.stp"], department) == ("GIÁM ĐỐC",)


def test_a_deputy_director_signs_for_the_director(demo, department):
    deputy = make_official("phogiamdoc.stp", agency=department, position="Phó Giám đốc", roles=[Role.AGENCY_LEADER])
    assert lines(deputy, department) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    # The same under a standing KT. delegation while the director is away.
    delegation = delegate(department, demo.users["giamdoc.stp"], deputy, KT)
    block = authority_block(signer=deputy, agency=department, at=MONDAY + dt.timedelta(hours=2))
    assert block.lines == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC") and block.delegation_id == delegation.pk


def test_an_acting_director_signs_q_only_while_the_delegation_runs(demo, department):
    deputy = make_official("phogiamdoc.stp", agency=department, position="Phó Giám đốc", roles=[Role.AGENCY_LEADER])
    delegate(department, demo.users["giamdoc.stp"], deputy, Q, days=5)
    assert lines(deputy, department) == ("Q. GIÁM ĐỐC",)
    # Before Monday 09:00 and from Saturday 09:00 (five days later) the deputy signs as a deputy again.
    assert lines(deputy, department, at=MONDAY - dt.timedelta(minutes=1)) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert lines(deputy, department, at=MONDAY + dt.timedelta(days=5)) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


def test_an_acting_chairman_still_signs_on_behalf_of_the_committee(demo, ward):
    vice = make_official("phochutich.ducxuan", agency=ward, position="Phó Chủ tịch", roles=[Role.AGENCY_LEADER])
    delegate(ward, demo.users["chutich.ducxuan"], vice, Q)
    assert lines(vice, ward) == ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH")


def test_a_revoked_delegation_prints_nothing_of_it(demo, department):
    deputy = make_official("phogiamdoc.stp", agency=department, position="Phó Giám đốc", roles=[Role.AGENCY_LEADER])
    delegation = delegate(department, demo.users["giamdoc.stp"], deputy, Q)
    delegation.revoked_at = MONDAY + dt.timedelta(hours=1)
    delegation.save()
    assert lines(deputy, department) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")


def test_the_head_of_office_signs_by_order_of_the_director(demo, department):
    office = demo.units[("STP", "Văn phòng Sở")]
    chief = make_official("chanhvanphong.stp", agency=department, unit=office, position="Chánh Văn phòng",
                          roles=[Role.UNIT_HEAD])
    delegate(department, demo.users["giamdoc.stp"], chief, TL)
    assert lines(chief, department) == ("TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG")


def test_the_head_of_a_unit_signs_authorised_by_the_director_with_the_units_name(demo, department):
    delegate(department, demo.users["giamdoc.stp"], demo.users["truongphong.stp"], TUQ)
    assert lines(demo.users["truongphong.stp"], department) == ("TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG HÀNH CHÍNH TƯ PHÁP")


def test_by_order_of_a_chairman_is_not_on_behalf_of_the_committee(demo, ward):
    office = demo.units[("01840", "Văn phòng - Thống kê")]
    chief = make_official("chanhvanphong.ducxuan", agency=ward, unit=office, position="Chánh Văn phòng",
                          roles=[Role.UNIT_HEAD])
    delegate(ward, demo.users["chutich.ducxuan"], chief, TL)
    assert lines(chief, ward) == ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")


# --- printed on the signed result -----------------------------------------------------------------

def pdf_text(record) -> str:
    with record.file.open("rb") as handle:
        body = handle.read()
    return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


def just_above_the_signature(record, word: str) -> bool:
    """The last words containing ``word`` end within a line above the official's signature box,
    inside its width (PDF points, origin bottom-left)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    from signing import placement
    from signing.services import RESULT_FIELD

    with record.file.open("rb") as handle:
        body = handle.read()
    field = next(ref.get_object() for ref in PdfFileReader(io.BytesIO(body)).root["/AcroForm"]["/Fields"]
                 if str(ref.get_object().get("/T")) == RESULT_FIELD)
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    found = [(height - bottom, left, right) for _page, _width, height, words in placement.words(body)
             for left, _top, right, bottom, text in words if word in text]
    bottom, left, right = found[-1]
    return 0 <= bottom - y2 <= 20 and x1 - 25 <= left and right <= x2 + 25


@pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil", "pdftotext")
def test_the_acting_director_signs_the_result_and_q_is_printed_above_the_signature(registered, demo, department,
                                                                                  nss_db, tmp_path):
    from tests.test_signing import assert_pdfsig_valid
    from tests.test_signing_flow import STP, approved_at, confirmed

    director = demo.users["giamdoc.stp"]
    deputy = make_official("phogiamdoc.stp", agency=department, position="Phó Giám đốc", roles=[])
    deputy.set_password(DEMO_PASSWORD)
    deputy.save()
    TOTPDevice.objects.create(user=deputy, name="Điện thoại", confirmed=True)
    Certificate.objects.filter(holder=director).update(holder=deputy)  # the test PKI has two personal keys
    dossier = approved_at(demo, STP)
    assert not results.may_sign(deputy, dossier)  # no leader's role of their own: nothing before the delegation
    now = timezone.now()
    delegation = Delegation.objects.create(agency=department, principal=director, deputy=deputy, kind=Q,
                                           starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(days=3))
    deputy = type(deputy).objects.get(pk=deputy.pk)  # a fresh object: scope is computed once per request
    assert results.may_sign(deputy, dossier)

    signed = results.sign_current_result(dossier=dossier, acting_user=deputy, confirmation=confirmed(deputy))
    text = pdf_text(signed)
    assert "Q. GIÁM ĐỐC" in text and "THỦ TRƯỞNG" not in text and "PHÓ GIÁM ĐỐC" not in text
    assert just_above_the_signature(signed, "Q. GIÁM ĐỐC")
    with signed.file.open("rb") as handle:
        assert_pdfsig_valid(handle.read(), nss_db, tmp_path, 1)  # the authority is under the signature
    signature = [e.summary for e in AuditEntry.objects.filter(object_type="signing.signaturerecord")
                 if e.summary.get("event") == "signed"]
    assert signature == [{**signature[0], "authority": "Q. GIÁM ĐỐC", "delegation": delegation.pk}]


@pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil", "pdftotext")
def test_the_chairman_signs_on_behalf_of_the_committee_on_the_result(registered, demo, ward):
    from tests.test_signing_flow import DUCXUAN, approved_at, confirmed

    chairman = demo.users["chutich.ducxuan"]
    dossier = approved_at(demo, DUCXUAN)
    signed = results.sign_current_result(dossier=dossier, acting_user=chairman, confirmation=confirmed(chairman))
    text = pdf_text(signed)
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text and "THỦ TRƯỞNG" not in text
    assert just_above_the_signature(signed, "CHỦ TỊCH")  # the signature right under the authority
