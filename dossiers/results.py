"""The result of a dossier (kết quả giải quyết thủ tục hành chính): the document the specialist
prepares from the applicant's data, which the competent person then signs and the one-stop desk
returns (Decree 61/2018/NĐ-CP).

The document comes from a per-procedure template, ``dossiers/templates/dossiers/results/<procedure
code>.html``, or the generic ``results/generic.html``; both extend ``results/base.html``. It is
always in Vietnamese. Its number and date stay blank ("Số: …/…", "ngày … tháng … năm …"): the clerk
fills them in at issuance, after the signatures (Decree 30/2020/NĐ-CP, art. 15 and Appendix I).

Signing is not done here. :data:`SIGNING_HOOK` is the one place the digital-signature subsystem
plugs into; until it does, a result is an unsigned PDF and :func:`is_signed` says so.
"""

import datetime as dt
import hashlib
import re
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from directory.models import Agency

from .models import Dossier, DossierFile, FilePurpose, IssueSequence
from .pdf import addressee, heading, html_to_pdf, local, place_of
from .services import TransitionRefused, _files_or_nothing
from .states import Status
from .workflow import may_act_on_step

GENERIC_TEMPLATE = "dossiers/results/generic.html"
SAFE_CODE = re.compile(r"^[\w.-]+$")


# --- signing hook -----------------------------------------------------------------------------

def sign_result(result_file: DossierFile, signer, confirmation) -> DossierFile:
    """Sign the result document (ký số) for the competent official: a PAdES signature with a
    timestamp, the QR code and link to its verification page, through the signing subsystem.
    ``confirmation`` comes from ``signing.services.confirm`` (password and one-time code)."""
    from signing.services import sign_dossier_result

    return sign_dossier_result(result_file=result_file, signer=signer, confirmation=confirmation)


# Callers sign through this name, so that replacing it is enough to plug another signer in.
SIGNING_HOOK = sign_result


def is_signed(result_file: DossierFile) -> bool:
    """Whether the result carries the competent official's digital signature."""
    from signing.services import is_signed as signed

    return signed(result_file)


def is_issued(result_file: DossierFile) -> bool:
    """Whether the clerk has issued it: number, date and the agency's seal signature."""
    return bool(result_file.issue_number)


def _lock(dossier: Dossier) -> Dossier:
    """Hold the dossier's row for the rest of the transaction: two officials signing or issuing
    the same result at once are served one after the other, and the second sees the first's work."""
    return Dossier.objects.select_for_update(of=("self",)).select_related("agency").get(pk=dossier.pk)


@transaction.atomic
def sign_current_result(*, dossier: Dossier, leader, confirmation) -> DossierFile:
    """The leader who may approve at the issuing agency signs the approved result."""
    from directory.scope import Action, can

    dossier = _lock(dossier)
    result = result_for(dossier)
    if dossier.status != Status.RESULT_READY or result is None:
        raise TransitionRefused(_("Only an approved result can be signed."))
    if is_signed(result) or is_issued(result):
        raise TransitionRefused(_("The result is already signed."))
    if not can(leader, Action.ASSIGN, agency_id=issuing_agency(dossier).pk):
        raise TransitionRefused(_("Only a leader of the issuing agency signs the result."))
    return SIGNING_HOOK(result, leader, confirmation)


