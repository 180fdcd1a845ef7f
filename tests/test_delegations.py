"""Standing delegations while a leader is away (Decree 30/2020/NĐ-CP art. 13): during the period the
deputy signs (and processes what waits for the leader) at that agency, through directory.scope,
and only then; an official of another agency is never a deputy; who may record and revoke; audited."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from directory import delegations
from directory.models import Delegation, Role
from directory.scope import Action, scope_of
from dossiers import policy, results, services, workflow
from dossiers.models import DossierStep
from notifications.models import Notification
from notifications.services import notify_officials
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import BIRTH_VALUES, make_official, make_procedure, pdf_file, png_file

KT, Q, TL, TUQ = Delegation.Kind.DEPUTY, Delegation.Kind.ACTING, Delegation.Kind.BY_ORDER, Delegation.Kind.AUTHORISED
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)


def fresh(user) -> User:
    """The account as a new request sees it (scope is computed once per request and user object)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def director(demo):
    return demo.users["giamdoc.stp"]


@pytest.fixture
def chief_of_office(demo):
    return make_official("chanhvanphong.stp", agency=demo.agencies["STP"], unit=demo.units[("STP", "Văn phòng Sở")],
                         position="Chánh Văn phòng", roles=[Role.UNIT_HEAD])


@pytest.fixture
def deputy_director(demo):
    return make_official("phogiamdoc.stp", agency=demo.agencies["STP"], position="Phó Giám đốc", roles=[])


def at_approval(demo):
    """A dossier of the Department of Justice whose result waits for the director's approval."""
    agency, users = demo.agencies["STP"], demo.users
    unit = demo.units[("STP", "Phòng Hành chính tư pháp")]
    procedure = make_procedure(agencies=[agency], days=3, code=f"9.0009{at_approval.count:02d}")
    at_approval.count += 1
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=agency)
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", role="specialist", unit=unit,
                               hours=Decimal("7.5"), actions=["forward", "supplement"])
    ProcessStep.objects.create(definition=definition, order=2, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "return", "refuse"])
    publish(definition=definition)
    citizen = users["congdan@example.vn"]
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=agency)
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
    papers = list(procedure.current.papers.all())
    services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    dossier = services.submit(dossier=draft, applicant=citizen)
    dossier = workflow.accept(dossier=dossier, acting_user=users["motcua.stp"], unit=unit)
    results.prepare_result(dossier=dossier, acting_user=users["chuyenvien.stp"])
    return workflow.forward(dossier=dossier, acting_user=users["chuyenvien.stp"])


at_approval.count = 0


def record(acting_user, principal, deputy, kind, *, starts_in=HOUR, lasts=DAY, agency=None):
    starts_at = timezone.now() + starts_in
    return delegations.record_delegation(acting_user=acting_user, agency=agency or principal.memberships.first().agency,
                                         principal=principal, deputy=deputy, kind=kind, starts_at=starts_at,
                                         ends_at=starts_at + lasts, reason="Nghỉ phép")


# --- what a delegation gives, and when -----------------------------------------------------------------

def test_the_deputy_signs_for_the_director_during_the_period_only(demo, director, chief_of_office):
    """Recorded now for tomorrow 00:00 + 1 hour … + 1 day: before, nothing; during, the director's
    signature at the department; after, nothing again."""
    dossier = workflow.approve(dossier=at_approval(demo), acting_user=director)
    delegation = record(director, director, chief_of_office, TL)
    assert not results.may_sign(fresh(chief_of_office), dossier)
    with time_machine.travel(delegation.starts_at + dt.timedelta(minutes=1), tick=False):
        deputy = fresh(chief_of_office)
        assert results.may_sign(deputy, dossier)
        assert scope_of(deputy, Action.SIGN).agency_ids == {demo.agencies["STP"].pk}
        assert scope_of(deputy, Action.ISSUE).empty and scope_of(deputy, Action.ASSIGN).agency_ids == frozenset()
    with time_machine.travel(delegation.ends_at, tick=False):  # the end is not part of the period
        assert not results.may_sign(fresh(chief_of_office), dossier)


def test_the_deputy_processes_the_step_that_waits_for_the_director(demo, director, deputy_director):
    dossier = at_approval(demo)
    assert not policy.decide(fresh(deputy_director), dossier, "approve")
    delegation = record(director, director, deputy_director, Q, starts_in=-HOUR)
    assert policy.decide(fresh(deputy_director), dossier, "approve")
    # Handed to the director by name: still theirs to decide while they stand in.
    DossierStep.objects.filter(pk=dossier.current_step_id).update(assignee=director)
    dossier.refresh_from_db()
    assert policy.decide(fresh(deputy_director), dossier, "approve")
    approved = workflow.approve(dossier=dossier, acting_user=fresh(deputy_director))
    assert approved.status == "result_ready"
    delegations.revoke_delegation(acting_user=director, delegation=delegation)
    assert not results.may_sign(fresh(deputy_director), approved)


