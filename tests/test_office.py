"""The officials' workspace for the one-stop back office, through HTTP as officials use it:
queues by role, a dossier from the desk to the result, concurrent hands, counter intake, bulk
assignment, and the agency administrator's internal processes in the admin."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.models import User
from audit.models import AuditEntry
from dossiers import services, workflow
from dossiers.models import Channel, Dossier, DossierFile, FilePurpose, Slip
from dossiers.states import Status
from processes.models import DefinitionStatus, ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

QUEUE = "/workspace/dossiers/"


def _vi(text: str) -> str:
    """``text`` as the (Vietnamese) page shows it, escaped like the template does."""
    with translation.override("vi"):
        return escape(translation.gettext(text))


def _definition(demo, procedure):
    """Specialist of Tư pháp - Hộ tịch examines → the chairman approves (Đức Xuân has no unit head)."""
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Công chức tư pháp - hộ tịch thẩm định",
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")], role="specialist",
                               hours=Decimal("15"), actions=["forward", "supplement", "pause", "propose_refusal"])
    ProcessStep.objects.create(definition=definition, order=2, name="Chủ tịch UBND phường phê duyệt",
                               role="agency_leader", hours=Decimal("7.5"), actions=["approve", "refuse", "return"])
    return publish(definition=definition)


@pytest.fixture
def birth(demo):
    procedure = make_procedure(agencies=[demo.agencies["01840"], demo.agencies["01837"]], days=3)
    _definition(demo, procedure)
    return procedure


def submitted(demo, procedure, agency="01840", child="Nguyễn Minh An") -> Dossier:
    citizen = demo.users["congdan@example.vn"]
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies[agency])
    services.save_draft(dossier=draft, applicant=citizen, form_values={**BIRTH_VALUES, "child_name": child})
    papers = list(procedure.current.papers.all())
    services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    return services.submit(dossier=draft, applicant=citizen)


def accepted(demo, procedure) -> Dossier:
    dossier = submitted(demo, procedure)
    return workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"])


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- queues by role -------------------------------------------------------------------------


def test_desk_officers_see_the_dossiers_waiting_for_intake_at_their_own_agency(demo, birth, sign_in):
    here, there = submitted(demo, birth), submitted(demo, birth, agency="01837")
    ducxuan = page(sign_in("motcua.ducxuan").get(QUEUE))
    assert here.code in ducxuan and there.code not in ducxuan
    assert 'href="?tab=intake" aria-current="page"' in ducxuan
    backan = page(sign_in("motcua.backan").get(QUEUE + "?tab=intake"))
    assert there.code in backan and here.code not in backan
    # A specialist has no intake tab: the dossier is not theirs before it is accepted.
    specialist = page(sign_in("tuphap.ducxuan").get(QUEUE + "?tab=intake"))
    assert 'href="?tab=intake"' not in specialist and here.code not in specialist


def test_in_my_hands_follows_the_step_role_and_unit_and_to_assign_is_for_leaders(demo, birth, sign_in):
    dossier = accepted(demo, birth)
    specialist = sign_in("tuphap.ducxuan")
    assert dossier.code in page(specialist.get(QUEUE + "?tab=mine"))
    assert dossier.code not in page(sign_in("motcua.ducxuan").get(QUEUE + "?tab=intake"))
    leader = sign_in("chutich.ducxuan")
    assert dossier.code not in page(leader.get(QUEUE + "?tab=mine"))  # the step is the specialist's
    assert dossier.code in page(leader.get(QUEUE + "?tab=assign"))
    assert dossier.code not in page(sign_in("motcua.backan").get(QUEUE + "?tab=all"))


def test_the_queue_is_searchable_and_filtered(demo, birth, sign_in):
    first = submitted(demo, birth, child="Bé Một")
    second = submitted(demo, birth, child="Bé Hai")
    Dossier.objects.filter(pk=second.pk).update(applicant_name="Trần Văn Bình")
    desk = sign_in("motcua.ducxuan")
    found = page(desk.get(QUEUE, {"tab": "all", "q": "Bình"}))
    assert second.code in found and first.code not in found
    by_code = page(desk.get(QUEUE, {"tab": "all", "q": first.code}))
    assert first.code in by_code and second.code not in by_code
    none = page(desk.get(QUEUE, {"tab": "all", "status": Status.IN_PROGRESS}))
    assert first.code not in none and second.code not in none


def test_overdue_dossiers_carry_a_text_badge_not_only_a_colour(demo, birth, sign_in):
    dossier = accepted(demo, birth)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - timezone.timedelta(days=3))
    listing = page(sign_in("tuphap.ducxuan").get(QUEUE + "?tab=overdue"))
    row = listing[listing.index(dossier.code):]
    assert re.search(r'class="badge text-bg-danger">.*?(overdue|quá hạn)', row, re.S)


# --- a dossier from the desk to the result ------------------------------------------------


def _revision(dossier) -> str:
    dossier.refresh_from_db()
    return str(dossier.revision)


def test_a_dossier_goes_from_the_desk_to_the_result_through_the_pages(demo, birth, sign_in):
    dossier = submitted(demo, birth)
    url = f"{QUEUE}{dossier.pk}/"
    desk = sign_in("motcua.ducxuan")
    detail = page(desk.get(url))
    assert f'action="{url}accept/"' in detail and "Nguyễn Minh An" in detail and "0912345678" in detail
    assert AuditEntry.objects.filter(action="read", object_type="dossiers.dossier", object_id=str(dossier.pk),
                                     actor_id=demo.users["motcua.ducxuan"].pk).exists()
    unit = demo.units[("01840", "Tư pháp - Hộ tịch")]
    response = desk.post(url + "accept/", {"accept-revision": _revision(dossier), "accept-unit": unit.pk})
    assert response.status_code == 302 and response.url == url
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.unit == unit
    assert dossier.slips.filter(form=Slip.Form.RECEIPT).exists()

    specialist = sign_in("tuphap.ducxuan")
    assert f'action="{url}forward/"' in page(specialist.get(url))
    leader_user = demo.users["chutich.ducxuan"]
    specialist.post(url + "forward/", {"forward-revision": _revision(dossier), "forward-assignee": leader_user.pk,
                                       "forward-note": "Đủ điều kiện"})
    dossier.refresh_from_db()
    assert dossier.current_step.order == 2 and dossier.current_step.assignee == leader_user

    leader = sign_in("chutich.ducxuan")
    assert dossier.code in page(leader.get(QUEUE + "?tab=mine"))
    response = leader.post(url + "approve/", {"approve-revision": _revision(dossier), "approve-note": "Đồng ý"},
                           follow=True)
    assert dossier.code in page(response)
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY

    assert dossier.code in page(desk.get(QUEUE + "?tab=results"))
    desk.post(url + "return-result/", {"return_result-revision": _revision(dossier), "return_result-how": "counter"})
    dossier.refresh_from_db()
    assert dossier.status == Status.COMPLETED
    history = page(desk.get(url))
    assert "Công chức tư pháp - hộ tịch thẩm định" in history and "Đủ điều kiện" in history
    assert [line.handed_by.username for line in dossier.steps.order_by("order")] == [
        "tuphap.ducxuan", "chutich.ducxuan"]


def test_only_the_actions_the_services_allow_are_offered(demo, birth, sign_in):
    dossier = accepted(demo, birth)
    url = f"{QUEUE}{dossier.pk}/"
    desk_page = page(sign_in("motcua.ducxuan").get(url))
    assert f'action="{url}accept/"' not in desk_page and f'action="{url}forward/"' not in desk_page
    specialist_page = page(sign_in("tuphap.ducxuan").get(url))
    for action in ("forward", "supplement", "pause", "propose-refusal"):
        assert f'action="{url}{action}/"' in specialist_page
    for action in ("approve", "refuse", "return", "assign"):
        assert f'action="{url}{action}/"' not in specialist_page
    # A forged post for an action not offered changes nothing.
    response = sign_in("motcua.ducxuan").post(url + "approve/", {"approve-revision": _revision(dossier)})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS


def test_pause_and_resume_from_the_page(demo, birth, sign_in):
    dossier = accepted(demo, birth)
    url = f"{QUEUE}{dossier.pk}/"
    specialist = sign_in("tuphap.ducxuan")
    specialist.post(url + "pause/", {"pause-revision": _revision(dossier), "pause-reason": "Chờ xác minh"})
    dossier.refresh_from_db()
    assert dossier.status == Status.PAUSED
    assert f'action="{url}resume/"' in page(specialist.get(url))
    specialist.post(url + "resume/", {"resume-revision": _revision(dossier)})
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS


def test_a_proposed_refusal_goes_to_the_leader_who_refuses(demo, birth, sign_in):
    dossier = accepted(demo, birth)
    url = f"{QUEUE}{dossier.pk}/"
    sign_in("tuphap.ducxuan").post(url + "propose-refusal/", {"propose_refusal-revision": _revision(dossier),
                                                             "propose_refusal-reasons": "Không đủ điều kiện"})
    dossier.refresh_from_db()
    assert dossier.current_step.order == 2
    leader = sign_in("chutich.ducxuan")
    assert f'action="{url}refuse/"' in page(leader.get(url))
    leader.post(url + "refuse/", {"refuse-revision": _revision(dossier), "refuse-reasons": "Không đủ điều kiện"})
    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED


def test_the_leader_drafts_and_approves_the_apology_letter_near_the_due_moment(demo, birth, sign_in):
    dossier = accepted(demo, birth)
    url = f"{QUEUE}{dossier.pk}/"
    due = timezone.now() + timezone.timedelta(hours=1)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=due)
    leader = sign_in("chutich.ducxuan")
    assert f'action="{url}apology/"' in page(leader.get(url))
    assert f'action="{url}apology/"' not in page(sign_in("vanthu.ducxuan").get(url))  # not the clerk's
    new_due = timezone.localtime(due + timezone.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    leader.post(url + "apology/", {"apology-revision": _revision(dossier), "apology-reason": "Chờ xác minh",
                                   "apology-new_due_at": new_due})
    slip = dossier.slips.get(form=Slip.Form.APOLOGY)
    assert slip.approved_at is None
    assert f'action="{url}approve-apology/"' in page(leader.get(url))
    leader.post(url + "approve-apology/", {"approve_apology-revision": _revision(dossier)})
    slip.refresh_from_db()
    dossier.refresh_from_db()
    assert slip.approved_by == demo.users["chutich.ducxuan"] and dossier.apology_due_at is not None


def test_a_refused_form_keeps_what_the_official_typed(demo, birth, sign_in):
    dossier = submitted(demo, birth)
    url = f"{QUEUE}{dossier.pk}/"
    desk = sign_in("motcua.ducxuan")
    response = desk.post(url + "supplement/", {"supplement-revision": _revision(dossier), "supplement-missing": "",
                                               "supplement-note": "Mang bản chính khi nhận kết quả"}, follow=True)
    text = page(response)
    assert "Mang bản chính khi nhận kết quả" in text and 'aria-invalid="true"' in text
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    desk.post(url + "supplement/", {"supplement-revision": _revision(dossier),
                                    "supplement-missing": "Giấy chứng sinh bản chính\nCCCD của người đi đăng ký"})
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert dossier.slips.get(form=Slip.Form.SUPPLEMENT).content["missing"] == [
        "Giấy chứng sinh bản chính", "CCCD của người đi đăng ký"]
    assert dossier.code in page(desk.get(QUEUE + "?tab=waiting"))


def test_two_officials_acting_on_the_same_revision_only_one_succeeds(demo, birth, sign_in):
    dossier = submitted(demo, birth)
    url = f"{QUEUE}{dossier.pk}/"
    desk, leader = sign_in("motcua.ducxuan"), sign_in("chutich.ducxuan")
    revision = _revision(dossier)
    page(desk.get(url)), page(leader.get(url))  # both pages show the same revision
    first = desk.post(url + "accept/", {"accept-revision": revision}, follow=True)
    second = leader.post(url + "refuse-intake/", {"refuse_intake-revision": revision,
                                                  "refuse_intake-reasons": "Thiếu giấy tờ"}, follow=True)
    assert _vi("Someone else has just changed this dossier. Reload it and try again.") not in page(first)
    assert _vi("Someone else has just changed this dossier. Reload it and try again.") in page(second)
    assert "Thiếu giấy tờ" in page(second)  # kept for a second try
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    assert not dossier.slips.filter(form=Slip.Form.REFUSAL).exists()


def test_another_agencys_official_gets_404(demo, birth, sign_in):
    dossier = accepted(demo, birth)
    url = f"{QUEUE}{dossier.pk}/"
    other = sign_in("motcua.backan")
    assert other.get(url).status_code == 404
    assert other.post(url + "forward/", {"forward-revision": _revision(dossier)}).status_code == 404
    slip = dossier.slips.get(form=Slip.Form.RECEIPT)
    assert other.get(f"{QUEUE}slips/{slip.pk}/").status_code == 404
    assert sign_in("congdan@example.vn").get(url).status_code == 302  # not an official: to the login


def test_the_result_is_prepared_from_the_page_and_linked(demo, birth, sign_in):
    pytest.importorskip("dossiers.results")
    dossier = accepted(demo, birth)
    url = f"{QUEUE}{dossier.pk}/"
    specialist = sign_in("tuphap.ducxuan")
    assert f'action="{url}prepare-result/"' in page(specialist.get(url))
    specialist.post(url + "prepare-result/", {"prepare_result-revision": _revision(dossier)})
    result = DossierFile.objects.get(dossier=dossier, purpose=FilePurpose.RESULT)
    assert f'href="/dossiers/files/{result.pk}/"' in page(specialist.get(url))


def test_the_process_control_slip_is_printed_on_demand(demo, birth, sign_in):
    pytest.importorskip("dossiers.slips")
    dossier = accepted(demo, birth)
    desk = sign_in("motcua.ducxuan")
    response = desk.post(f"{QUEUE}{dossier.pk}/control-slip/")
    assert response.status_code == 302
    pdf = desk.get(response.url)
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="read", object_type="dossiers.slip").exists()


# --- counter intake -------------------------------------------------------------------------


def _counter_post(birth, **contact):
    papers = list(birth.current.papers.all())
    data = {"applicant_name": "Lò Thị Mai", "applicant_id_number": "006190009999", "applicant_phone": "0987654321",
            "applicant_email": "", "applicant_address": "Tổ 5, phường Đức Xuân",
            **{f"eform-{k}": v for k, v in BIRTH_VALUES.items()},
            f"paper_{papers[0].pk}": pdf_file(), f"paper_{papers[1].pk}": png_file(), **contact}
    return data


def test_counter_intake_creates_an_accepted_counter_dossier_with_its_receipt(demo, birth, sign_in,
                                                                             django_capture_on_commit_callbacks):
    desk = sign_in("motcua.ducxuan")
    start = page(desk.get(QUEUE + "counter/"))
    assert f'value="{birth.pk}"' in start
    agency = demo.agencies["01840"]
    response = desk.get(QUEUE + "counter/", {"procedure": birth.pk, "agency": agency.pk})
    form_url = f"{QUEUE}counter/{agency.pk}/{birth.pk}/"
    assert response.status_code == 302 and response.url == form_url
    assert 'name="eform-child_name"' in page(desk.get(form_url))

    with django_capture_on_commit_callbacks(execute=True):  # the slip's PDF is made after commit
        response = desk.post(form_url, _counter_post(birth))
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Lò Thị Mai")
    assert response.url == f"{QUEUE}counter/done/{dossier.pk}/"
    assert dossier.channel == Channel.COUNTER and dossier.status == Status.IN_PROGRESS and dossier.code
    assert dossier.form_data["child_name"] == BIRTH_VALUES["child_name"]
    assert dossier.files.count() == 2 and dossier.slips.filter(form=Slip.Form.RECEIPT).exists()
    applicant = dossier.applicant
    assert applicant.kind == User.Kind.CITIZEN and not applicant.is_active and not applicant.has_usable_password()
    assert applicant.profile.id_number == "006190009999" and applicant.profile.phone == "0987654321"
    done = page(desk.get(response.url))
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    assert dossier.code in done and f'href="{QUEUE}slips/{receipt.pk}/"' in done
    assert desk.get(f"{QUEUE}slips/{receipt.pk}/")["Content-Type"] == "application/pdf"


def test_counter_intake_uses_the_portal_account_with_the_same_email(demo, birth, sign_in):
    desk = sign_in("motcua.ducxuan")
    agency = demo.agencies["01840"]
    desk.post(f"{QUEUE}counter/{agency.pk}/{birth.pk}/", _counter_post(birth, applicant_email="CongDan@example.vn"))
    dossier = Dossier.objects.get(applicant_name="Lò Thị Mai")
    assert dossier.applicant == demo.users["congdan@example.vn"]


def test_counter_intake_with_a_missing_paper_keeps_nothing(demo, birth, sign_in):
    desk = sign_in("motcua.ducxuan")
    agency = demo.agencies["01840"]
    data = _counter_post(birth)
    del data[f"paper_{birth.current.papers.all()[1].pk}"]
    users = User.objects.count()
    response = desk.post(f"{QUEUE}counter/{agency.pk}/{birth.pk}/", data)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    assert not Dossier.objects.filter(applicant_name="Lò Thị Mai").exists() and User.objects.count() == users


def test_only_desk_officers_take_in_at_the_counter(demo, birth, sign_in):
    assert sign_in("tuphap.ducxuan").get(QUEUE + "counter/").status_code == 404
    other = sign_in("motcua.backan")
    assert other.get(f"{QUEUE}counter/{demo.agencies['01840'].pk}/{birth.pk}/").status_code == 404


# --- bulk assignment ------------------------------------------------------------------------


def test_a_leader_assigns_several_dossiers_in_one_post_and_sees_each_failure(demo, birth, sign_in):
    dossiers = [accepted(demo, birth) for _ in range(3)]
    leader = sign_in("chutich.ducxuan")
    listing = page(leader.get(QUEUE + "?tab=assign"))
    for dossier in dossiers:
        assert f'id="pick-{dossier.pk}"' in listing
    specialist = demo.users["tuphap.ducxuan"]
    data = {"dossier": [str(d.pk) for d in dossiers], "assignee": specialist.pk, "note": "Xử lý trong ngày",
            **{f"revision-{d.pk}": str(d.revision) for d in dossiers}}
    data[f"revision-{dossiers[2].pk}"] = str(dossiers[2].revision - 1)  # someone changed it since
    response = leader.post(QUEUE + "assign/", data, follow=True)
    text = page(response)
    assert dossiers[2].code in text and _vi(
        "Someone else has just changed this dossier. Reload it and try again.") in text
    for dossier in dossiers:
        dossier.refresh_from_db()
    assert [d.current_step.assignee_id for d in dossiers] == [specialist.pk, specialist.pk, None]
    assert dossiers[0].code in page(sign_in("tuphap.ducxuan").get(QUEUE + "?tab=mine"))


def test_bulk_assignment_to_someone_without_the_steps_role_is_refused_per_dossier(demo, birth, sign_in):
    dossier = accepted(demo, birth)
    leader = sign_in("chutich.ducxuan")
    leader.post(QUEUE + "assign/", {"dossier": [dossier.pk], "assignee": demo.users["motcua.ducxuan"].pk,
                                    f"revision-{dossier.pk}": dossier.revision})
    dossier.refresh_from_db()
    assert dossier.current_step.assignee_id is None


# --- efficiency -----------------------------------------------------------------------------


def _fill(demo, birth, count: int) -> None:
    citizen, desk = demo.users["congdan@example.vn"], demo.users["motcua.ducxuan"]
    for i in range(count):
        dossier = Dossier.objects.create(
            procedure_version=birth.current, agency=demo.agencies["01840"], applicant=citizen,
            applicant_name=f"Người nộp {i}", status=Status.SUBMITTED, code=f"TEST-{count}-{i}",
            submitted_at=timezone.now())
        if i % 2:
            workflow.accept(dossier=dossier, acting_user=desk)


@pytest.mark.parametrize("username,tab", [("motcua.ducxuan", "intake"), ("tuphap.ducxuan", "mine"),
                                          ("chutich.ducxuan", "assign"), ("chutich.ducxuan", "all")])
def test_the_queue_makes_a_bounded_number_of_queries(demo, birth, sign_in, django_assert_max_num_queries,
                                                     username, tab):
    client = sign_in(username)
    _fill(demo, birth, 2)
    client.get(QUEUE, {"tab": tab})  # warm the per-process caches (calendar, content types)
    with django_assert_max_num_queries(20) as few:
        page(client.get(QUEUE, {"tab": tab}))
    _fill(demo, birth, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        text = page(client.get(QUEUE, {"tab": tab}))
    assert "TEST-12-" in text


# --- internal processes in the admin --------------------------------------------------------

ADMIN = "/admin/processes/processdefinition/"


@pytest.fixture
def stp_process(demo):
    procedure = make_procedure(agencies=[demo.agencies["STP"]], code="9.000200", days=1, name="Thủ tục của Sở")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["STP"])
    ProcessStep.objects.create(definition=definition, order=1, name="Chuyên viên thẩm định", role="specialist",
                               unit=demo.units[("STP", "Phòng Hành chính tư pháp")], hours=Decimal("5"),
                               actions=["forward", "supplement"])
    ProcessStep.objects.create(definition=definition, order=2, name="Giám đốc phê duyệt", role="agency_leader",
                               hours=Decimal("2.5"), actions=["approve", "refuse", "return"])
    return publish(definition=definition)


def test_agency_administrators_see_only_their_agencys_processes(demo, birth, stp_process, sign_in):
    admin = sign_in("quantri.stp")
    listing = page(admin.get(ADMIN))
    assert "9.000200" in listing and birth.code not in listing
    other = ProcessDefinition.objects.get(procedure=birth)
    assert admin.get(f"{ADMIN}{other.pk}/change/").status_code in (302, 403, 404)
    add = page(admin.get(ADMIN + "add/"))  # only the procedures the agency implements
    assert "9.000200" in add and birth.code not in add
    assert sign_in("tuphap.ducxuan").get(ADMIN).status_code == 302  # no entry to the admin


def test_a_published_process_is_read_only_and_changes_go_through_a_new_version(demo, stp_process, sign_in):
    admin = sign_in("quantri.stp")
    change = page(admin.get(f"{ADMIN}{stp_process.pk}/change/"))
    assert "Chuyên viên thẩm định" in change and 'name="steps-0-name"' not in change
    assert admin.post(f"{ADMIN}{stp_process.pk}/change/", {"procedure": stp_process.procedure_id}).status_code == 403

    admin.post(ADMIN, {"action": "make_new_version", "_selected_action": [stp_process.pk]})
    draft = ProcessDefinition.objects.get(procedure=stp_process.procedure, number=2)
    assert draft.status == DefinitionStatus.DRAFT and draft.steps.count() == 2
    assert 'name="steps-0-name"' in page(admin.get(f"{ADMIN}{draft.pk}/change/"))

    # The administrator edits the draft's steps in the inline: actions are checkboxes.
    first, second = draft.steps.order_by("order")
    form = {"steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "2", "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000", "_continue": "1"}
    for i, step in enumerate((first, second)):
        form.update({f"steps-{i}-id": step.pk, f"steps-{i}-definition": draft.pk, f"steps-{i}-order": step.order,
                     f"steps-{i}-name": step.name, f"steps-{i}-agency": "", f"steps-{i}-unit": step.unit_id or "",
                     f"steps-{i}-role": step.role, f"steps-{i}-hours": str(step.hours),
                     f"steps-{i}-actions": list(step.actions)})
    form["steps-0-actions"] = ["forward", "supplement", "pause"]
    form["steps-0-hours"] = "7.5"  # 1 working day is 7.5 hours: 10 hours of steps are refused at publishing
    response = admin.post(f"{ADMIN}{draft.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    first.refresh_from_db()
    assert first.actions == ["forward", "supplement", "pause"] and first.hours == Decimal("7.5")
    response = admin.post(ADMIN, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "7.5" in page(response)
    draft.refresh_from_db()
    assert draft.status == DefinitionStatus.DRAFT

    draft.steps.filter(order=1).update(hours=Decimal("4"))
    admin.post(ADMIN, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    stp_process.refresh_from_db()
    assert draft.status == DefinitionStatus.PUBLISHED and stp_process.status == DefinitionStatus.RETIRED


def _ready(demo, birth, count: int) -> None:
    """Approved dossiers settled on paper, waiting at the desk to be returned."""
    for i in range(count):
        Dossier.objects.create(
            procedure_version=birth.current, agency=demo.agencies["01840"], applicant=demo.users["congdan@example.vn"],
            applicant_name=f"Người nhận {i}", status=Status.RESULT_READY, code=f"READY-{count}-{i}",
            submitted_at=timezone.now(), result_ready_at=timezone.now())


def test_the_results_to_return_are_decided_without_a_query_per_dossier(demo, birth, sign_in,
                                                                         django_assert_max_num_queries):
    client = sign_in("motcua.ducxuan")
    _ready(demo, birth, 2)
    client.get(QUEUE, {"tab": "results"})
    with django_assert_max_num_queries(40) as few:
        assert "READY-2-1" in page(client.get(QUEUE, {"tab": "results"}))
    _ready(demo, birth, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        text = page(client.get(QUEUE, {"tab": "results"}))
    assert "READY-12-11" in text
