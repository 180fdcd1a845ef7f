"""The result of a dossier (kết quả giải quyết thủ tục hành chính): the document the specialist
prepares from the applicant's data, which the competent person then signs and the one-stop desk
returns (Decree 61/2018/NĐ-CP).

The document comes from a per-procedure template, ``dossiers/templates/dossiers/results/<procedure
code>.html``, or the generic ``results/generic.html``; both extend ``results/base.html``. It is
always in Vietnamese. Its number and date stay blank ("Số: …/…", "ngày … tháng … năm …"): the clerk
fills them in at issuance, after the signatures (Decree 30/2020/NĐ-CP, art. 15 and Appendix I).

The doors here decide who may sign and issue (:func:`may_sign`, :func:`may_issue`) and keep the
files and records (:func:`sign_current_result`, :func:`issue_result`); the signature itself is made
by the signing subsystem, plugged in at :data:`SIGNING_HOOK`.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from datastore.services import keep_result
from directory.authority import Authority, authority_block
from directory.models import Agency

from . import deadlines, handover, numbering, policy
from .errors import StaleDossier, TransitionRefused
from .issuance_policy import may_issue, may_sign, why_not_issue, why_not_sign
from .models import Dossier, DossierFile, FilePurpose
from .pdf import addressee, document_name, heading, html_to_pdf, local, place_of
from .result_state import is_issued, is_signed, issuing_agency, result_for
from .services import files_or_nothing

# This module is the results' public face: its reads and rules are defined in result_state and policy.
__all__ = [
    "is_issued", "is_signed", "issue_result", "issuing_agency", "may_issue", "may_sign", "prepare_result",
    "render_result", "result_for", "sign_current_result", "sign_current_results",
]

GENERIC_TEMPLATE = "dossiers/results/generic.html"
SAFE_CODE = re.compile(r"^[\w.-]+$")


# --- signing hook -----------------------------------------------------------------------------

def sign_result(pdf_bytes: bytes, signer, confirmation, authority: Authority | None = None):
    """Make the competent official's signature on the result's bytes (ký số): a PAdES signature
    with a timestamp, the QR code and link to its verification page, and the signer's authority
    (``directory.authority``: "KT. GIÁM ĐỐC"…) printed over the placeholder above the signature.
    Writes nothing; returns a ``signing.services.Signed`` that :func:`sign_current_result` stores
    and records."""
    from signing.services import result_signature

    return result_signature(pdf_bytes=pdf_bytes, signer=signer, confirmation=confirmation,
                            authority=authority.lines if authority else (),
                            delegation_id=authority.delegation_id if authority else None)


def sign_results(items: list[tuple[bytes, Authority | None]], signer, confirmation) -> list:
    """:func:`sign_result` for many results at once (a batch): their signatures are made together,
    the timestamp requests concurrently (``signing.batch``). One ``Signed`` or exception each."""
    from signing.batch import ResultToSign, result_signatures

    return result_signatures([
        ResultToSign(pdf_bytes=pdf, authority=authority.lines if authority else (),
                     delegation_id=authority.delegation_id if authority else None)
        for pdf, authority in items], signer=signer, confirmation=confirmation)


# Callers sign through these names, so that replacing them is enough to plug another signer in.
SIGNING_HOOK = sign_result
SIGNING_MANY_HOOK = sign_results


# --- signing and issuing: three steps, no lock held while the signature is made -----------------
#
# A signature takes the token (PKCS#11) and two HTTP round trips (timestamp, OCSP/CRL), seconds when
# a responder is slow. So each door (1) checks under a short lock and notes the dossier's revision
# and its current result, (2) makes the signature holding no lock and no transaction, (3) re-locks,
# and only if nothing changed meanwhile stores the file and the records. A dossier changed between
# (1) and (3) fails with StaleDossier; nothing is kept (the file is deleted again).

STALE_WHILE_SIGNING = _lazy("Someone else changed this dossier while the signature was being made. Nothing "
                            "has been signed or issued; reload the dossier and try again.")
ISSUE_ATTEMPTS = 3


@dataclass(frozen=True)
class _Seen:
    """What step (1) checked: the dossier at this revision, with this current result."""

    revision: int
    result: DossierFile
    agency: Agency


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update(of=("self",)).select_related("agency").get(pk=dossier.pk)


def _check(*, dossier: Dossier, user, why_not, confirmation, result_id: int | None = None) -> _Seen:
    """Step (1): a short transaction that checks state, authority and confirmation."""
    from signing.services import check_confirmation

    with transaction.atomic(durable=True):
        current = _lock(dossier)
        result, agency = result_for(current), issuing_agency(current)
        reason = why_not(user, current, result, agency)
        if reason:
            raise TransitionRefused(reason)
        if result_id is not None and result.pk != result_id:
            raise StaleDossier(str(STALE_WHILE_SIGNING))
        check_confirmation(user, confirmation)
        return _Seen(revision=current.revision, result=result, agency=agency)


def _recheck(*, dossier: Dossier, user, why_not, seen: _Seen) -> Dossier:
    """Step (3), inside its transaction: re-lock and make sure nothing changed since step (1)."""
    current = _lock(dossier)
    result = result_for(current)
    if current.revision != seen.revision or result is None or result.pk != seen.result.pk:
        raise StaleDossier(str(STALE_WHILE_SIGNING))
    reason = why_not(user, current, result, issuing_agency(current))
    if reason:
        raise TransitionRefused(reason)
    return current


def _read(result: DossierFile) -> bytes:
    # Read outside the lock: a stored file never changes (every change is a new file), and step (3)
    # checks that this file is still the dossier's current result.
    with result.file.open("rb") as handle:
        return handle.read()


def _store(seen: _Seen, pdf: bytes, *, by, stored, issue_number: str = "") -> DossierFile:
    """Write the new version of the result to storage, not to the database yet: the caller saves
    the row in step (3); ``stored`` deletes the file again if that fails."""
    record = DossierFile(
        dossier_id=seen.result.dossier_id, purpose=FilePurpose.RESULT, original_name=seen.result.original_name,
        issue_number=issue_number, extension="pdf", content_type="application/pdf", size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(), uploaded_by=by, uploaded_at=timezone.now())
    record.file.save(record.original_name, ContentFile(pdf), save=False)
    stored.remember(record.file.name)
    return record


def _replace(current: Dossier, seen: _Seen, new: DossierFile) -> None:
    new.save()
    DossierFile.objects.filter(pk=seen.result.pk).update(replaced=True)
    current.revision += 1  # a page showing the unsigned result, or a concurrent signer, is now stale
    current.save(update_fields=["revision", "updated_at"])


def sign_current_result(*, dossier: Dossier, acting_user, confirmation, batch=None,
                        result_id: int | None = None) -> DossierFile:
    """The competent official of the issuing agency signs the approved result (one door for the
    dossier's page and batch signing). With ``result_id`` (the result the official was shown),
    a result replaced meanwhile is not signed."""
    seen = _check(dossier=dossier, user=acting_user, why_not=why_not_sign, confirmation=confirmation,
                  result_id=result_id)
    # Step (2), no lock, no transaction: the authority the signer signs with now, then the signature.
    authority = authority_block(signer=acting_user, agency=seen.agency)
    signed = SIGNING_HOOK(_read(seen.result), acting_user, confirmation, authority=authority)
    return _keep_signed(dossier=dossier, acting_user=acting_user, seen=seen, signed=signed, batch=batch)


def sign_current_results(*, requests: list[tuple[Dossier, int | None]], acting_user, confirmation,
                         batch=None) -> list:
    """:func:`sign_current_result` for many dossiers of one signer (``(dossier, result_id)`` each):
    the same three steps for each, checked (1) and kept (3) one by one, but the signatures (2)
    made together (:data:`SIGNING_MANY_HOOK`), so their network waits overlap. Returns, in order,
    each result's new file or the exception that stopped it; one failure does not stop the others."""
    outcomes: list = [None] * len(requests)
    checked = []
    for index, (dossier, result_id) in enumerate(requests):
        try:
            seen = _check(dossier=dossier, user=acting_user, why_not=why_not_sign, confirmation=confirmation,
                          result_id=result_id)
            checked.append((index, dossier, seen, authority_block(signer=acting_user, agency=seen.agency)))
        except Exception as error:  # reported for this dossier by the caller
            outcomes[index] = error
    if not checked:
        return outcomes
    try:
        made = SIGNING_MANY_HOOK([(_read(seen.result), authority) for _, _, seen, authority in checked],
                                 acting_user, confirmation)
    except Exception as error:  # the confirmation or the certificate: none of them is signed
        made = [error] * len(checked)
    for (index, dossier, seen, _authority), signed in zip(checked, made, strict=True):
        if isinstance(signed, Exception):
            outcomes[index] = signed
            continue
        try:
            outcomes[index] = _keep_signed(dossier=dossier, acting_user=acting_user, seen=seen, signed=signed,
                                           batch=batch)
        except Exception as error:
            outcomes[index] = error
    return outcomes


def _keep_signed(*, dossier: Dossier, acting_user, seen: _Seen, signed, batch) -> DossierFile:
    """Step (3) of signing: re-check, keep the signed file and record the signature."""
    from signing.services import record_signature

    with files_or_nothing() as stored:
        new = _store(seen, signed.pdf, by=acting_user, stored=stored)
        with transaction.atomic(durable=True):
            current = _recheck(dossier=dossier, user=acting_user, why_not=why_not_sign, seen=seen)
            _replace(current, seen, new)
            record_signature(signed, user=acting_user, dossier_file=new, batch=batch)
            handover.tell_next_actor(current, by=acting_user)  # the clerks of the issuing agency
    return new


class _NumberTaken(Exception):
    """Another result of the agency took the number this attempt was sealed with."""


def issue_result(*, dossier: Dossier, acting_user, confirmation) -> DossierFile:
    """Phát hành (Decree 30/2020/NĐ-CP art. 15): the clerk of the issuing agency gives the
    signed result its number and date and applies the agency's seal signature, whose image
    overlaps the left third of the official's; the official's signature stays valid.

    Numbers stay gap-free and in order within the agency's register and year (Decree 30/2020 art.
    15; ``dossiers.numbering``: the procedure's type symbol and register): the number sealed into
    the PDF is the register's next one, read without a lock, and it is taken only in the
    transaction that keeps the issued file (``numbering.take``, one conditional UPDATE). If
    anything fails, that transaction rolls back and the counter has not moved, so the next
    issuance seals the same number. If another issuance in the register took it meanwhile, this
    one is sealed again with the next number (up to ``ISSUE_ATTEMPTS`` times)."""
    for _attempt in range(ISSUE_ATTEMPTS):
        try:
            return _issue_once(dossier=dossier, acting_user=acting_user, confirmation=confirmation)
        except _NumberTaken:
            continue
    raise StaleDossier(_("Other results of this agency were being issued at the same moment; try again."))


def _issue_once(*, dossier: Dossier, acting_user, confirmation) -> DossierFile:
    from signing.services import RESULT_BOX, record_signature, seal_signature

    seen = _check(dossier=dossier, user=acting_user, why_not=why_not_issue, confirmation=confirmation)
    today = timezone.localdate()
    version = dossier.procedure_version
    register = version.result_register.strip()
    value = numbering.peek(seen.agency, today.year, register)
    number = numbering.number_text(value=value, year=today.year, agency=seen.agency,
                                   symbol=version.result_symbol.strip(), register=register)
    sealed = seal_signature(pdf_bytes=_read(seen.result), agency=seen.agency, number=number, issued_on=today,
                            official_box=RESULT_BOX)  # step (2): no lock, no transaction
    with files_or_nothing() as stored:
        issued = _store(seen, sealed.pdf, by=acting_user, stored=stored, issue_number=number)
        with transaction.atomic(durable=True):
            current = _recheck(dossier=dossier, user=acting_user, why_not=why_not_issue, seen=seen)
            if timezone.localdate() != today or not numbering.take(seen.agency, today.year, register, value):
                raise _NumberTaken  # sealed with a date or number that is no longer the next one
            # The result is available to the applicant from now: its outcome is fixed (decision 0011).
            current.outcome = deadlines.outcome(timezone.now(), current.due_at,
                                                deadlines.limit_for(current))
            current.save(update_fields=["outcome"])
            _replace(current, seen, issued)
            record_signature(sealed, user=acting_user, dossier_file=issued)
            # Issued electronically: the result goes into the applicant's data store (Decree 45/2020, ADR 0044).
            keep_result(dossier=current, result_file=issued, issuer=seen.agency.name)
            handover.tell_next_actor(current, by=acting_user)  # the desk that returns the result
    return issued


# --- preparing the result ---------------------------------------------------------------------

def prepare_result(*, dossier: Dossier, acting_user) -> DossierFile:
    """The specialist in charge of the current step prepares the result document from the
    applicant's data; a new one replaces the previous result while that is unsigned."""
    with files_or_nothing() as stored, transaction.atomic():
        current = (Dossier.objects.select_for_update(of=("self",))
                   .select_related("current_step", "procedure_version__procedure", "agency", "applicant")
                   .get(pk=dossier.pk))
        policy.require(acting_user, current, "prepare_result")
        previous = result_for(current)
        pdf = render_result(current)
        record = DossierFile(
            dossier=current, purpose=FilePurpose.RESULT, original_name=f"ket-qua-{current.code}.pdf",
            extension="pdf", content_type="application/pdf", size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(), uploaded_by=acting_user, uploaded_at=timezone.now(),
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
    name = document_name(version.result_type)  # the document's name, not the catalogue's wording
    return {
        "dossier": dossier,
        "procedure_name": version.name,
        "legal_basis": [line.strip() for line in version.legal_basis.splitlines() if line.strip()],
        "title": name.title,
        "summary": name.summary,
        "heading": heading(issuer),
        "issuer_name": issuer.name,
        "number": "Số: ……/……",
        # A result numbered in a book of its own names the book under its number (dossiers.numbering).
        "result_register": version.result_register.strip(),
        "place_date": f"{place_of(issuer)}, ngày … tháng … năm …",
        "addressee": addressee(dossier),
        "applicant_name": dossier.applicant_name,
        "received_on": received.strftime("%d/%m/%Y") if received else "",
        "fields": form_lines(version.form_schema, dossier.form_data),
        "values": dossier.form_data,
    }


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