def test_a_revoked_delegation_gives_nothing_at_once(demo, director, chief_of_office):
    dossier = workflow.approve(dossier=at_approval(demo), acting_user=director)
    delegation = record(director, director, chief_of_office, TUQ, starts_in=-HOUR)
    assert results.may_sign(fresh(chief_of_office), dossier)
    delegations.revoke_delegation(acting_user=director, delegation=delegation)
    assert not results.may_sign(fresh(chief_of_office), dossier)
    with pytest.raises(ValidationError):  # over already
        delegations.revoke_delegation(acting_user=director, delegation=delegation)


def test_an_official_of_another_agency_is_never_a_deputy(demo, director):
    with pytest.raises(ValidationError) as refused:
        record(director, director, demo.users["giamdoc.sxd"], KT, starts_in=-HOUR)
    assert "deputy" in refused.value.message_dict
    # Even a row written past the door (an import, the shell) gives nothing outside their agency.
    now = timezone.now()
    Delegation.objects.create(agency=demo.agencies["STP"], principal=director, deputy=demo.users["giamdoc.sxd"],
                              kind=KT, starts_at=now - HOUR, ends_at=now + DAY)
    assert demo.agencies["STP"].pk not in scope_of(fresh(demo.users["giamdoc.sxd"]), Action.SIGN).agency_ids


# --- who may record, and what -------------------------------------------------------------------------------

def test_the_agency_administrator_or_the_leader_concerned_records_a_delegation(demo, director, chief_of_office):
    for someone in ("chuyenvien.stp", "truongphong.stp", "giamdoc.sxd"):
        with pytest.raises(PermissionDenied):
            record(demo.users[someone], director, chief_of_office, TL)
    assert record(demo.users["quantri.stp"], director, chief_of_office, TL).created_by == demo.users["quantri.stp"]
    # A leader records their own absence, not another leader's.
    deputy = make_official("phogiamdoc.stp", agency=demo.agencies["STP"], position="Phó Giám đốc",
                           roles=[Role.AGENCY_LEADER])
    with pytest.raises(PermissionDenied):
        record(deputy, director, chief_of_office, TUQ, starts_in=3 * DAY)


@pytest.mark.parametrize(("kind", "place"), [(KT, "unit head"), (Q, "unit head"), (TL, "deputy"), (TUQ, "deputy")])
def test_the_authority_fits_the_deputys_place(demo, director, chief_of_office, deputy_director, kind, place):
    """KT. and Q. are a deputy head's, TL. and TUQ. a unit head's (Decree 30/2020 art. 13)."""
    deputy = chief_of_office if place == "unit head" else deputy_director
    with pytest.raises(ValidationError) as refused:
        record(director, director, deputy, kind)
    assert "deputy" in refused.value.message_dict


def test_a_delegation_has_a_leader_a_future_end_and_one_acting_head(demo, director, chief_of_office, deputy_director):
    with pytest.raises(ValidationError) as refused:  # only someone who signs is stood in for
        record(demo.users["quantri.stp"], demo.users["truongphong.stp"], chief_of_office, TL)
    assert "principal" in refused.value.message_dict
    with pytest.raises(ValidationError):  # over before it is recorded
        record(director, director, chief_of_office, TL, starts_in=-2 * DAY)
    with pytest.raises(ValidationError):  # ends before it starts
        record(director, director, chief_of_office, TL, lasts=-HOUR)
    record(director, director, deputy_director, Q, lasts=3 * DAY)
    other = make_official("phogiamdoc2.stp", agency=demo.agencies["STP"], position="Phó Giám đốc", roles=[])
    with pytest.raises(ValidationError) as refused:  # a second acting head during the first one's period
        record(director, director, other, Q, starts_in=DAY)
    assert "kind" in refused.value.message_dict
    assert record(director, director, other, Q, starts_in=4 * DAY + HOUR)  # after it: fine


