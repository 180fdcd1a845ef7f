"""A dossier in every state of the back office, one line each, through the real doors; and every
door called with arguments it would accept, for tests that ask "who may do what now".

The process is the commune's two steps: the civil-status officer of Đức Xuân (Tư pháp - Hộ tịch)
examines, the chairman approves. The result states need the signing PKI (``registered``)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory.demo import DEMO_PASSWORD
from dossiers import policy, results, services, workflow
from dossiers.models import Dossier, Slip
from dossiers.office_forms import officials_holding
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

DESK, SPECIALIST, LEADER, CLERK = "motcua.ducxuan", "tuphap.ducxuan", "chutich.ducxuan", "vanthu.ducxuan"
UNIT = ("01840", "Tư pháp - Hộ tịch")


def birth_procedure(demo, code="9.000700"):
    procedure = make_procedure(agencies=[demo.agencies["01840"], demo.agencies["01837"]], days=3, code=code)
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Công chức tư pháp - hộ tịch thẩm định",
                               unit=demo.units[UNIT], role="specialist", hours=Decimal("15"),
                               actions=["forward", "supplement", "pause", "propose_refusal"])
    ProcessStep.objects.create(definition=definition, order=2, name="Chủ tịch UBND phường phê duyệt",
                               role="agency_leader", hours=Decimal("7.5"), actions=["approve", "refuse", "return"])
    publish(definition=definition)
    return procedure


def submitted(demo, procedure, agency="01840") -> Dossier:
    citizen = demo.users["congdan@example.vn"]
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies[agency])
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
    papers = list(procedure.current.papers.all())
    services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    return services.submit(dossier=draft, applicant=citizen)


def accepted(demo, procedure) -> Dossier:
    return workflow.accept(dossier=submitted(demo, procedure), acting_user=demo.users[DESK],
                           unit=demo.units[UNIT])


def at_approving_step(demo, procedure, *, with_result: bool = False) -> Dossier:
    dossier = accepted(demo, procedure)
    if with_result:
        results.prepare_result(dossier=dossier, acting_user=demo.users[SPECIALIST])
    return workflow.forward(dossier=dossier, acting_user=demo.users[SPECIALIST])


def approved(demo, procedure, *, with_result: bool = False) -> Dossier:
    dossier = at_approving_step(demo, procedure, with_result=with_result)
    return workflow.approve(dossier=dossier, acting_user=demo.users[LEADER])


_confirmations: dict = {}


def confirmation(user):
    """A fresh signing confirmation (password and one-time code) for anyone. Reused while it is
    valid: a one-time code is accepted only once."""
    from django.core.exceptions import PermissionDenied
    from django_otp.oath import totp

    from signing.services import check_confirmation, confirm

    known = _confirmations.get(user.pk)
    if known is not None:
        try:
            check_confirmation(user, known)
            return known
        except PermissionDenied:
            pass
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Thử nghiệm", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"
    _confirmations[user.pk] = confirm(user, password=DEMO_PASSWORD, totp=code)
    return _confirmations[user.pk]


def signed(demo, procedure) -> Dossier:
    dossier = approved(demo, procedure, with_result=True)
    leader = demo.users[LEADER]
    results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=confirmation(leader))
    return Dossier.objects.get(pk=dossier.pk)


def issued(demo, procedure) -> Dossier:
    dossier = signed(demo, procedure)
    clerk = demo.users[CLERK]
    results.issue_result(dossier=dossier, acting_user=clerk, confirmation=confirmation(clerk))
    return Dossier.objects.get(pk=dossier.pk)


def near_due(demo, procedure) -> Dossier:
    dossier = accepted(demo, procedure)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() + dt.timedelta(hours=1))
    return Dossier.objects.get(pk=dossier.pk)


def _then(build, door):
    def scenario(demo, procedure):
        dossier = build(demo, procedure)
        door(demo, dossier)
        return Dossier.objects.get(pk=dossier.pk)

    return scenario


# name: builder(demo, procedure) -> dossier
SCENARIOS = {
    "submitted": submitted,
    "supplement at intake": _then(submitted, lambda demo, d: workflow.request_supplement(
        dossier=d, acting_user=demo.users[DESK], missing=["Giấy chứng sinh bản chính"])),
    "examining": accepted,
    "examining, assigned": _then(accepted, lambda demo, d: workflow.assign(
        dossier=d, acting_user=demo.users[LEADER], assignee=demo.users[SPECIALIST])),
    "supplement in processing": _then(accepted, lambda demo, d: workflow.request_supplement(
        dossier=d, acting_user=demo.users[SPECIALIST], missing=["Bản sao có chứng thực"])),
    "paused": _then(accepted, lambda demo, d: workflow.pause(
        dossier=d, acting_user=demo.users[SPECIALIST], reason="Chờ xác minh")),
    "approving": at_approving_step,
    "near due": near_due,
    "apology waiting": _then(near_due, lambda demo, d: workflow.draft_apology(
        dossier=d, acting_user=demo.users[DESK], reason="Chờ xác minh",
        new_due_at=d.due_at + dt.timedelta(days=3))),
    "approved on paper": approved,
    "result drafted": lambda demo, procedure: approved(demo, procedure, with_result=True),
    "result signed": signed,
    "result issued": issued,
    "completed": _then(approved, lambda demo, d: workflow.return_result(
        dossier=d, acting_user=demo.users[DESK], at_counter=True)),
    "refused at intake": _then(submitted, lambda demo, d: workflow.refuse_at_intake(
        dossier=d, acting_user=demo.users[DESK], reasons="Không thuộc thẩm quyền")),
    "withdrawn": _then(submitted, lambda demo, d: services.withdraw(
        dossier=d, applicant=demo.users["congdan@example.vn"], reason="Nộp nhầm")),
    "stopped": _then(accepted, lambda demo, d: workflow.stop_processing(
        dossier=d, acting_user=demo.users[LEADER], reason="Người nộp không bổ sung hồ sơ")),
}
NEEDS_PKI = {"result signed", "result issued"}


# --- every door, with arguments it would accept -----------------------------------------------


def _assignee(dossier: Dossier, demo):
    line = dossier.current_step
    if line is None:
        return demo.users[SPECIALIST]
    return officials_holding(line.role, line.agency_id, line.unit_id).first() or demo.users[SPECIALIST]


def _apology_slip(dossier: Dossier):
    return policy.pending_apology(dossier) or dossier.slips.filter(form=Slip.Form.APOLOGY).first()


def _approve_apology(user, dossier, demo, confirm):
    slip = _apology_slip(dossier)
    if slip is None:  # nothing to approve: the door cannot even be called
        raise services.TransitionRefused("no apology letter")
    return workflow.approve_apology(slip=slip, acting_user=user)


DOORS = {
    "accept": lambda u, d, demo, c: workflow.accept(dossier=d, acting_user=u, unit=demo.units[UNIT]),
    "supplement": lambda u, d, demo, c: workflow.request_supplement(dossier=d, acting_user=u, missing=["Bản sao"]),
    "refuse_intake": lambda u, d, demo, c: workflow.refuse_at_intake(dossier=d, acting_user=u, reasons="Sai"),
    "forward": lambda u, d, demo, c: workflow.forward(dossier=d, acting_user=u, note="Đủ điều kiện"),
    "prepare_result": lambda u, d, demo, c: results.prepare_result(dossier=d, acting_user=u),
    "approve": lambda u, d, demo, c: workflow.approve(dossier=d, acting_user=u, note="Đồng ý"),
    "return": lambda u, d, demo, c: workflow.return_back(dossier=d, acting_user=u, note="Xem lại"),
    "assign": lambda u, d, demo, c: workflow.assign(dossier=d, acting_user=u, assignee=_assignee(d, demo)),
    "pause": lambda u, d, demo, c: workflow.pause(dossier=d, acting_user=u, reason="Chờ xác minh"),
    "resume": lambda u, d, demo, c: workflow.resume(dossier=d, acting_user=u),
    "propose_refusal": lambda u, d, demo, c: workflow.propose_refusal(dossier=d, acting_user=u, reasons="Giả mạo"),
    "refuse": lambda u, d, demo, c: workflow.refuse(dossier=d, acting_user=u, reasons="Giả mạo"),
    "sign_result": lambda u, d, demo, c: results.sign_current_result(dossier=d, acting_user=u, confirmation=c(u)),
    "issue_result": lambda u, d, demo, c: results.issue_result(dossier=d, acting_user=u, confirmation=c(u)),
    "return_result": lambda u, d, demo, c: workflow.return_result(
        dossier=d, acting_user=u, at_counter=policy.result_stage(d) != "issued"),
    "apology": lambda u, d, demo, c: workflow.draft_apology(
        dossier=d, acting_user=u, reason="Chờ xác minh",
        new_due_at=(d.due_at or timezone.now()) + dt.timedelta(days=3)),
    "approve_apology": _approve_apology,
    "stop_processing": lambda u, d, demo, c: workflow.stop_processing(dossier=d, acting_user=u,
                                                                      reason="Quá hạn bổ sung"),
}


def try_door(name: str, user, dossier: Dossier, demo, confirm) -> tuple[bool, str | None]:
    """Call door ``name`` as ``user`` and undo everything it did: (succeeded, status it led to).

    A savepoint, not an atomic block: the doors are durable, and only the test case's own
    transaction may surround them."""
    from django.core.exceptions import PermissionDenied, ValidationError

    fresh = Dossier.objects.get(pk=dossier.pk)
    savepoint = transaction.savepoint()
    try:
        DOORS[name](user, fresh, demo, confirm)
        return True, Dossier.objects.get(pk=dossier.pk).status
    except (PermissionDenied, ValidationError, services.StaleDossier):
        return False, None
    finally:
        transaction.savepoint_rollback(savepoint)
