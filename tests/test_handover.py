"""Every hand-over tells whoever acts next, and only them: the official named for the step, else
the holders of its role at its agency (and unit); the leaders who sign, the clerks who issue, the
desk that returns. Signing asks for the one-time code in words that say what is wrong."""

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.demo import DEMO_PASSWORD
from dossiers import handover, results, services, workflow
from dossiers.models import Dossier
from dossiers.office.queues import tab_queryset
from dossiers.office_forms import SignatureConfirmationForm
from notifications.models import Notification
from signing.services import confirm
from tests.conftest import current_code
from tests.dossier_scenarios import (
    CLERK,
    DESK,
    LEADER,
    SPECIALIST,
    UNIT,
    accepted,
    approved,
    at_approving_step,
    birth_procedure,
    confirmation,
    signed,
    submitted,
)
from tests.factories import make_official

CITIZEN = "congdan@example.vn"


@pytest.fixture
def procedure(demo):
    return birth_procedure(demo)


@pytest.fixture
def deputy(demo):
    """A vice-chairman of Đức Xuân: a second holder of the leader's role."""
    return make_official("phochutich.ducxuan", agency=demo.agencies["01840"], position="Phó Chủ tịch UBND",
                         roles=["agency_leader"])


def told(dossier: Dossier) -> Counter:
    """Who among the officials got a notice about ``dossier``, and how many."""
    return Counter(Notification.objects.filter(dossier=dossier, key__startswith="handover:")
                   .values_list("user__username", flat=True))


def handed(capture, door):
    """Run the door and what it scheduled after commit; the dossier as it is then."""
    with capture(execute=True):
        dossier = door()
    return Dossier.objects.get(pk=dossier.pk)


# --- along the process ---------------------------------------------------------------------


def test_accepting_tells_the_unit_that_examines_not_the_desk(demo, procedure, django_capture_on_commit_callbacks):
    dossier = submitted(demo, procedure)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.accept(
        dossier=dossier, acting_user=demo.users[DESK], unit=demo.units[UNIT]))
    assert told(dossier) == {SPECIALIST: 1}
    notice = Notification.objects.get(dossier=dossier, user=demo.users[SPECIALIST])
    assert notice.title == f"Hồ sơ {dossier.code} chờ xử lý bước “Công chức tư pháp - hộ tịch thẩm định”"
    assert procedure.current.name in notice.body and "Hà Thị Phương" in notice.body  # the desk officer
    # The applicant is told by the dossier's own events, as before.
    assert Notification.objects.filter(dossier=dossier, user=demo.users[CITIZEN], key="").exists()


def test_handing_on_tells_the_leaders_of_the_approving_step(demo, procedure, deputy,
                                                              django_capture_on_commit_callbacks):
    dossier = accepted(demo, procedure)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.forward(
        dossier=dossier, acting_user=demo.users[SPECIALIST]))
    assert told(dossier) == {LEADER: 1, deputy.username: 1}


def test_handing_on_to_a_named_official_tells_only_them(demo, procedure, deputy, django_capture_on_commit_callbacks):
    dossier = accepted(demo, procedure)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.forward(
        dossier=dossier, acting_user=demo.users[SPECIALIST], assignee=deputy))
    assert told(dossier) == {deputy.username: 1}


def test_returning_tells_the_official_of_the_previous_step(demo, procedure, django_capture_on_commit_callbacks):
    dossier = at_approving_step(demo, procedure)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.return_back(
        dossier=dossier, acting_user=demo.users[LEADER], note="Xem lại ngày sinh"))
    assert told(dossier) == {SPECIALIST: 1}


def test_assigning_tells_the_new_assignee_only(demo, procedure, django_capture_on_commit_callbacks):
    colleague = make_official("tuphap2.ducxuan", agency=demo.agencies["01840"], position="Công chức",
                              unit=demo.units[UNIT], roles=["specialist"])
    dossier = accepted(demo, procedure)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.assign(
        dossier=dossier, acting_user=demo.users[LEADER], assignee=colleague))
    assert told(dossier) == {colleague.username: 1}
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.assign(
        dossier=dossier, acting_user=demo.users[LEADER], assignee=demo.users[SPECIALIST]))
    assert told(dossier) == {colleague.username: 1, SPECIALIST: 1}


