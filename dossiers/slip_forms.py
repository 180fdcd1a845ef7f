"""What each slip of the one-stop process says (``dossiers.slips`` renders them): the fields of
each official template, filled from the dossier, in Vietnamese and in Vietnam's time.

The two form sets word the same slips differently: Circular 01/2018/TT-VPCP speaks of the
"Bộ phận tiếp nhận và trả kết quả" and of the province's portal; Circular 03/2025/TT-VPCP, under
Decree 118/2025/NĐ-CP, of the "Bộ phận Một cửa", the National Public Service Portal, the channel a
dossier came through, the centre and reception point that received it, the person acting under an
authorisation, and where the result goes back. Which fields are confirmed from the published
templates and which are assumed is written in decision 0014.
"""

import datetime as dt
from dataclasses import dataclass

from directory.authority import authority_block
from directory.models import Membership
from processes.models import StepAction
from workdays.years import is_provisional

from .models import Channel, Dossier, DossierStep, FilePurpose, Outcome, ReturnMethod, Slip
from .pdf import addressee, local, moment_text, short_moment
from .result_state import issuing_agency
from .states import Status


@dataclass(frozen=True)
class Terms:
    legacy: bool  # Circular 01/2018/TT-VPCP (Decree 61/2018/NĐ-CP)
    desk: str
    portal: str


LEGACY_SETS = {"tt01-2018"}
LEGACY = Terms(True, "Bộ phận tiếp nhận và trả kết quả", "Cổng Dịch vụ công")
CURRENT = Terms(False, "Bộ phận Một cửa", "Cổng Dịch vụ công quốc gia")


def terms_for(form_set) -> Terms:
    return LEGACY if form_set.code in LEGACY_SETS else CURRENT


# Result of a period on the control slip.
STEP_RESULT = {
    DossierStep.Timeliness.EARLY: "Trước hạn",
    DossierStep.Timeliness.ON_TIME: "Đúng hạn",
    DossierStep.Timeliness.LATE: "Quá hạn",
}
IN_HAND = "Đang xử lý"
OUTCOME_TEXT = {
    Outcome.EARLY: "đã giải quyết, trả kết quả trước hạn",
    Outcome.ON_TIME: "đã giải quyết, trả kết quả đúng hạn",
    Outcome.LATE: "đã giải quyết, trả kết quả quá hạn",
    Outcome.REFUSED: "từ chối giải quyết hồ sơ",
    Outcome.WITHDRAWN: "người nộp đã rút hồ sơ",
    Outcome.STOPPED: "dừng giải quyết hồ sơ",
}
STATUS_TEXT = {
    Status.SUBMITTED: "chờ tiếp nhận",
    Status.SUPPLEMENT_REQUESTED: "chờ người nộp bổ sung, hoàn thiện hồ sơ",
    Status.IN_PROGRESS: "đang giải quyết",
    Status.PAUSED: "tạm dừng giải quyết",
    Status.RESULT_READY: "đã có kết quả, chờ trả",
}
CHANNEL_TEXT = {
    Channel.ONLINE: "Trực tuyến trên Cổng Dịch vụ công quốc gia",
    Channel.COUNTER: "Trực tiếp tại Bộ phận Một cửa",
    Channel.POST: "Qua dịch vụ bưu chính công ích",
    Channel.API: "Trực tuyến qua hệ thống thông tin kết nối",
}
SUBMITTED_BY_CHANNEL = {Channel.ONLINE: "(Nộp trực tuyến)", Channel.API: "(Nộp trực tuyến)",
                        Channel.POST: "(Nộp qua dịch vụ bưu chính công ích)"}


# --- shared pieces -------------------------------------------------------------------------------

def moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def name_of(user) -> str:
    return user.get_full_name() if user is not None else ""


def position_of(user, agency_id: int, day: dt.date | None = None, default: str = "Lãnh đạo cơ quan") -> str:
    """The position the signer holds at the agency on ``day`` (today by default)."""
    membership = (Membership.objects.valid_on(day).filter(official=user, agency_id=agency_id, position__isnull=False)
                  .select_related("position").first()) if user is not None else None
    return membership.position.name if membership is not None else default


