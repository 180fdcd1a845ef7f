"""The national population database: look-up with consent and audit, the e-form filled in from it,
the identity check at intake (a mismatch shown field by field; the database down, intake goes on
and the check is made when it answers again). Against the simulator run as a real process."""

import json
import logging
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from directory.models import OrgUnit
from dossiers import services
from dossiers.models import Dossier
from dossiers.states import Status
from national import population
from national.identity import run_pending
from national.models import IdentityCheck, LookupPurpose, PopulationConsent, RegistryLookup
from notifications.models import Notification
from tests import national_sim
from tests.factories import BIRTH_SCHEMA, BIRTH_VALUES, make_procedure, pdf_file, png_file
from tests.national.sims import serving

OWN = "006190001234"  # the demo citizen's number; the registry has another house for her
OTHER = "019085000101"  # Hoàng Văn Thắng, Thôn Nà Pẻn, xã Chợ Rã
QUEUE = "/workspace/dossiers/"
SCHEMA = {
    **BIRTH_SCHEMA,
    "properties": {**BIRTH_SCHEMA["properties"],
                   "requester_birth_date": {"type": "string", "format": "date", "title": "Ngày sinh người yêu cầu"}},
    "x-population": {"requester_birth_date": "date_of_birth"},
}


@pytest.fixture
def registry(settings, tmp_path):
    with serving("population", tmp_path, settings) as sim:
        yield sim


@pytest.fixture
def birth(demo):
    return make_procedure(agencies=[demo.agencies["01840"]], schema=SCHEMA)


@pytest.fixture
def citizen(demo):
    return demo.users["congdan@example.vn"]


def _accesses(sim) -> list[dict]:
    import requests

    answer = requests.get(sim.url + "/accesses", headers={"Authorization": f"Bearer {sim.secret}"}, timeout=5)
    return answer.json()["accesses"]


def _draft(birth, citizen, demo) -> Dossier:
    return services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])


# --- Filling in the e-form ------------------------------------------------------------------

