"""Admin pages of the working calendar, certificates and notification deliveries follow the
directory scope (directory.scope, MANAGE), not Django's model permissions that nobody is granted:
the province administrator manages them, an agency administrator sees only their agency's
certificates, other officials see none of it."""

import datetime as dt

import pytest
from django.utils import timezone

from signing.models import Certificate, CertificateKind, SignatureRecord, SigningKey
from workdays.models import CalendarOverride

OVERRIDES = "/admin/workdays/calendaroverride/"
CERTIFICATES = "/admin/signing/certificate/"
DELIVERIES = "/admin/notifications/delivery/"


def _certificate(name: str, *, holder=None, agency=None) -> Certificate:
    now = timezone.now()
    certificate = Certificate.objects.create(
        kind=CertificateKind.PERSONAL if holder else CertificateKind.SEAL, holder=holder, agency=agency,
        subject=f"CN={name}", common_name=name, issuer="CN=CA thử nghiệm", serial=name,
        fingerprint=name.encode().hex().ljust(64, "0")[:64], not_before=now - dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=365), der=b"0",
    )
    SigningKey.objects.create(certificate=certificate, token_label="egov-signing", key_label=name)
    return certificate


@pytest.fixture
def certificates(demo):
    return {
        "seal.stp": _certificate("Dấu Sở Tư pháp", agency=demo.agencies["STP"]),
        "giamdoc.stp": _certificate("Hà Văn Thắng", holder=demo.users["giamdoc.stp"]),
        "seal.sxd": _certificate("Dấu Sở Xây dựng", agency=demo.agencies["SXD"]),
        "giamdoc.sxd": _certificate("Lục Văn Quang", holder=demo.users["giamdoc.sxd"]),
    }


def _refused(response) -> bool:
    return response.status_code in (302, 403, 404)


# --- the working calendar (province-wide) ---------------------------------------------------

def test_province_admin_lists_and_adds_a_calendar_override(sign_in):
    client = sign_in("quantri.tinh")
    assert client.get(OVERRIDES).status_code == 200
    assert client.get(f"{OVERRIDES}add/").status_code == 200
    response = client.post(f"{OVERRIDES}add/", {
        "date": "2027-01-09", "kind": CalendarOverride.Kind.WORKING_DAY, "name": "Làm bù cho ngày 4/1/2027",
        "basis": "Quyết định số 12/QĐ-UBND"})
    assert response.status_code == 302, response.content.decode()[:2000]
    override = CalendarOverride.objects.get(date=dt.date(2027, 1, 9))
    assert client.get(f"{OVERRIDES}{override.pk}/change/").status_code == 200
    assert "Làm bù cho ngày 4/1/2027" in client.get(OVERRIDES).content.decode()


@pytest.mark.parametrize("username", ["quantri.stp", "giamdoc.stp", "motcua.stp"])
def test_only_the_province_keeps_the_calendar(sign_in, username):
    client = sign_in(username)
    assert _refused(client.get(OVERRIDES))
    assert _refused(client.get(f"{OVERRIDES}add/"))


# --- certificates -------------------------------------------------------------------------

def test_province_admin_sees_and_edits_every_certificate(sign_in, certificates):
    client = sign_in("quantri.tinh")
    page = client.get(CERTIFICATES).content.decode()
    for certificate in certificates.values():
        assert certificate.common_name in page
    seal = certificates["seal.sxd"]
    assert client.get(f"{CERTIFICATES}{seal.pk}/change/").status_code == 200


def test_agency_admin_sees_only_their_agencys_certificates(sign_in, certificates):
    client = sign_in("quantri.stp")
    page = client.get(CERTIFICATES)
    assert page.status_code == 200
    listed = page.content.decode()
    assert "Dấu Sở Tư pháp" in listed and "Hà Văn Thắng" in listed
    assert "Dấu Sở Xây dựng" not in listed and "Lục Văn Quang" not in listed
    assert client.get(f"{CERTIFICATES}{certificates['seal.stp'].pk}/change/").status_code == 200
    assert client.get(f"{CERTIFICATES}{certificates['giamdoc.stp'].pk}/change/").status_code == 200
    for other in ("seal.sxd", "giamdoc.sxd"):
        assert _refused(client.get(f"{CERTIFICATES}{certificates[other].pk}/change/"))


def test_agency_admin_suspends_their_agencys_certificate_but_not_anothers(sign_in, certificates):
    client = sign_in("quantri.stp")
    own, other = certificates["seal.stp"], certificates["seal.sxd"]
    form = {"status": "suspended", "revoked_at_0": "", "revoked_at_1": "",
            "key-TOTAL_FORMS": "1", "key-INITIAL_FORMS": "1", "key-MIN_NUM_FORMS": "0", "key-MAX_NUM_FORMS": "1",
            "key-0-id": own.key.pk, "key-0-certificate": own.pk, "key-0-token_label": "egov-signing",
            "key-0-key_label": own.common_name, "key-0-active": "on"}
    response = client.post(f"{CERTIFICATES}{own.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    own.refresh_from_db()
    assert own.status == "suspended"
    assert _refused(client.post(f"{CERTIFICATES}{other.pk}/change/", {**form, "key-0-id": other.key.pk}))
    other.refresh_from_db()
    assert other.status == "valid"


@pytest.mark.parametrize("username", ["motcua.stp", "giamdoc.stp", "chuyenvien.stp"])
def test_officials_without_a_directory_role_see_no_certificates(sign_in, certificates, username):
    client = sign_in(username)
    assert _refused(client.get(CERTIFICATES))
    assert _refused(client.get(f"{CERTIFICATES}{certificates['seal.stp'].pk}/change/"))


def test_signatures_made_are_read_only_for_the_province(sign_in, certificates, demo):
    SignatureRecord.objects.create(certificate=certificates["giamdoc.stp"], signer=demo.users["giamdoc.stp"],
                                   kind=CertificateKind.PERSONAL, field_name="Signature1",
                                   input_sha256="0" * 64, output_sha256="1" * 64)
    client = sign_in("quantri.tinh")
    assert client.get("/admin/signing/signaturerecord/").status_code == 200
    assert client.get("/admin/signing/batchsigning/").status_code == 200
    assert _refused(client.get("/admin/signing/signaturerecord/add/"))
    assert _refused(sign_in("quantri.stp").get("/admin/signing/signaturerecord/"))


# --- notification deliveries ------------------------------------------------------------------

def test_province_admin_follows_deliveries_that_others_cannot_see(sign_in):
    assert sign_in("quantri.tinh").get(DELIVERIES).status_code == 200
    assert _refused(sign_in("quantri.stp").get(DELIVERIES))
    assert _refused(sign_in("motcua.stp").get(DELIVERIES))
