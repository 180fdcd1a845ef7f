"""The official slips of the one-stop process as PDFs, numbered and titled by the dossier's form
set (``legal.FormSet``: Circular 03/2025/TT-VPCP for dossiers submitted from 1 July 2025, Circular
01/2018/TT-VPCP before):

* giấy tiếp nhận hồ sơ và hẹn trả kết quả — receipt and appointment (Mẫu 01);
* phiếu yêu cầu bổ sung, hoàn thiện hồ sơ — request to supplement (Mẫu 02);
* phiếu từ chối tiếp nhận giải quyết hồ sơ — refusal at intake (Mẫu 03);
* phiếu / văn bản xin lỗi — apology and new appointment or extension (Mẫu 04);
* phiếu kiểm soát quá trình giải quyết hồ sơ — process control, one line per hand-over (Mẫu 05
  under Circular 01/2018, Mẫu 06 under Circular 03/2025).

``dossiers.workflow`` creates the ``Slip`` rows with what they say (``content``) and schedules
:func:`render` after commit. The forms are official documents: they are always in Vietnamese,
whatever the reader's language, so their texts are written in the templates
(``dossiers/templates/dossiers/slips/<form>.html``) and rendering happens under
``translation.override("vi")``. Every date and time is Vietnam's (Asia/Ho_Chi_Minh).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import Membership
from workdays.years import is_provisional

from . import selectors
from .models import Channel, Dossier, DossierStep, FilePurpose, Outcome, Slip
from .pdf import addressee, date_text, heading, html_to_pdf, local, moment_text, place_of, short_moment
from .result_state import issuing_agency as selectors_issuing_agency
from .states import Status

# Result of a step on the control slip (Mẫu 05).
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
}
STATUS_TEXT = {
    Status.SUBMITTED: "chờ tiếp nhận",
    Status.SUPPLEMENT_REQUESTED: "chờ người nộp bổ sung, hoàn thiện hồ sơ",
    Status.IN_PROGRESS: "đang giải quyết",
    Status.PAUSED: "tạm dừng giải quyết",
}
NUMBER_PLACEHOLDER = "Số: ……/……"  # slips are numbered in the register (Mẫu 06) when it exists
DESK = "Bộ phận tiếp nhận và trả kết quả"
ONLINE_PORTAL = "Cổng Dịch vụ công"


# --- rendering ---------------------------------------------------------------------------------

def render(slip_id: int) -> Slip:
    """Make the slip's PDF and store it in ``slip.file``, replacing the previous one (its file is
    deleted once the new one is committed). The PDF is made outside any row lock; if the slip
    changed meanwhile (an apology approved while its draft was rendering), it is made again, so
    the stored file always shows the slip as it stands."""
    html = _html(Slip.objects.get(pk=slip_id))
    for _attempt in range(5):
        pdf = html_to_pdf(html)
        with transaction.atomic():
            slip = Slip.objects.select_for_update().get(pk=slip_id)
            current = _html(slip)
            if current == html:
                _store(slip, pdf)
                return slip
        html = current
    with transaction.atomic():  # still changing: make it under the lock
        slip = Slip.objects.select_for_update().get(pk=slip_id)
        _store(slip, html_to_pdf(_html(slip)))
        return slip


def _html(slip: Slip) -> str:
    with translation.override("vi"):
        return render_to_string(f"dossiers/slips/{slip.form}.html", context_for(slip))


def _store(slip: Slip, pdf: bytes) -> None:
    storage = slip.file.storage
    previous = slip.file.name
    slip.file.save(f"mau-{slip.form}-{slip.pk}.pdf", ContentFile(pdf), save=False)
    new = slip.file.name
    try:
        slip.save(update_fields=["file"])
    except BaseException:
        storage.delete(new)
        raise
    if previous and previous != new:
        transaction.on_commit(lambda: storage.delete(previous))


@transaction.atomic
def control_slip(dossier: Dossier, by) -> Slip:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05) as it stands now: the dossier's one
    control slip is made, or brought up to date, and rendered at once."""
    current = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if current.status == Status.DRAFT or not selectors.can_read(by, current):
        raise PermissionDenied(_("You cannot see this dossier."))
    content = {"as_of": timezone.now().isoformat()}
    slip = current.slips.filter(form=Slip.Form.CONTROL).order_by("-created_at", "-id").first()
    if slip is None:
        slip = Slip.objects.create(dossier=current, form=Slip.Form.CONTROL, created_by=by, content=content)
    else:
        slip.content = content
        slip.save(update_fields=["content"])
    return render(slip.pk)