def test_the_look_up_fills_in_the_e_form_and_the_dossier_records_where_the_data_came_from(
        registry, birth, citizen, demo, sign_in):
    dossier = _draft(birth, citizen, demo)
    client = sign_in("congdan@example.vn")
    page = client.get(f"/dossiers/my/{dossier.pk}/edit/").content.decode()
    assert "Lấy thông tin từ Cơ sở dữ liệu quốc gia về dân cư" in page and f'value="{OWN}"' in page

    response = client.post(f"/dossiers/my/{dossier.pk}/population/", {"id_number": OWN, "consent": "yes"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Nguyễn Thị Hồng"
    assert dossier.applicant_address == "Tổ 7, phường Đức Xuân, tỉnh Thái Nguyên"  # the registry's, not the account's
    assert dossier.form_data["requester_birth_date"] == "1990-03-15"
    assert dossier.form_data["requester_name"] == "Nguyễn Thị Hồng"
    page = client.get(f"/dossiers/my/{dossier.pk}/edit/").content.decode()
    assert "được điền từ cơ sở dữ liệu quốc gia" in page
    assert 'value="Tổ 7, phường Đức Xuân, tỉnh Thái Nguyên"' in page
    lookup = population.source_of(dossier)
    assert lookup is not None and {"applicant_address", "requester_birth_date"} <= set(lookup.filled)


def test_consent_and_audit_are_recorded_and_the_number_is_never_in_clear(registry, birth, citizen, demo, sign_in,
                                                                         caplog):
    dossier = _draft(birth, citizen, demo)
    client = sign_in("congdan@example.vn")
    with caplog.at_level(logging.DEBUG):
        client.post(f"/dossiers/my/{dossier.pk}/population/", {"id_number": OWN, "consent": "yes"})
    consent = PopulationConsent.objects.get()
    assert consent.subject == citizen and consent.purpose == LookupPurpose.PREFILL and consent.dossier == dossier
    assert consent.form == birth.current.name and "Cơ sở dữ liệu quốc gia về dân cư" in consent.wording
    lookup = RegistryLookup.objects.get()
    assert lookup.actor == citizen and lookup.consent == consent and lookup.outcome == "found"
    assert lookup.id_masked == "006*******34"
    entry = AuditEntry.objects.filter(action="read", object_type="national.registrylookup").get()
    assert entry.actor_id == citizen.pk and entry.summary["purpose"] == "prefill"
    assert entry.summary["consent"] == consent.reference
    # The registry was told why and under which consent.
    [access] = _accesses(registry)
    assert access["purpose"] == "prefill" and access["consent"] == consent.reference
    stored = json.dumps([list(AuditEntry.objects.values("summary")),
                         list(RegistryLookup.objects.values("id_hash", "id_masked", "reason")),
                         list(PopulationConsent.objects.values("id_hash", "id_masked"))], default=str)
    assert OWN not in stored
    assert all(OWN not in record.getMessage() and OWN not in str(record.__dict__) for record in caplog.records)


def test_without_consent_nothing_is_looked_up(registry, birth, citizen, demo, sign_in):
    dossier = _draft(birth, citizen, demo)
    response = sign_in("congdan@example.vn").post(f"/dossiers/my/{dossier.pk}/population/", {"id_number": OWN},
                                                   follow=True)
    assert "Đánh dấu vào ô đồng ý" in response.content.decode()
    assert not RegistryLookup.objects.exists() and not PopulationConsent.objects.exists()
    assert _accesses(registry) == []


def test_another_citizens_number_is_refused(registry, birth, citizen, demo, sign_in):
    dossier = _draft(birth, citizen, demo)
    before = Dossier.objects.get(pk=dossier.pk).applicant_address
    response = sign_in("congdan@example.vn").post(f"/dossiers/my/{dossier.pk}/population/",
                                                   {"id_number": OTHER, "consent": "yes"}, follow=True)
    assert "chỉ có thể tra cứu số định danh cá nhân của chính mình" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).applicant_address == before
    assert list(RegistryLookup.objects.values_list("outcome", flat=True)) == ["refused"]
    assert not PopulationConsent.objects.exists()
    assert _accesses(registry) == []  # the registry was never asked
    with pytest.raises(PermissionDenied):
        population.look_up_own(user=demo.users["doanhnghiep@example.vn"], number=OWN, consented=True)


def test_someone_elses_draft_cannot_be_filled_in(registry, birth, citizen, demo, sign_in):
    dossier = _draft(birth, citizen, demo)
    response = sign_in("doanhnghiep@example.vn").post(f"/dossiers/my/{dossier.pk}/population/",
                                                       {"id_number": OWN, "consent": "yes"})
    assert response.status_code == 404
    assert not RegistryLookup.objects.exists()


def test_the_button_is_offered_only_to_an_account_with_its_own_number(registry, birth, demo, sign_in):
    business = demo.users["doanhnghiep@example.vn"]  # no personal identification number on the account
    dossier = services.start_draft(applicant=business, procedure=birth, agency=demo.agencies["01840"])
    page = sign_in("doanhnghiep@example.vn").get(f"/dossiers/my/{dossier.pk}/edit/").content.decode()
    assert "Lấy thông tin từ Cơ sở dữ liệu quốc gia về dân cư" not in page
    assert not population.may_look_up(business, "")


def test_an_officials_look_up_needs_a_reason(registry, demo):
    officer = demo.users["motcua.ducxuan"]
    with pytest.raises(ValidationError):
        population.look_up_as_official(officer=officer, number=OTHER, reason="  ")
    assert _accesses(registry) == []
    person, lookup = population.look_up_as_official(officer=officer, number=OTHER, reason="Kiểm tra hồ sơ tại quầy")
    assert person.full_name == "Hoàng Văn Thắng" and person.ethnicity == "Tày"
    assert lookup.reason == "Kiểm tra hồ sơ tại quầy"
    with pytest.raises(PermissionDenied):
        population.look_up_as_official(officer=demo.users["congdan@example.vn"], number=OTHER, reason="tò mò thôi")


def test_an_unknown_number_is_a_clear_not_found(registry, demo):
    with pytest.raises(population.NotFound) as error:
        population.look_up_as_official(officer=demo.users["motcua.ducxuan"], number="019999000000",
                                       reason="Kiểm tra hồ sơ tại quầy")
    assert "không có" in error.value.message
    assert RegistryLookup.objects.get().outcome == "not_found"


# --- The identity check at intake -----------------------------------------------------------

def _counter(birth, demo, sign_in, *, consent=True, **contact):
    papers = list(birth.current.papers.all())
    data = {"applicant_name": "Nguyễn Thị Hồng", "applicant_id_number": OWN, "applicant_phone": "0912345678",
            "applicant_email": "", "applicant_address": "Tổ 1, phường Đức Xuân",
            **{f"eform-{k}": v for k, v in BIRTH_VALUES.items()},
            f"paper_{papers[0].pk}": pdf_file(), f"paper_{papers[1].pk}": png_file(), **contact}
    if consent:
        data["identity-consent"] = "on"
    data["unit"] = OrgUnit.objects.get(agency=demo.agencies["01840"], name="Tư pháp - Hộ tịch").pk
    desk = sign_in("motcua.ducxuan")
    response = desk.post(f"{QUEUE}counter/{demo.agencies['01840'].pk}/{birth.pk}/", data)
    assert response.status_code == 302, re.findall(r"(?:alert|danger)[^<]*<[^>]*>[^<]*(?:<[^>]*>[^<]*){0,3}", response.content.decode())
    return desk, response.url, Dossier.objects.exclude(status=Status.DRAFT).latest("submitted_at")


def test_a_mismatch_is_shown_at_intake_field_by_field(registry, birth, demo, sign_in):
    desk, done_url, dossier = _counter(birth, demo, sign_in)
    assert dossier.status == Status.IN_PROGRESS
    page = desk.get(done_url).content.decode()
    assert "Có thông tin khác với Cơ sở dữ liệu quốc gia về dân cư" in page
    assert "<th scope=\"row\">Địa chỉ thường trú</th><td>Tổ 1, phường Đức Xuân</td>" \
           "<td>Tổ 7, phường Đức Xuân, tỉnh Thái Nguyên</td>" in page
    assert "<th scope=\"row\">Họ, chữ đệm và tên</th>" not in page  # the name matches: not listed
    check = IdentityCheck.objects.get(dossier=dossier)
    assert check.state == "mismatch" and check.consent.confirmed_by == demo.users["motcua.ducxuan"]
    assert "Tổ 7, phường Đức Xuân" in desk.get(f"{QUEUE}{dossier.pk}/").content.decode()


def test_matching_details_are_shown_as_matching(registry, birth, demo, sign_in):
    desk, done_url, dossier = _counter(birth, demo, sign_in, applicant_name="Hoàng Văn Thắng",
                                       applicant_id_number=OTHER,
                                       applicant_address="Thôn Nà Pẻn,  xã Chợ Rã, tỉnh Thái Nguyên")
    assert IdentityCheck.objects.get(dossier=dossier).state == "match"
    assert "Thông tin đã khai khớp với Cơ sở dữ liệu quốc gia về dân cư" in desk.get(done_url).content.decode()


def test_without_the_applicants_consent_no_check_is_made(registry, birth, demo, sign_in):
    _desk, _url, dossier = _counter(birth, demo, sign_in, consent=False)
    assert dossier.status == Status.IN_PROGRESS
    assert not IdentityCheck.objects.exists() and _accesses(registry) == []


def test_intake_goes_on_while_the_database_is_down_and_the_check_is_made_when_it_returns(
        registry, birth, demo, sign_in, settings, django_capture_on_commit_callbacks):
    port = int(registry.url.rsplit(":", 1)[1])
    registry.stop()
    desk, done_url, dossier = _counter(birth, demo, sign_in)
    assert dossier.status == Status.IN_PROGRESS and dossier.code  # taken in and accepted all the same
    check = IdentityCheck.objects.get(dossier=dossier)
    assert check.state == "pending" and check.attempts == 1
    assert "Đang chờ đối chiếu" in desk.get(done_url).content.decode()
    assert run_pending()["pending"] == 1  # still down: still waiting

    back = national_sim.start("population", registry.data, port=port, secret=registry.secret)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert run_pending() == {"mismatch": 1}
    finally:
        back.stop()
    check.refresh_from_db()
    assert check.state == "mismatch" and check.checked_at is not None
    assert "Tổ 7, phường Đức Xuân, tỉnh Thái Nguyên" in desk.get(f"{QUEUE}{dossier.pk}/").content.decode()
    notice = Notification.objects.get(user=demo.users["motcua.ducxuan"], key=f"identity-check:{check.pk}")
    assert dossier.code in notice.title
    assert run_pending() == {}  # done once