def applicant_of(dossier: Dossier) -> dict:
    """Who the slips address: the applicant, the organisation applying, the person acting for them."""
    representative = None
    if dossier.representative_name:
        representative = {"name": dossier.representative_name, "id_number": dossier.representative_id_number,
                          "phone": dossier.representative_phone, "authorisation": dossier.authorisation}
    organisation = None
    if dossier.organisation_id:
        organisation = {"name": dossier.organisation.name, "tax_code": dossier.organisation.tax_code,
                        "address": dossier.organisation.address}
    return {
        "addressee": addressee(dossier),
        "addressee_lower": addressee(dossier).lower(),
        "applicant": {"name": dossier.applicant_name, "address": dossier.applicant_address,
                      "phone": dossier.applicant_phone, "email": dossier.applicant_email,
                      "id_number": dossier.applicant_id_number},
        "organisation": organisation,
        "representative": representative,
    }


def _with_address(text: str, address: str) -> str:
    return f"{text}, {address}" if address else text


def desk_name(dossier: Dossier, terms: Terms) -> str:
    """The one-stop department that received the dossier: the centre (and its reception point), or
    the settling agency's own desk."""
    if dossier.receiving_centre_id:
        point = f" – {dossier.reception_point.name}" if dossier.reception_point_id else ""
        return dossier.receiving_centre.name + point
    return f"{terms.desk} – {dossier.agency.name}"


def desk_place(dossier: Dossier, terms: Terms) -> str:
    """The department that received the dossier, with its address."""
    if dossier.receiving_centre_id:
        point = dossier.reception_point
        address = (point.address if point is not None else "") or dossier.receiving_centre.address
        return _with_address(desk_name(dossier, terms), address)
    return _with_address(desk_name(dossier, terms), dossier.agency.address)


def return_desk(dossier: Dossier, terms: Terms) -> str:
    """The desk that hands the result over: the centre the applicant chose to collect it at, else the
    settling agency's own desk (which also sends it by post or online)."""
    if dossier.return_method == ReturnMethod.DESK and dossier.return_centre_id:
        return dossier.return_centre.name
    return f"{terms.desk} – {dossier.agency.name}"


def return_place(dossier: Dossier, terms: Terms) -> str:
    """Where and how the applicant registered to receive the result."""
    if dossier.return_method == ReturnMethod.POST:
        return f"Qua dịch vụ bưu chính công ích, gửi đến địa chỉ: {dossier.applicant_address or '……'}"
    if dossier.return_method == ReturnMethod.ONLINE:
        return f"Trực tuyến trên {terms.portal}"
    if dossier.return_centre_id:
        return _with_address(dossier.return_centre.name, dossier.return_centre.address)
    return _with_address(f"{terms.desk} – {dossier.agency.name}", dossier.agency.address)


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def receipt_number(slip: Slip, dossier: Dossier) -> str:
    """The receipt's number (Mẫu 01): its register entry over the register's book, "Số: 07/2026" (the
    entry and the book "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 7" name, decision 0014; a
    zero before numbers under 10, as for documents, Decree 30/2020). Other desk slips carry none."""
    if slip.form != Slip.Form.RECEIPT or dossier.register_number is None:
        return ""
    return f"Số: {dossier.register_number:02d}/{dossier.register_year}"


# --- each form -----------------------------------------------------------------------------------

def _receipt(slip: Slip, dossier: Dossier, common: dict) -> dict:
    files = (dossier.files.filter(replaced=False, purpose__in=[FilePurpose.PAPER, FilePurpose.SUPPLEMENT])
             .select_related("requirement").order_by("requirement__order", "uploaded_at", "id"))
    papers: dict[object, dict] = {}
    for record in files:
        key = record.requirement_id or f"file-{record.pk}"
        name = record.requirement.name if record.requirement else "Giấy tờ bổ sung"
        papers.setdefault(key, {"name": name, "files": []})["files"].append(record.original_name)
    due_at = moment(slip.content.get("due_at")) or dossier.due_at
    provisional = " (dự kiến: lịch nghỉ lễ, tết chính thức của năm đó chưa được công bố)" if is_provisional(due_at) else ""
    who = common["representative"]["name"] if common["representative"] else dossier.applicant_name
    return {
        "papers": list(papers.values()),
        "papers_count": f"{len(papers):02d}",
        # As fixed at receipt (with a special-difficulty extension and why), else the procedure's.
        "time_limit": slip.content.get("time_limit") or dossier.procedure_version.limit_text,
        "received_text": moment_text(dossier.received_at),
        # Received after hours or in a Saturday session: the time limit counts from the next working day.
        "counted_from_text": moment_text(moment(slip.content["counted_from"])) if slip.content.get("counted_from")
        else "",
        "appointment_text": moment_text(due_at) + provisional,
        # A new appointment (supplement answered, calendar changed): the date it replaces and why.
        "new_appointment": bool(slip.content.get("new_appointment")),
        "previous_appointment_text": moment_text(moment(slip.content.get("previous_due_at")))
        if slip.content.get("previous_due_at") else "……",
        "new_appointment_reason": slip.content.get("reason", ""),
        "collect_at": return_place(dossier, common["terms"]),
        "channel_text": CHANNEL_TEXT[dossier.channel],
        "fees_text": _money(dossier.fee_amount) if dossier.fee_amount else "Không",
        "register_book": str(dossier.register_year or "……"),
        "register_entry": str(dossier.register_number or "……"),
        "submitter": SUBMITTED_BY_CHANNEL.get(dossier.channel, who),
    }