# --- what each form says -------------------------------------------------------------------------

def context_for(slip: Slip) -> dict:
    """Everything the slip's template shows, already in Vietnamese and in Vietnam's time."""
    dossier = (Dossier.objects.select_related("agency__parent", "agency__administrative_unit", "procedure_version",
                                              "applicant").get(pk=slip.dossier_id))
    agency = dossier.agency
    form_set = selectors.form_set_of(dossier)
    issued_at = _issued_at(slip)
    context = {
        "slip": slip,
        "dossier": dossier,
        "form_number": f"Mẫu số {form_set.number(slip.kind)}",
        "form_basis": form_set.basis.citation,
        "title": form_set.title(slip.kind).upper(),
        "heading": {**heading(agency), "desk": DESK.upper() if slip.form in _DESK_FORMS else ""},
        "number": NUMBER_PLACEHOLDER,
        "place_date": f"{place_of(agency)}, {date_text(local(issued_at).date())}",
        "agency_name": agency.name,
        "agency_phone": agency.phone,
        "procedure_name": dossier.procedure_version.name,
        "addressee": addressee(dossier),
        "addressee_lower": addressee(dossier).lower(),
        "applicant": {"name": dossier.applicant_name, "address": dossier.applicant_address,
                      "phone": dossier.applicant_phone, "email": dossier.applicant_email},
        "signer_name": _name(slip.created_by),
        "received_text": moment_text(dossier.received_at),
        "draft": False,
    }
    context.update(_FORM_CONTEXT[slip.form](slip, dossier))
    return context


_DESK_FORMS = {Slip.Form.RECEIPT, Slip.Form.SUPPLEMENT, Slip.Form.REFUSAL}


def _issued_at(slip: Slip) -> dt.datetime:
    if slip.form == Slip.Form.APOLOGY and slip.approved_at:
        return slip.approved_at
    if slip.form == Slip.Form.CONTROL and slip.content.get("as_of"):
        return _moment(slip.content["as_of"])
    return slip.created_at or timezone.now()


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _name(user) -> str:
    return user.get_full_name() if user is not None else ""