def test_bulk_assignment_tells_each_dossier_s_assignee(demo, procedure, sign_in, django_capture_on_commit_callbacks):
    first, second = accepted(demo, procedure), accepted(demo, procedure)
    client = sign_in(LEADER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/workspace/dossiers/assign/", {
            "assignee": demo.users[SPECIALIST].pk, "dossier": [first.pk, second.pk],
            f"revision-{first.pk}": first.revision, f"revision-{second.pk}": second.revision})
    assert told(first) == {SPECIALIST: 1} and told(second) == {SPECIALIST: 1}


def test_assigning_a_step_to_oneself_tells_nobody(demo, procedure, django_capture_on_commit_callbacks):
    dossier = at_approving_step(demo, procedure)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.assign(
        dossier=dossier, acting_user=demo.users[LEADER], assignee=demo.users[LEADER]))
    assert told(dossier) == {}


def test_approving_a_result_document_tells_the_other_leaders_to_sign(demo, procedure, deputy,
                                                                     django_capture_on_commit_callbacks):
    dossier = at_approving_step(demo, procedure, with_result=True)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.approve(
        dossier=dossier, acting_user=demo.users[LEADER]))
    assert told(dossier) == {deputy.username: 1}  # the chairman approved it himself: he knows
    assert Notification.objects.get(dossier=dossier, user=deputy).title == f"Hồ sơ {dossier.code} chờ ký kết quả"


def test_approving_a_result_settled_on_paper_tells_the_desk_to_return_it(demo, procedure,
                                                                         django_capture_on_commit_callbacks):
    dossier = at_approving_step(demo, procedure)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.approve(
        dossier=dossier, acting_user=demo.users[LEADER]))
    assert told(dossier) == {DESK: 1}
    assert Notification.objects.get(dossier=dossier, user=demo.users[DESK]).title == (
        f"Hồ sơ {dossier.code} chờ trả kết quả")


def test_resuming_tells_the_official_of_the_step(demo, procedure, django_capture_on_commit_callbacks):
    dossier = workflow.pause(dossier=accepted(demo, procedure), acting_user=demo.users[SPECIALIST],
                             reason="Chờ xác minh")
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.resume(
        dossier=dossier, acting_user=demo.users[LEADER]))
    assert told(dossier) == {SPECIALIST: 1}


def test_proposing_refusal_tells_the_approving_leaders(demo, procedure, django_capture_on_commit_callbacks):
    dossier = accepted(demo, procedure)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.propose_refusal(
        dossier=dossier, acting_user=demo.users[SPECIALIST], reasons="Giấy chứng sinh không hợp lệ"))
    assert told(dossier) == {LEADER: 1}


def test_the_applicant_s_supplement_goes_back_to_the_step_s_official(demo, procedure,
                                                                    django_capture_on_commit_callbacks):
    dossier = workflow.request_supplement(dossier=accepted(demo, procedure), acting_user=demo.users[SPECIALIST],
                                          missing=["Bản sao có chứng thực"])
    assert told(dossier) == {}  # waiting for the applicant: no official is told
    dossier = handed(django_capture_on_commit_callbacks, lambda: services.answer_supplement(
        dossier=dossier, applicant=demo.users[CITIZEN], uploads={}, note="Đã bổ sung"))
    assert told(dossier) == {SPECIALIST: 1}


def test_a_supplement_answered_at_intake_goes_back_to_the_desk(demo, procedure, django_capture_on_commit_callbacks):
    dossier = workflow.request_supplement(dossier=submitted(demo, procedure), acting_user=demo.users[DESK],
                                          missing=["Giấy chứng sinh bản chính"])
    dossier = handed(django_capture_on_commit_callbacks, lambda: services.answer_supplement(
        dossier=dossier, applicant=demo.users[CITIZEN], uploads={}))
    assert told(dossier) == {DESK: 1}
    assert Notification.objects.get(dossier=dossier, user=demo.users[DESK]).title == (
        f"Hồ sơ {dossier.code} chờ tiếp nhận")


def test_asking_the_applicant_to_supplement_tells_no_official(demo, procedure, django_capture_on_commit_callbacks):
    dossier = accepted(demo, procedure)
    dossier = handed(django_capture_on_commit_callbacks, lambda: workflow.request_supplement(
        dossier=dossier, acting_user=demo.users[SPECIALIST], missing=["Bản sao"]))
    assert told(dossier) == {}


