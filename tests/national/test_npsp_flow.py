"""End to end with the National Public Service Portal and the civil-status database as real
processes: a dossier submitted on the national portal arrives, officials process it, its statuses
and result appear back on the national portal, the birth registration reaches the civil-status
database; with the national portal stopped the work goes on and the queue delivers when it is back,
each message once."""

import datetime as dt
import time

import pytest
import requests
from django.utils import timezone

from dossiers import policy, results, workflow
from dossiers.models import Dossier
from dossiers.states import Status
from national import outbound
from national.models import OutboundItem
from nationalsync import inbound
from nationalsync.models import NationalDossier
from tests.dossier_scenarios import CLERK, DESK, LEADER, SPECIALIST, UNIT, birth_procedure, confirmation
from tests.national.sims import serving
from tests.national_sim import start

pytestmark = pytest.mark.django_db

FIRST, SECOND, UNKNOWN = "G22.99-261201-0001", "G22.99-261201-0002", "G22.99-261201-0003"


@pytest.fixture
def portal(tmp_path, settings):
    with serving("npsp", tmp_path / "npsp", settings, reset_seconds=0.3) as sim:
        yield sim


@pytest.fixture
def civil(tmp_path, settings):
    with serving("civil_status", tmp_path / "civil", settings) as sim:
        yield sim


def seen(sim, path: str) -> dict:
    """What the national side holds, read straight from the simulator."""
    return requests.get(sim.url + path, headers={"Authorization": f"Bearer {sim.secret}"}, timeout=5).json()


def flush() -> dict:
    """The periodic sender, run as if every pause had passed."""
    return outbound.deliver_due(now=timezone.now() + dt.timedelta(days=1))


def taken(code: str) -> Dossier:
    dossier = NationalDossier.objects.get(national_code=code).dossier
    assert dossier is not None
    return dossier


def test_a_dossier_of_the_national_portal_is_processed_and_its_statuses_and_result_go_back(
        demo, registered, portal, civil):
    birth_procedure(demo, code="1.001193")
    report = inbound.fetch()
    assert (report.fetched, report.received, report.refused) == (3, 2, 1)
    flush()
    dossier = taken(FIRST)
    assert (dossier.status, dossier.channel, dossier.applicant_name) == (Status.SUBMITTED, "api", "Lục Thị Mai")
    assert dossier.files.filter(purpose="paper").count() == 2
    acknowledged = seen(portal, f"/api/hoso/{FIRST}")
    assert (acknowledged["tinhTrang"], acknowledged["maHoSoTinh"]) == ("da_tiep_nhan", dossier.code)
    refused = seen(portal, f"/api/hoso/{UNKNOWN}")
    assert refused["tinhTrang"] == "tu_choi" and "9.999999" in refused["lyDo"]
    assert seen(portal, "/api/hoso/moi")["hoSo"] == []  # all answered: nothing new any more

    dossier = workflow.accept(dossier=dossier, acting_user=demo.users[DESK], unit=demo.units[UNIT])
    results.prepare_result(dossier=dossier, acting_user=demo.users[SPECIALIST])
    dossier = workflow.forward(dossier=dossier, acting_user=demo.users[SPECIALIST])
    dossier = workflow.approve(dossier=dossier, acting_user=demo.users[LEADER])
    leader, clerk = demo.users[LEADER], demo.users[CLERK]
    results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=confirmation(leader))
    issued = results.issue_result(dossier=Dossier.objects.get(pk=dossier.pk), acting_user=clerk,
                                  confirmation=confirmation(clerk))
    dossier = Dossier.objects.get(pk=dossier.pk)
    workflow.return_result(dossier=dossier, acting_user=demo.users[DESK],
                           at_counter=policy.result_stage(dossier) != "issued")
    assert flush()["refused"] == 0

    national = seen(portal, f"/api/hoso/{FIRST}")
    assert [s["trangThai"] for s in national["trangThai"]] == [2, 9, 10]  # received, settled, returned
    assert all(s["maHoSoTinh"] == dossier.code for s in national["trangThai"])
    assert [(r["soKetQua"], r["maXacThuc"]) for r in national["ketQua"]] == [(issued.issue_number, issued.sha256)]
    registration = seen(civil, f"/api/hotich/dangky?maHoSo={dossier.code}")["dangKy"]
    assert [(r["maDonVi"], r["duLieu"]["HoTen"], r["duLieu"]["SoDangKy"]) for r in registration] == [
        (dossier.agency.code, "Hoàng Gia Bảo", issued.issue_number)]
    history = [e.note for e in dossier.events.filter(internal=True)]
    assert any(registration[0]["soDinhDanhHoTich"] in note for note in history)
    # The other dossier, never touched, said nothing more than its acknowledgement.
    assert seen(portal, f"/api/hoso/{SECOND}")["trangThai"] == []