@transaction.atomic
def issue_result(*, dossier: Dossier, clerk, confirmation) -> DossierFile:
    """Phát hành (Decree 30/2020/NĐ-CP art. 15): the clerk of the issuing agency gives the
    signed result its number and date and applies the agency's seal signature, whose image
    overlaps the left third of the official's; the official's signature stays valid."""
    from directory.models import Role
    from directory.scope import Action, can, roles_of
    from signing.services import RESULT_BOX, _check_confirmation, issue_with_seal

    dossier = _lock(dossier)
    result = result_for(dossier)
    agency = issuing_agency(dossier)
    if dossier.status != Status.RESULT_READY or result is None or not is_signed(result):
        raise TransitionRefused(_("The result must be signed by the competent official first."))
    if is_issued(result):
        raise TransitionRefused(_("The result has already been issued."))
    if Role.CLERK not in roles_of(clerk) or not can(clerk, Action.ACT, agency_id=agency.pk):
        raise TransitionRefused(_("Only the clerk of the issuing agency issues the result."))
    _check_confirmation(clerk, confirmation)
    today = timezone.localdate()
    counter, _created = IssueSequence.objects.select_for_update().get_or_create(agency=agency, year=today.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    number = f"{counter.last:02d}/{agency.abbreviation}"
    with result.file.open("rb") as handle:
        sealed = issue_with_seal(pdf_bytes=handle.read(), clerk=clerk, agency=agency, number=number,
                                 issued_on=today, official_box=RESULT_BOX)
    issued = DossierFile(
        dossier=dossier, purpose=FilePurpose.RESULT, original_name=result.original_name, issue_number=number,
        extension="pdf", content_type="application/pdf", size=len(sealed),
        sha256=hashlib.sha256(sealed).hexdigest(), uploaded_by=clerk, uploaded_at=timezone.now())
    issued.file.save(issued.original_name, ContentFile(sealed), save=False)
    issued.save()
    result.replaced = True
    result.save(update_fields=["replaced"])
    return issued


# --- reads --------------------------------------------------------------------------------------

def result_for(dossier: Dossier) -> DossierFile | None:
    """The dossier's current result document, or None."""
    return (DossierFile.objects.filter(dossier_id=dossier.pk, purpose=FilePurpose.RESULT, replaced=False)
            .order_by("-uploaded_at", "-id").first())


# --- preparing the result ---------------------------------------------------------------------

def prepare_result(*, dossier: Dossier, official) -> DossierFile:
    """The specialist in charge of the current step prepares the result document from the
    applicant's data; a new one replaces the previous result while that is unsigned."""
    with _files_or_nothing() as stored, transaction.atomic():
        current = (Dossier.objects.select_for_update(of=("self",))
                   .select_related("current_step", "procedure_version__procedure", "agency", "applicant")
                   .get(pk=dossier.pk))
        if current.status != Status.IN_PROGRESS:
            raise TransitionRefused(_("A result can only be prepared while the dossier is being processed."))
        if not may_act_on_step(official, current):
            raise TransitionRefused(_("This dossier is not in your hands at this step."))
        previous = result_for(current)
        if previous is not None and is_signed(previous):
            raise TransitionRefused(_("The result is already signed; it can no longer be replaced."))
        pdf = render_result(current)
        record = DossierFile(
            dossier=current, purpose=FilePurpose.RESULT, original_name=f"ket-qua-{current.code}.pdf",
            extension="pdf", content_type="application/pdf", size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(), uploaded_by=official, uploaded_at=timezone.now(),
        )
        record.file.save(record.original_name, ContentFile(pdf), save=False)
        stored.remember(record.file.name)
        record.save()
        if previous is not None:
            previous.replaced = True
            previous.save(update_fields=["replaced"])
        return record


def render_result(dossier: Dossier) -> bytes:
    """The result document of ``dossier`` as PDF bytes (nothing stored)."""
    code = dossier.procedure_version.procedure.code
    names = [f"dossiers/results/{code}.html"] if SAFE_CODE.match(code) else []
    with translation.override("vi"):
        html = select_template([*names, GENERIC_TEMPLATE]).render(result_context(dossier))
    return html_to_pdf(html)


def result_context(dossier: Dossier) -> dict:
    version = dossier.procedure_version
    issuer = issuing_agency(dossier)
    received = local(dossier.received_at).date() if dossier.received_at else None
    return {
        "dossier": dossier,
        "procedure_name": version.name,
        "legal_basis": [line.strip() for line in version.legal_basis.splitlines() if line.strip()],
        "title": version.result_type.upper(),
        "heading": heading(issuer),
        "issuer_name": issuer.name,
        "number": "Số: ……/……",
        "place_date": f"{place_of(issuer)}, ngày … tháng … năm …",
        "addressee": addressee(dossier),
        "applicant_name": dossier.applicant_name,
        "received_on": received.strftime("%d/%m/%Y") if received else "",
        "fields": form_lines(version.form_schema, dossier.form_data),
        "values": dossier.form_data,
    }


def issuing_agency(dossier: Dossier) -> Agency:
    """The agency that decides: the one doing the approving (last) step of the dossier's process —
    another agency for inter-agency procedures —, else the receiving agency."""
    if dossier.process_id:
        last = dossier.process.steps.select_related("definition").order_by("-order").first()
        if last is not None:
            return Agency.objects.select_related("parent", "administrative_unit").get(pk=last.doing_agency_id)
    return Agency.objects.select_related("parent", "administrative_unit").get(pk=dossier.agency_id)


def form_lines(schema: dict, values: dict) -> list[dict]:
    """The e-form's values as labelled lines, in the form's order, with their Vietnamese titles."""
    lines = []
    for name, spec in (schema or {}).get("properties", {}).items():
        value = values.get(name)
        if value is None or value == "":
            continue
        lines.append({"name": name, "label": spec.get("title", name), "value": _value_text(spec, value)})
    return lines


def _value_text(spec: dict, value) -> str:
    if spec.get("type") == "boolean":
        return "Có" if value in (True, "true", "True", "on", 1) else "Không"
    if spec.get("format") == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if spec.get("type") == "number":
        try:
            return format(Decimal(str(value)).normalize(), "f").replace(".", ",")
        except InvalidOperation:
            return str(value)
    return str(value)