def test_telling_twice_about_the_same_hand_over_tells_once(demo, procedure, django_capture_on_commit_callbacks):
    dossier = accepted(demo, procedure)
    with django_capture_on_commit_callbacks(execute=True):
        assert handover.tell_next_actor(dossier, by=demo.users[DESK])
        assert handover.tell_next_actor(dossier, by=demo.users[DESK])
    assert told(dossier) == {SPECIALIST: 1}


# --- signing, issuing, returning (the signing PKI) ------------------------------------------------

pki = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")


@pki
def test_signing_tells_the_clerks_of_the_issuing_agency_and_lists_it_to_issue(
        registered, demo, procedure, django_capture_on_commit_callbacks):
    colleague = make_official("vanthu2.ducxuan", agency=demo.agencies["01840"], position="Văn thư",
                              roles=["clerk"])
    dossier = approved(demo, procedure, with_result=True)
    clerk, leader = demo.users[CLERK], demo.users[LEADER]
    assert dossier not in tab_queryset(clerk, "issue", timezone.now())
    dossier = handed(django_capture_on_commit_callbacks, lambda: results.sign_current_result(
        dossier=dossier, acting_user=leader, confirmation=confirmation(leader)).dossier)
    assert told(dossier) == {CLERK: 1, colleague.username: 1}  # not vanthu.stp, not the desk
    assert Notification.objects.get(dossier=dossier, user=clerk).title == (
        f"Hồ sơ {dossier.code} chờ phát hành kết quả")
    assert dossier in tab_queryset(clerk, "issue", timezone.now())
    assert dossier not in tab_queryset(demo.users["vanthu.stp"], "issue", timezone.now())


@pki
def test_issuing_tells_the_desk_that_returns_the_result(registered, demo, procedure,
                                                         django_capture_on_commit_callbacks):
    dossier = signed(demo, procedure)
    clerk = demo.users[CLERK]
    dossier = handed(django_capture_on_commit_callbacks, lambda: results.issue_result(
        dossier=dossier, acting_user=clerk, confirmation=confirmation(clerk)).dossier)
    assert told(dossier) == {DESK: 1}
    assert Notification.objects.get(dossier=dossier, user=demo.users[DESK]).title == (
        f"Hồ sơ {dossier.code} chờ trả kết quả")


@pki
def test_batch_signing_tells_the_clerks_once_per_dossier(registered, demo, procedure,
                                                          django_capture_on_commit_callbacks):
    from dossiers.batch_signing import batch_sign

    first, second = approved(demo, procedure, with_result=True), approved(demo, procedure, with_result=True)
    leader = demo.users[LEADER]
    with django_capture_on_commit_callbacks(execute=True):
        batch_sign(result_files=[results.result_for(first), results.result_for(second)], signer=leader,
                   confirmation=confirmation(leader))
    assert told(first) == {CLERK: 1} and told(second) == {CLERK: 1}


# --- the signer's confirmation ------------------------------------------------------------------


NO_DEVICE = ("You have not set up a one-time code yet, so you cannot sign. Set it up on the page “Set up "
             "two-step sign-in” (/accounts/security/totp/) under Account security, then sign again.")


def refusal(user, **kwargs) -> str:
    with pytest.raises(PermissionDenied) as refused:
        confirm(user, **kwargs)
    return str(refused.value)


def test_an_official_without_a_one_time_code_device_is_told_where_to_set_one_up(demo):
    specialist = demo.users[SPECIALIST]
    assert not TOTPDevice.objects.filter(user=specialist).exists()
    with translation.override("en"):
        assert refusal(specialist, password=DEMO_PASSWORD, totp="123456") == NO_DEVICE
        assert refusal(specialist, password=DEMO_PASSWORD, totp="") == NO_DEVICE
        # A wrong password reveals nothing about the device.
        assert refusal(specialist, password="sai-mat-khau", totp="123456") == "Wrong password."
    with translation.override("vi"):
        assert refusal(specialist, password=DEMO_PASSWORD, totp="123456") == (
            "Bạn chưa thiết lập mã xác thực một lần nên chưa thể ký. Hãy thiết lập tại trang “Thiết lập xác thực "
            "hai bước” (/accounts/security/totp/) trong mục Bảo mật tài khoản, rồi ký lại.")