def test_the_same_national_dossier_fetched_twice_makes_one_dossier(demo, portal):
    birth_procedure(demo, code="1.001193")
    inbound.fetch()
    again = inbound.fetch()  # the acknowledgements have not reached the portal yet: same dossiers again
    assert again.fetched == 3
    assert Dossier.objects.filter(national__isnull=False).count() == 2
    assert NationalDossier.objects.count() == 3
    assert OutboundItem.objects.filter(kind="acknowledge").count() == 3


def test_a_dossier_added_on_the_portal_for_an_agency_that_does_not_settle_it_is_refused(demo, portal):
    birth_procedure(demo, code="1.001193")
    requests.post(portal.url + "/test/hoso", headers={"Authorization": f"Bearer {portal.secret}"}, timeout=5, json={
        "maHoSo": "G22.99-261202-0009", "maTTHC": "1.001193", "maDonVi": "000.00.99.H55",
        "chuHoSo": {"hoTen": "Bế Văn Sơn", "soDinhDanh": "006090000109"}, "duLieuToKhai": {}})
    inbound.fetch()
    flush()
    row = NationalDossier.objects.get(national_code="G22.99-261202-0009")
    assert row.state == NationalDossier.State.REFUSED and row.dossier is None
    assert seen(portal, "/api/hoso/G22.99-261202-0009")["lyDo"] == row.reason != ""


def test_with_the_portal_stopped_work_goes_on_and_the_queue_delivers_once_when_it_is_back(demo, portal, tmp_path,
                                                                                           settings):
    birth_procedure(demo, code="1.001193")
    inbound.fetch()
    flush()
    portal.stop()
    dossier = workflow.accept(dossier=taken(FIRST), acting_user=demo.users[DESK], unit=demo.units[UNIT])
    dossier = workflow.request_supplement(dossier=dossier, acting_user=demo.users[SPECIALIST],
                                          missing=["Bản sao có chứng thực"])
    second = workflow.refuse_at_intake(dossier=taken(SECOND), acting_user=demo.users[DESK],
                                       reasons="Không thuộc thẩm quyền")
    assert (dossier.status, second.status) == (Status.SUPPLEMENT_REQUESTED, Status.REFUSED)
    sent = flush()
    assert sent["unavailable"] == 1 and sent["delivered"] == 0  # one try, then the system is left alone
    assert OutboundItem.objects.filter(system="npsp", state="pending").count() == 3

    back = start("npsp", portal.data, port=int(portal.url.rsplit(":", 1)[1]), secret=portal.secret)
    try:
        time.sleep(0.4)  # the breaker's reset time: the next call is let through
        assert flush()["delivered"] == 3
        assert [s["trangThai"] for s in seen(back, f"/api/hoso/{FIRST}")["trangThai"]] == [2, 5]
        assert [s["trangThai"] for s in seen(back, f"/api/hoso/{SECOND}")["trangThai"]] == [3]
        # An answer lost on the way: the message is sent again, the portal applies it once.
        item = OutboundItem.objects.filter(system="npsp", kind="status", reference=FIRST).first()
        OutboundItem.objects.filter(pk=item.pk).update(state="pending")
        assert outbound.deliver(item.pk, now=timezone.now() + dt.timedelta(days=1)) == "delivered"
        assert OutboundItem.objects.get(pk=item.pk).response.get("lapLai") is True
        assert [s["trangThai"] for s in seen(back, f"/api/hoso/{FIRST}")["trangThai"]] == [2, 5]
        assert flush()["delivered"] == 0
    finally:
        back.stop()


def test_a_status_waits_for_the_one_before_it(demo, portal):
    birth_procedure(demo, code="1.001193")
    inbound.fetch()
    flush()
    dossier = workflow.accept(dossier=taken(FIRST), acting_user=demo.users[DESK], unit=demo.units[UNIT])
    workflow.request_supplement(dossier=dossier, acting_user=demo.users[SPECIALIST], missing=["Bản sao"])
    first, later = OutboundItem.objects.filter(kind="status", reference=FIRST).order_by("pk")
    OutboundItem.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now() + dt.timedelta(hours=1))
    assert outbound.deliver(later.pk) == "skipped"  # its turn comes after the first
    flush()
    assert [s["trangThai"] for s in seen(portal, f"/api/hoso/{FIRST}")["trangThai"]] == [2, 5]


def test_fetching_while_the_portal_is_down_says_so_and_takes_nothing(demo, portal):
    portal.stop()
    report = inbound.fetch()
    assert report.unavailable and report.fetched == 0
    assert not NationalDossier.objects.exists()


def test_the_portals_seeded_dossiers_fit_the_demo_catalog(demo, portal):
    from procedures.demo import load_catalog

    load_catalog()
    report = inbound.fetch()
    assert (report.received, report.refused) == (2, 1)
    dossier = taken(SECOND)
    assert dossier.form_data["child_name"] == "Triệu Thu Hà" and dossier.files.count() == 2
