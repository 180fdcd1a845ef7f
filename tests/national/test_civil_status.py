"""The civil-status adapter against its simulator: the LGSP envelope, the answer codes, a birth
registration counted once, and a refusal written on the dossier's history."""

import datetime as dt

import pytest
from django.utils import timezone

from national import base, civil_status, outbound
from national.models import OutboundItem
from nationalsync import civil
from tests.dossier_scenarios import birth_procedure, submitted
from tests.national.sims import serving

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(tmp_path, settings):
    with serving("civil_status", tmp_path, settings) as sim:
        yield sim


def birth(code: str = "000.00.60.H55-261201-0001", agency: str = "000.00.60.H55", **fields) -> dict:
    values = {"SoDangKy": "12/2026", "NgayDangKy": "2026-12-01", "HoTen": "Hoàng Gia Bảo", "NgaySinh": "2026-11-28",
              "GioiTinh": "Nam", "NoiSinh": "Bệnh viện Đa khoa tỉnh", "NguoiYeuCau": "Lục Thị Mai", **fields}
    return civil_status.envelope(agency_code=agency, module=civil_status.BIRTH, dossier_code=code,
                                 received_on="2026-12-01", data=civil_status.birth_message(values))


def test_a_birth_registration_is_recorded_once(registry):
    first = civil_status.register(birth(), key="a")
    again = civil_status.register(birth(), key="b")  # the same dossier sent again, under another key
    assert first["status"] == 1 and first["soDinhDanhHoTich"] == again["soDinhDanhHoTich"]


@pytest.mark.parametrize(("envelope", "code"), [
    (birth(agency="sai mã"), "106"),
    (birth(HoTen=""), "500"),
    ({**birth(), "data": "<KhaiSinh><HoTen>"}, "500"),
    ({**birth(), "module": "KetHon"}, "500"),
])
def test_the_database_refuses_with_the_lgsp_error_codes(registry, envelope, code):
    with pytest.raises(base.Refused) as caught:
        civil_status.register(envelope, key=f"k-{code}")
    assert caught.value.code == code


def test_a_wrong_token_is_error_100(registry, settings):
    settings.NATIONAL_SYSTEMS = {**settings.NATIONAL_SYSTEMS, "civil_status": {"url": registry.url, "token": "x"}}
    with pytest.raises(base.Refused) as caught:
        civil_status.register(birth(), key="k")
    assert caught.value.code == "100"


def test_a_refusal_is_written_on_the_dossiers_history_and_not_sent_again(demo, registry):
    dossier = submitted(demo, birth_procedure(demo, code="1.001193"))
    outbound.enqueue(system="civil_status", kind=civil.KIND, reference=dossier.code, idempotency_key="birth-x",
                     payload=birth(code=dossier.code, HoTen=""))
    later = timezone.now() + dt.timedelta(days=1)
    assert outbound.deliver_due(now=later)["refused"] == 1
    item = OutboundItem.objects.get(idempotency_key="birth-x")
    assert (item.state, item.response["code"]) == ("failed", "500")
    note = dossier.events.get(internal=True).note
    assert "500" in note
    assert outbound.deliver_due(now=later)["refused"] == 0  # refused stays refused until retried


def test_the_same_message_enqueued_twice_is_kept_once(demo):
    dossier = submitted(demo, birth_procedure(demo, code="1.001193"))
    for _ in range(2):
        outbound.enqueue(system="civil_status", kind=civil.KIND, reference=dossier.code, idempotency_key="same",
                         payload=birth(code=dossier.code))
    assert OutboundItem.objects.filter(idempotency_key="same").count() == 1


def test_only_birth_registrations_go_to_the_civil_status_database(demo, settings):
    settings.NATIONAL_BIRTH_PROCEDURES = ["1.001193"]
    other = submitted(demo, birth_procedure(demo, code="9.000700"))
    result = other.files.first()
    result.issue_number = "1/2026"
    civil.result_issued(result)
    assert not OutboundItem.objects.filter(system="civil_status").exists()
