"""The official slips of the one-stop process as PDFs, numbered, titled and worded by the dossier's
form set (``legal.FormSet``: Circular 03/2025/TT-VPCP for dossiers submitted from 1 July 2025,
Circular 01/2018/TT-VPCP before):

* giấy tiếp nhận hồ sơ và hẹn trả kết quả — receipt and appointment, with the register entry (Mẫu 01);
* phiếu yêu cầu bổ sung, hoàn thiện hồ sơ — request to supplement (Mẫu 02);
* phiếu từ chối tiếp nhận giải quyết hồ sơ — refusal at intake (Mẫu 03);
* phiếu xin lỗi và hẹn lại ngày trả kết quả (Circular 01/2018) / văn bản xin lỗi và đề nghị gia hạn
  thời gian giải quyết (Circular 03/2025) — apology and new appointment or extension (Mẫu 04);
* thông báo dừng giải quyết hồ sơ — processing stops (Mẫu 05, Circular 03/2025 only);
* phiếu kiểm soát quá trình giải quyết hồ sơ — process control, one line per hand-over (Mẫu 05
  under Circular 01/2018, Mẫu 06 under Circular 03/2025);
* thông báo từ chối giải quyết hồ sơ — the written notice, with reasons, of a dossier refused after
  examination (no numbered form: the decree requires a written notice with the reasons).

``dossiers.workflow`` creates the ``Slip`` rows with what they say (``content``) and schedules
:func:`render` after commit. The forms are official documents: they are always in Vietnamese,
whatever the reader's language, so their texts are written in the templates
(``dossiers/templates/dossiers/slips/<form>.html``, worded per form set by the context) and
rendering happens under ``translation.override("vi")``. Every date and time is Vietnam's. What
each form says is built in ``dossiers.slip_forms``.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import selectors
from .models import Dossier, Slip
from .pdf import date_text, heading, heading_line, html_to_pdf, local, moment_text, place_of
from .result_state import issuing_agency
from .slip_forms import (
    FORM_CONTEXT,
    Terms,
    applicant_of,
    desk_name,
    desk_place,
    moment,
    name_of,
    receipt_number,
    terms_for,
)
from .states import Status

NOTICE_TITLE = "Thông báo từ chối giải quyết hồ sơ"
NUMBER_PLACEHOLDER = "Số: ……/……"  # a letter signed by a leader is numbered by the clerk at issuance
_DESK_FORMS = {Slip.Form.RECEIPT, Slip.Form.SUPPLEMENT, Slip.Form.REFUSAL, Slip.Form.CONTROL}
_LETTERS = {Slip.Form.APOLOGY, Slip.Form.STOP, Slip.Form.NOTICE}


# --- rendering ---------------------------------------------------------------------------------

def render(slip_id: int) -> Slip:
    """Make the slip's PDF and store it in ``slip.file``, replacing the previous one (its file is
    deleted once the new one is committed). The PDF is made outside any row lock; if the slip
    changed meanwhile (an apology approved while its draft was rendering), it is made again, so
    the stored file always shows the slip as it stands."""
    html = html_of(Slip.objects.get(pk=slip_id))
    for _attempt in range(5):
        pdf = html_to_pdf(html)
        with transaction.atomic():
            slip = Slip.objects.select_for_update().get(pk=slip_id)
            current = html_of(slip)
            if current == html:
                _store(slip, pdf)
                return slip
        html = current
    with transaction.atomic():  # still changing: make it under the lock
        slip = Slip.objects.select_for_update().get(pk=slip_id)
        _store(slip, html_to_pdf(html_of(slip)))
        return slip


def html_of(slip: Slip) -> str:
    """The slip as an HTML document (what the PDF is made from)."""
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
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05 / Mẫu 06) as it stands now: the dossier's
    one control slip is made, or brought up to date, and rendered at once."""
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


# --- what every form says ----------------------------------------------------------------------

def title_of(slip: Slip, form_set) -> str:
    return form_set.title(slip.kind) if form_set.has(slip.kind) else NOTICE_TITLE


def _issued_at(slip: Slip) -> dt.datetime:
    if slip.form == Slip.Form.APOLOGY and slip.approved_at:
        return slip.approved_at
    if slip.form == Slip.Form.CONTROL and slip.content.get("as_of"):
        return moment(slip.content["as_of"])
    return slip.created_at or timezone.now()


def _heading(slip: Slip, dossier: Dossier, terms: Terms) -> tuple[dict, object]:
    """The issuing authority at the top left and whose place the date line names: the receiving
    department for the desk's slips (the centre that received it, or the agency's own desk), the
    settling agency for the letters its leader signs."""
    at_desk = slip.form in _DESK_FORMS
    if slip.form == Slip.Form.SUPPLEMENT:  # asked at intake by the desk, or later by the official examining it
        at_desk = dossier.received_at is None or (slip.created_at or timezone.now()) <= dossier.received_at
    if at_desk and dossier.receiving_centre_id:
        centre = dossier.receiving_centre
        return {"parent": heading_line(centre.agency.name), "name": heading_line(centre.name), "desk": ""}, centre
    if slip.form in (Slip.Form.STOP, Slip.Form.NOTICE):
        agency = issuing_agency(dossier)
        return {**heading(agency), "desk": ""}, agency
    return {**heading(dossier.agency), "desk": terms.desk.upper() if at_desk else ""}, dossier.agency


def context_for(slip: Slip) -> dict:
    """Everything the slip's template shows, already in Vietnamese and in Vietnam's time."""
    dossier = (Dossier.objects.select_related(
        "agency__parent", "agency__administrative_unit", "procedure_version__procedure", "applicant", "organisation",
        "receiving_centre__agency", "receiving_centre__administrative_unit", "reception_point", "return_centre",
        "form_set__basis").get(pk=slip.dossier_id))
    form_set = selectors.form_set_of(dossier)
    terms = terms_for(form_set)
    issued_at = _issued_at(slip)
    top, place = _heading(slip, dossier, terms)
    context = {
        "slip": slip,
        "dossier": dossier,
        "terms": terms,
        "legacy": terms.legacy,
        "form_number": f"Mẫu số {form_set.number(slip.kind)}" if form_set.has(slip.kind) else "",
        "form_basis": form_set.basis.citation,
        "title": title_of(slip, form_set).upper(),
        "heading": top,
        "number": NUMBER_PLACEHOLDER if slip.form in _LETTERS else receipt_number(slip, dossier),
        "place_date": f"{place_of(place)}, {date_text(local(issued_at).date())}",
        "agency_name": dossier.agency.name,
        "agency_phone": dossier.agency.phone,
        "desk_name": desk_name(dossier, terms),
        "desk_place": desk_place(dossier, terms),
        "procedure_name": dossier.procedure_version.name,
        "procedure_code": dossier.procedure_version.procedure.code,
        **applicant_of(dossier),
        "signer_name": name_of(slip.created_by),
        "received_day": date_text(local(dossier.received_at).date()) if dossier.received_at else "",
        "received_text": moment_text(dossier.received_at),
        "draft": False,
        "as_of": issued_at,
    }
    context.update(FORM_CONTEXT[slip.form](slip, dossier, context))
    return context