WRONG_CODE = "The one-time code is wrong or has already been used. Enter the code your authenticator app shows now."


def test_a_missing_a_wrong_and_a_used_one_time_code_are_told_apart(demo):
    leader = demo.users[LEADER]
    device = TOTPDevice.objects.get(user=leader, confirmed=True)
    code = current_code(device)
    with translation.override("en"):
        assert refusal(leader, password=DEMO_PASSWORD, totp="") == (
            "Enter the one-time code shown by the authenticator app on your phone to sign.")
        assert refusal(leader, password="sai-mat-khau", totp=code) == "Wrong password."
        assert confirm(leader, password=DEMO_PASSWORD, totp=code).user_id == leader.pk
        assert refusal(leader, password=DEMO_PASSWORD, totp=code) == WRONG_CODE  # the same code again
    with translation.override("vi"):
        assert refusal(leader, password=DEMO_PASSWORD, totp="") == (
            "Nhập mã xác thực một lần hiển thị trên ứng dụng xác thực trong điện thoại để ký.")
        assert refusal(leader, password="sai-mat-khau", totp=code) == "Sai mật khẩu."


def test_a_wrong_code_is_told_and_the_pause_after_it_too(demo):
    leader = demo.users[LEADER]
    device = TOTPDevice.objects.get(user=leader, confirmed=True)
    code = current_code(device)
    wrong = f"{(int(code) + 500000) % 1000000:06d}"
    with translation.override("en"):
        assert refusal(leader, password=DEMO_PASSWORD, totp=wrong) == WRONG_CODE
        # Right after a wrong code django-otp pauses the device: said so, not "wrong code".
        assert refusal(leader, password=DEMO_PASSWORD, totp=code).startswith(
            "Too many wrong one-time codes in a row. Wait until ")
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    with translation.override("vi"):
        assert refusal(leader, password=DEMO_PASSWORD, totp=wrong) == (
            "Mã xác thực một lần sai hoặc đã được dùng. Hãy nhập mã đang hiển thị trên ứng dụng xác thực.")
        assert refusal(leader, password=DEMO_PASSWORD, totp=code).startswith(
            "Đã nhập sai mã xác thực một lần nhiều lần liên tiếp. Hãy chờ đến ")


# --- the hint on the signing forms -------------------------------------------------------------


ENROL_LINK = 'href="/accounts/security/totp/"'


def test_the_sign_and_issue_forms_link_to_the_enrolment_only_without_a_device(demo, procedure):
    dossier = approved(demo, procedure, with_result=True)
    leader = demo.users[LEADER]
    with translation.override("vi"):
        form = SignatureConfirmationForm(dossier=dossier, user=leader, prefix="sign_result")
        assert not form["otp_token"].help_text and form.fields["otp_token"].required
        TOTPDevice.objects.filter(user=leader).delete()
        form = SignatureConfirmationForm(dossier=dossier, user=leader, prefix="sign_result")
        assert ENROL_LINK in str(form["otp_token"].help_text)
        assert "Thiết lập xác thực hai bước" in str(form["otp_token"].help_text)


def test_the_dossier_page_and_the_batch_page_show_the_hint_to_a_leader_who_lost_the_device(
        demo, procedure, sign_in):
    dossier = approved(demo, procedure, with_result=True)
    client = sign_in(LEADER)
    assert ENROL_LINK not in client.get("/workspace/dossiers/to-sign/").content.decode()
    TOTPDevice.objects.filter(user=demo.users[LEADER]).delete()  # a lost phone, reset by the administrator
    batch_page = client.get("/workspace/dossiers/to-sign/").content.decode()
    assert dossier.code in batch_page and ENROL_LINK in batch_page
    assert ENROL_LINK in client.get(f"/workspace/dossiers/{dossier.pk}/").content.decode()
    # Trying anyway says the same, after the password was checked.
    response = client.post(f"/workspace/dossiers/{dossier.pk}/sign-result/", {
        "sign_result-revision": dossier.revision, "sign_result-password": DEMO_PASSWORD,
        "sign_result-otp_token": ""}, follow=True)
    assert "Bạn chưa thiết lập mã xác thực một lần" in response.content.decode()
