"""Receiving anywhere in the province (Decree 118/2025/NĐ-CP): a dossier received at a commune
centre of the former Bắc Kạn area for a provincial department is settled by the department,
returned at the centre the applicant chose, and counted on both sides in the statistics."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from directory.models import Membership, ServiceCentre
from dossiers import counter, desks, policy, selectors, workflow
from dossiers.errors import TransitionRefused
from dossiers.models import Channel, ReturnMethod
from dossiers.states import Status
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from reports.periods import Period
from reports.queries import Grouping, settlement_report
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

pytestmark = pytest.mark.django_db
CONTACT = {"applicant_name": "Lộc Thị Thơm", "applicant_id_number": "006190012345",
           "applicant_phone": "0912000111", "applicant_email": "", "applicant_address": "Tổ 5, phường Đức Xuân"}


def _centre(demo, key: str, code: str) -> ServiceCentre:
    agency = demo.agencies[key]
    return ServiceCentre.objects.create(code=code, name=f"Trung tâm PVHCC {agency.name}", level="commune",
                                        agency=agency, administrative_unit=agency.administrative_unit)


def _stp_procedure(demo):
    """A provincial Justice department procedure in two steps: a specialist examines, the director
    approves (no electronic result: the paper result is handed over at the counter)."""
    stp = demo.agencies["STP"]
    procedure = make_procedure(agencies=[stp], days=5, code="2.000001")
    unit = Membership.objects.get(official=demo.users["chuyenvien.stp"], agency=stp).unit
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=stp)
    ProcessStep.objects.create(definition=definition, order=1, name="Chuyên viên thẩm định", unit=unit,
                               role="specialist", hours=Decimal("15"), actions=["forward", "supplement"])
    ProcessStep.objects.create(definition=definition, order=2, name="Giám đốc phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "refuse", "return"])
    publish(definition=definition)
    return procedure, unit


def _papers(procedure) -> dict:
    papers = list(procedure.current.papers.all())
    return {papers[0].pk: pdf_file(), papers[1].pk: png_file()}


@pytest.fixture
def place(demo):
    ducxuan = _centre(demo, "01840", "TEST.DX")
    backan = _centre(demo, "01837", "TEST.BK")
    procedure, unit = _stp_procedure(demo)
    return ducxuan, backan, procedure, unit


def _received(demo, place, **details):
    ducxuan, backan, procedure, unit = place
    details = {"return_method": ReturnMethod.DESK, "return_centre": backan, **details}
    return counter.intake_at_counter(
        officer=demo.users["motcua.ducxuan"], agency=demo.agencies["STP"], procedure=procedure, contact=CONTACT,
        form_values=BIRTH_VALUES, uploads=_papers(procedure), unit=unit, centre=ducxuan, details=details)


def test_a_commune_centre_receives_for_a_provincial_department_which_settles_it(demo, place):
    ducxuan, backan, procedure, unit = place
    dossier = _received(demo, place)
    assert dossier.status == Status.IN_PROGRESS and dossier.received_at is not None
    assert dossier.agency == demo.agencies["STP"] and dossier.receiving_centre == ducxuan
    assert dossier.current_agency == demo.agencies["STP"]  # the department's specialist holds it now
    assert policy.may_act_on_step(demo.users["chuyenvien.stp"], dossier)
    assert not policy.may_act_on_step(demo.users["tuphap.ducxuan"], dossier)
    # Who reads it: the receiving centre, the settling department, the returning centre — nobody else.
    for username in ("motcua.ducxuan", "motcua.stp", "giamdoc.stp", "motcua.backan"):
        assert selectors.can_read(demo.users[username], dossier), username
        assert selectors.dossiers_for_official(demo.users[username]).filter(pk=dossier.pk).exists(), username
    for username in ("motcua.sxd", "chuyenvien.sxd"):
        assert not selectors.can_read(demo.users[username], dossier), username
        assert not selectors.dossiers_for_official(demo.users[username]).filter(pk=dossier.pk).exists()


def test_only_a_desk_of_the_centre_receives_there(demo, place):
    ducxuan, backan, procedure, unit = place
    # The construction department's desk does not staff the Đức Xuân centre.
    with pytest.raises(TransitionRefused):
        counter.intake_at_counter(officer=demo.users["motcua.sxd"], agency=demo.agencies["STP"],
                                  procedure=procedure, contact=CONTACT, form_values=BIRTH_VALUES,
                                  uploads=_papers(procedure), unit=unit, centre=ducxuan)
    # Without a centre, a commune desk cannot take in a department's dossier.
    with pytest.raises(TransitionRefused):
        counter.intake_at_counter(officer=demo.users["motcua.ducxuan"], agency=demo.agencies["STP"],
                                  procedure=procedure, contact=CONTACT, form_values=BIRTH_VALUES,
                                  uploads=_papers(procedure), unit=unit)
    # A centre that has closed receives nothing.
    ducxuan.valid_to = timezone.localdate() - dt.timedelta(days=1)
    ducxuan.save()
    assert not desks.may_receive(demo.users["motcua.ducxuan"], agency=demo.agencies["STP"], centre=ducxuan)


def _settle(demo, dossier, unit):
    dossier = workflow.forward(dossier=dossier, acting_user=demo.users["chuyenvien.stp"])
    return workflow.approve(dossier=dossier, acting_user=demo.users["giamdoc.stp"])


def test_the_result_is_returned_at_the_centre_the_applicant_chose(demo, place):
    ducxuan, backan, procedure, unit = place
    dossier = _settle(demo, _received(demo, place), unit)
    assert dossier.status == Status.RESULT_READY
    nxt = policy.next_actor(dossier)
    assert nxt.role == "desk_officer" and nxt.agency == demo.agencies["01837"]
    offered = {name: "return_result" in policy.available_actions(demo.users[name], dossier)
               for name in ("motcua.backan", "motcua.ducxuan", "motcua.stp")}
    assert offered == {"motcua.backan": True, "motcua.ducxuan": False, "motcua.stp": False}
    with pytest.raises(TransitionRefused):
        workflow.return_result(dossier=dossier, acting_user=demo.users["motcua.ducxuan"], at_counter=True)
    done = workflow.return_result(dossier=dossier, acting_user=demo.users["motcua.backan"], at_counter=True)
    assert done.status == Status.COMPLETED


def test_without_a_chosen_centre_the_settling_agency_returns_it(demo, place):
    ducxuan, backan, procedure, unit = place
    dossier = _settle(demo, _received(demo, place, return_method=ReturnMethod.POST, return_centre=None), unit)
    assert policy.next_actor(dossier).agency == demo.agencies["STP"]
    assert policy.decide(demo.users["motcua.stp"], dossier, "return_result")
    assert not policy.decide(demo.users["motcua.backan"], dossier, "return_result")


def test_a_dossier_received_by_post_records_the_post_item(demo, place):
    ducxuan, backan, procedure, unit = place
    with pytest.raises(ValidationError):
        counter.intake_at_counter(officer=demo.users["motcua.ducxuan"], agency=demo.agencies["STP"],
                                  procedure=procedure, contact=CONTACT, form_values=BIRTH_VALUES,
                                  uploads=_papers(procedure), unit=unit, centre=ducxuan, channel=Channel.ONLINE)
    dossier = _received(demo, place, post_item="RR123456789VN")
    assert dossier.post_item == "RR123456789VN"


def test_representative_is_recorded(demo, place):
    dossier = _received(demo, place, representative_name="Hoàng Văn Tú", representative_id_number="006090001111",
                        authorisation="Giấy ủy quyền số 12/2026 ngày 20/11/2026")
    assert (dossier.applicant_name, dossier.representative_name) == ("Lộc Thị Thơm", "Hoàng Văn Tú")


def _today_period() -> Period:
    return Period.days(timezone.localdate(), timezone.localdate())


def _received_by(report) -> dict[str, int]:
    return {row.label: row.counts["received_total"] for row in report.rows}


def test_statistics_count_it_on_both_sides(demo, place):
    ducxuan, backan, procedure, unit = place
    _received(demo, place)
    period = _today_period()
    # The department counts it among the dossiers it settles, and sees where it was received.
    director = demo.users["giamdoc.stp"]
    assert _received_by(settlement_report(director, period=period)) == {demo.agencies["STP"].name: 1}
    assert _received_by(settlement_report(director, period=period, grouping=Grouping.CENTRE)) == {ducxuan.name: 1}
    # The commune counts it among the dossiers its centre received, though another agency settles it.
    chairman = demo.users["chutich.ducxuan"]
    assert _received_by(settlement_report(chairman, period=period, grouping=Grouping.CENTRE)) == {ducxuan.name: 1}
    assert demo.agencies["STP"].name not in _received_by(settlement_report(chairman, period=period))
    # Another department sees neither side.
    other = demo.users["giamdoc.sxd"]
    assert _received_by(settlement_report(other, period=period, grouping=Grouping.CENTRE)) == {}


def test_the_counter_pages_take_a_department_dossier_in_at_a_commune_centre(demo, place, sign_in):
    ducxuan, backan, procedure, unit = place
    client = sign_in("motcua.ducxuan")
    stp = demo.agencies["STP"]
    start = client.get("/workspace/dossiers/counter/").content.decode()
    assert f'value="{stp.pk}"' in start and f'value="{ducxuan.pk}"' in start  # any agency, at the centre
    form_url = f"/workspace/dossiers/counter/{stp.pk}/{procedure.pk}/"
    assert client.get(form_url).status_code == 404  # not without the centre: it is not their agency's desk
    assert client.get(f"{form_url}?centre={backan.pk}").status_code == 404  # nor at a centre they do not staff
    papers = list(procedure.current.papers.all())
    data = {**CONTACT, "unit": unit.pk, "arrival-channel": "post", "arrival-post_item": "RR987654321VN",
            "rep-on_behalf": "on", "rep-representative_name": "Hoàng Văn Tú",
            "rep-representative_id_number": "006090001111", "rep-authorisation": "Giấy ủy quyền số 12/2026",
            "return-return_method": "desk", "return-return_centre": backan.pk,
            **{f"eform-{k}": v for k, v in BIRTH_VALUES.items()},
            f"paper_{papers[0].pk}": pdf_file(), f"paper_{papers[1].pk}": png_file()}
    response = client.post(f"{form_url}?centre={ducxuan.pk}", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = demo.agencies["STP"].dossiers.get(applicant_name="Lộc Thị Thơm")
    assert (dossier.receiving_centre, dossier.return_centre, dossier.channel, dossier.post_item) == (
        ducxuan, backan, Channel.POST, "RR987654321VN")
    assert dossier.representative_name == "Hoàng Văn Tú" and dossier.status == Status.IN_PROGRESS
    page = client.get(f"/workspace/dossiers/{dossier.pk}/").content.decode()
    assert ducxuan.name in page and backan.name in page and "Hoàng Văn Tú" in page