def _supplement(slip: Slip, dossier: Dossier, common: dict) -> dict:
    return {"missing": list(slip.content.get("missing", [])), "note": slip.content.get("note", "")}


# Decree 30/2020, Appendix I: where the signer is not known yet, the form's own placeholder.
UNSIGNED_AUTHORITY = ("QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ",)


def signer_lines(signer, agency, at) -> tuple[str, ...]:
    """The signing authority printed above the signature (directory.authority: TM., KT., Q., TL., TUQ.)."""
    if signer is None:
        return UNSIGNED_AUTHORITY
    return authority_block(signer=signer, agency=agency, at=at).lines or UNSIGNED_AUTHORITY


def _refusal(slip: Slip, dossier: Dossier, common: dict) -> dict:
    return {"reasons": slip.content.get("reasons", "")}


def _apology(slip: Slip, dossier: Dossier, common: dict) -> dict:
    """The apology (Mẫu 04): a draft until the leader approves it; under Circular 03/2025 it asks to
    extend the time limit to the new date, and says who approved the extension and when."""
    approved = slip.approved_at is not None
    role = "Thủ trưởng cơ quan"
    if approved:
        role = position_of(slip.approved_by, dossier.agency_id, local(slip.approved_at).date(), role)
    return {
        "draft": not approved,
        "signer_lines": signer_lines(slip.approved_by if approved else None, dossier.agency, slip.approved_at),
        "approver_role": role,
        "signer_name": name_of(slip.approved_by) if approved else "",
        "approved_text": moment_text(slip.approved_at),
        "received_day": common["received_day"] or "ngày ……",
        "reason": slip.content.get("reason", ""),
        "original_due_text": moment_text(moment(slip.content.get("due_at")) or dossier.due_at),
        "new_due_text": moment_text(moment(slip.content.get("new_due_at"))),
    }


def _stop(slip: Slip, dossier: Dossier, common: dict) -> dict:
    agency = issuing_agency(dossier)
    return {"reason": slip.content.get("reason", ""), "settling_agency": agency.name,
            "received_day": common["received_day"] or "ngày ……",
            "signer_lines": signer_lines(slip.created_by, agency, slip.created_at)}


def _notice(slip: Slip, dossier: Dossier, common: dict) -> dict:
    """The written notice of a dossier refused after examination, with the reasons, signed by the
    leader who refused it at the approving step."""
    agency = issuing_agency(dossier)
    return {"reasons": slip.content.get("reasons", ""), "settling_agency": agency.name,
            "received_day": common["received_day"] or "ngày ……",
            "signer_lines": signer_lines(slip.created_by, agency, slip.created_at)}


def _place(step: DossierStep) -> str:
    return f"{step.unit.name} – {step.agency.name}" if step.unit_id else step.agency.name


def _public_note(step: DossierStep) -> str:
    """A step's note as the control slip shows it: never the leader's remark at approval, which is
    internal (DossierEvent.internal) and is told to nobody outside the agency."""
    return "" if step.action == StepAction.APPROVE else step.note


def _split(at: dt.datetime | None) -> tuple[str, str]:
    time, _space, day = short_moment(at).partition(" ")
    return time, day


def _row(task: str, giver_place: str, receiver_place: str, at, giver: str, receiver: str, result: str,
         note: str = "") -> dict:
    """A hand-over: ``task`` is the work whose period it ends, ``result`` how timely that period was."""
    return {"task": task, "from": giver_place, "to": receiver_place, "at": _split(at) if at else None,
            "giver": giver, "receiver": receiver, "result": result, "note": note}