def test_recording_and_revoking_are_audited(demo, director, chief_of_office):
    delegation = record(director, director, chief_of_office, TL, starts_in=-HOUR)
    delegations.revoke_delegation(acting_user=director, delegation=delegation)
    entries = AuditEntry.objects.filter(object_type="directory.delegation", object_id=str(delegation.pk))
    assert [e.action for e in entries.order_by("id")] == ["create", "update"]
    assert entries.order_by("id").last().summary["fields"] == ["revoked_at"]
    assert entries.first().agency_id == demo.agencies["STP"].pk


def test_the_deputy_is_told_what_waits_for_the_director(demo, director, deputy_director):
    record(director, director, deputy_director, Q, starts_in=-HOUR)
    notify_officials(agency_id=demo.agencies["STP"].pk, role=Role.AGENCY_LEADER, title="Kết quả chờ ký", body="…")
    told = set(Notification.objects.filter(title="Kết quả chờ ký").values_list("user_id", flat=True))
    assert told == {director.pk, deputy_director.pk}


# --- the officials' page --------------------------------------------------------------------------------------

def test_a_director_records_and_revokes_on_the_workspace_page(demo, director, chief_of_office, sign_in):
    client = sign_in("giamdoc.stp")
    page = client.get("/workspace/delegations/")
    assert page.status_code == 200 and "/workspace/delegations/" in client.get("/workspace/").content.decode()
    starts = timezone.localtime(timezone.now() + HOUR)
    response = client.post("/workspace/delegations/", {
        "agency": demo.agencies["STP"].pk, "principal": director.pk, "deputy": chief_of_office.pk, "kind": "TL",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "ends_at": (starts + 2 * DAY).strftime("%Y-%m-%dT%H:%M"),
        "reason": "Đi công tác"})
    assert response.status_code == 302
    delegation = Delegation.objects.get(deputy=chief_of_office)
    assert (delegation.kind, delegation.reason, delegation.created_by) == ("TL", "Đi công tác", director)
    listed = client.get("/workspace/delegations/").content.decode()
    assert "Chanhvanphong Stp" in listed and "(TL.)" in listed and "Đi công tác" in listed

    # Another department's director neither sees nor revokes it.
    other = sign_in("giamdoc.sxd")
    assert other.post(f"/workspace/delegations/{delegation.pk}/revoke/").status_code == 404
    assert client.post(f"/workspace/delegations/{delegation.pk}/revoke/").status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_a_refused_delegation_is_explained_on_the_page(demo, director, sign_in):
    client = sign_in("giamdoc.stp")
    starts = timezone.localtime(timezone.now() + HOUR)
    response = client.post("/workspace/delegations/", {
        "agency": demo.agencies["STP"].pk, "principal": director.pk, "deputy": demo.users["truongphong.stp"].pk,
        "kind": "KT", "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + DAY).strftime("%Y-%m-%dT%H:%M")}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "KT. và Q. dành cho cấp phó" in response.content.decode()
    assert not Delegation.objects.exists()


def test_the_agency_administrator_records_one_in_the_admin_for_their_agency_only(demo, director, chief_of_office,
                                                                                 sign_in):
    client = sign_in("quantri.stp")
    assert client.get("/admin/directory/delegation/add/").status_code == 200
    starts = timezone.localtime(timezone.now() + HOUR)
    form = {"agency": demo.agencies["STP"].pk, "principal": director.pk, "deputy": chief_of_office.pk, "kind": "TUQ",
            "starts_at_0": starts.strftime("%Y-%m-%d"), "starts_at_1": starts.strftime("%H:%M"),
            "ends_at_0": (starts + DAY).strftime("%Y-%m-%d"), "ends_at_1": starts.strftime("%H:%M"), "reason": ""}
    refused = client.post("/admin/directory/delegation/add/", {**form, "kind": "KT"})
    assert refused.status_code == 200 and not Delegation.objects.exists()  # KT. is a deputy head's
    response = client.post("/admin/directory/delegation/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    delegation = Delegation.objects.get()
    assert (delegation.kind, delegation.created_by) == ("TUQ", demo.users["quantri.stp"])
    # Another department's delegations are not theirs to see.
    elsewhere = Delegation.objects.create(agency=demo.agencies["SXD"], principal=demo.users["giamdoc.sxd"],
                                          deputy=demo.users["truongphong.sxd"], kind=TUQ, starts_at=timezone.now(),
                                          ends_at=timezone.now() + DAY)
    listed = client.get("/admin/directory/delegation/").content.decode()
    assert f"/admin/directory/delegation/{delegation.pk}/change/" in listed
    assert f"/admin/directory/delegation/{elsewhere.pk}/change/" not in listed
    assert client.get(f"/admin/directory/delegation/{elsewhere.pk}/change/").status_code in (302, 403, 404)