def _days(value: Decimal) -> str:
    """3 -> "3", 0.5 -> "0,5" (Vietnamese decimal comma)."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def _receipt(slip: Slip, dossier: Dossier) -> dict:
    files = (dossier.files.filter(replaced=False, purpose__in=[FilePurpose.PAPER, FilePurpose.SUPPLEMENT])
             .select_related("requirement").order_by("requirement__order", "uploaded_at", "id"))
    papers: dict[object, dict] = {}
    for record in files:
        key = record.requirement_id or f"file-{record.pk}"
        name = record.requirement.name if record.requirement else "Giấy tờ bổ sung"
        papers.setdefault(key, {"name": name, "files": []})["files"].append(record.original_name)
    due_at = _moment(slip.content.get("due_at")) or dossier.due_at
    online = dossier.channel != Channel.COUNTER
    collect_at = f"{DESK} – {dossier.agency.name}"
    if dossier.agency.address:
        collect_at += f", {dossier.agency.address}"
    if online:
        collect_at += f"; hoặc nhận trực tuyến trên {ONLINE_PORTAL}"
    return {
        "papers": list(papers.values()),
        "papers_count": f"{len(papers):02d}",
        "time_limit": dossier.procedure_version.limit_text,
        "appointment_text": moment_text(due_at) + (
            " (dự kiến: lịch nghỉ lễ, tết chính thức của năm đó chưa được công bố)" if is_provisional(due_at) else ""),
        "collect_at": collect_at,
        "online": online,
    }


def _supplement(slip: Slip, dossier: Dossier) -> dict:
    return {"missing": list(slip.content.get("missing", [])), "note": slip.content.get("note", "")}


def _refusal(slip: Slip, dossier: Dossier) -> dict:
    return {"reasons": slip.content.get("reasons", "")}


def _apology(slip: Slip, dossier: Dossier) -> dict:
    approved = slip.approved_at is not None
    role = "Thủ trưởng cơ quan"
    if approved:
        membership = (Membership.objects.valid_on(local(slip.approved_at).date())
                      .filter(official_id=slip.approved_by_id, agency_id=dossier.agency_id, position__isnull=False)
                      .select_related("position").first())
        if membership is not None:
            role = membership.position.name
    received_day = date_text(local(dossier.received_at).date()) if dossier.received_at else "ngày …"
    return {
        "draft": not approved,
        "signer_role": role.upper(),
        "signer_name": _name(slip.approved_by) if approved else "",
        "received_day": received_day,
        "reason": slip.content.get("reason", ""),
        "original_due_text": moment_text(_moment(slip.content.get("due_at")) or dossier.due_at),
        "new_due_text": moment_text(_moment(slip.content.get("new_due_at"))),
    }


def _control(slip: Slip, dossier: Dossier) -> dict:
    steps = (DossierStep.objects.filter(dossier=dossier).select_related("agency", "unit", "assignee", "handed_by")
             .order_by("received_at", "id"))
    rows, partners = [], []
    for step in steps:
        if step.agency_id != dossier.agency_id and step.agency.name not in partners:
            partners.append(step.agency.name)
        handed = step.handed_at is not None
        rows.append({
            "agency": step.agency.name,
            "unit": step.unit.name if step.unit else "",
            "name": step.name,
            "received": _split(step.received_at),
            "handed": _split(step.handed_at) if handed else None,
            # Who held it: the official it was given to, else whoever handed it on.
            "official": _name(step.assignee or (step.handed_by if handed else None)),
            "result": STEP_RESULT.get(step.timeliness, "") if handed else IN_HAND,
        })
    if dossier.outcome:
        outcome = OUTCOME_TEXT[dossier.outcome]
        if dossier.result_ready_at and dossier.outcome in (Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE):
            outcome += f" (kết quả có lúc {moment_text(dossier.result_ready_at)})"
    else:
        outcome = STATUS_TEXT.get(dossier.status, "")
    approved_apology = dossier.apology_due_at
    return {
        "rows": rows,
        "partners": partners,
        "due_text": moment_text(dossier.due_at),
        "new_due_text": moment_text(approved_apology) if approved_apology else "",
        "outcome_text": outcome,
        "as_of_text": moment_text(_issued_at(slip)),
    }


def _split(moment: dt.datetime | None) -> tuple[str, str]:
    time, _space, day = short_moment(moment).partition(" ")
    return time, day


def _stop(slip: Slip, dossier: Dossier) -> dict:
    agency = selectors_issuing_agency(dossier)
    return {"reason": slip.content.get("reason", ""), "settling_agency": agency.name,
            "received_day": date_text(local(dossier.received_at).date()) if dossier.received_at else "ngày …",
            "signer_role": _position(slip.created_by, agency.pk).upper()}


def _position(user, agency_id: int) -> str:
    membership = (Membership.objects.valid_on().filter(official=user, agency_id=agency_id, position__isnull=False)
                  .select_related("position").first()) if user is not None else None
    return membership.position.name if membership is not None else "Lãnh đạo cơ quan"


_FORM_CONTEXT = {
    Slip.Form.STOP: _stop,
    Slip.Form.RECEIPT: _receipt,
    Slip.Form.SUPPLEMENT: _supplement,
    Slip.Form.REFUSAL: _refusal,
    Slip.Form.APOLOGY: _apology,
    Slip.Form.CONTROL: _control,
}