def _final_row(dossier: Dossier, desk: str, who: str, events: list) -> dict | None:
    """The hand-over to the applicant: the result returned, or the notice that ends the dossier."""
    ends = {Status.COMPLETED: "Trả kết quả", Status.REFUSED: "Trả thông báo từ chối giải quyết hồ sơ",
            Status.STOPPED: "Trả thông báo dừng giải quyết hồ sơ"}
    event = next((e for e in reversed(events) if e.status == dossier.status), None)
    if dossier.status not in ends or event is None or not dossier.steps.exists():
        return None
    result = ""
    if dossier.status == Status.COMPLETED and dossier.outcome in STEP_RESULT:
        result = STEP_RESULT[dossier.outcome]
    note = ends[dossier.status]
    if dossier.status == Status.COMPLETED:
        note += {ReturnMethod.DESK: " tại Bộ phận Một cửa", ReturnMethod.POST: " qua dịch vụ bưu chính công ích",
                 ReturnMethod.ONLINE: " trực tuyến"}[dossier.return_method]
    return _row("Trả kết quả giải quyết hồ sơ", desk, "Người nộp hồ sơ", event.at, name_of(event.actor), who, result,
                note)


def _control(slip: Slip, dossier: Dossier, common: dict) -> dict:
    """One line per hand-over: the desk to the first step, each step to the next (another unit or
    agency, or the same place to another official), the last step back to the desk, and the desk
    to the applicant; the period of whoever hands it on is early, on time or late."""
    steps = list(DossierStep.objects.filter(dossier=dossier)
                 .select_related("agency", "unit", "assignee", "handed_by").order_by("received_at", "id"))
    events = list(dossier.events.select_related("actor").order_by("at", "id"))
    desk, back = common["desk_name"], return_desk(dossier, common["terms"])
    accepted = next((e for e in events if e.from_status == Status.SUBMITTED and e.status == Status.IN_PROGRESS), None)
    rows, partners = [], []
    if steps:
        first = steps[0]
        intake = ""
        if dossier.intake_due_at and dossier.received_at:
            from .deadlines import classify

            intake = STEP_RESULT[classify(dossier.received_at, dossier.intake_due_at)]
        rows.append(_row("Tiếp nhận hồ sơ", desk, _place(first), first.received_at,
                         name_of(accepted.actor if accepted else None), name_of(first.assignee), intake))
    for index, step in enumerate(steps):
        if step.agency_id != dossier.agency_id and step.agency.name not in partners:
            partners.append(step.agency.name)
        if step.handed_at is None:
            rows.append(_row(step.name, _place(step), "", None, name_of(step.assignee), "", IN_HAND))
            continue
        following = steps[index + 1] if index + 1 < len(steps) else None
        rows.append(_row(step.name, _place(step), _place(following) if following else back, step.handed_at,
                         name_of(step.handed_by), name_of(following.assignee) if following else "",
                         STEP_RESULT.get(step.timeliness, ""), _public_note(step)))
    who = common["representative"]["name"] if common["representative"] else dossier.applicant_name
    final = _final_row(dossier, back, who, events)
    if final is not None:
        rows.append(final)
    if dossier.outcome:
        outcome = OUTCOME_TEXT[dossier.outcome]
        if dossier.result_ready_at and dossier.outcome in (Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE):
            outcome += f" (kết quả có lúc {moment_text(dossier.result_ready_at)})"
    else:
        outcome = STATUS_TEXT.get(dossier.status, "")
    return {
        "rows": rows,
        "partners": partners,
        "received_text": moment_text(dossier.received_at),
        "due_text": moment_text(dossier.due_at),
        "new_due_text": moment_text(dossier.apology_due_at) if dossier.apology_due_at else "",
        "outcome_text": outcome,
        "as_of_text": moment_text(common["as_of"]),
    }


FORM_CONTEXT = {
    Slip.Form.RECEIPT: _receipt,
    Slip.Form.SUPPLEMENT: _supplement,
    Slip.Form.REFUSAL: _refusal,
    Slip.Form.APOLOGY: _apology,
    Slip.Form.CONTROL: _control,
    Slip.Form.STOP: _stop,
    Slip.Form.NOTICE: _notice,
}
