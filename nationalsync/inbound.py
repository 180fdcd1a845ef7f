"""Dossiers submitted on the National Public Service Portal become dossiers of the province's
one-stop system (ADR 0046).

Each dossier fetched from the national portal goes through the same door as a dossier submitted
through the API (``dossiers.services.submit_new``: draft, papers and submission in one
transaction, idempotent by a key derived from the national code), on the account of its applicant.
The national code is unique here, so fetching the same dossier twice makes one dossier. A dossier
the province cannot take (a procedure it does not publish, an agency that does not settle it, a
form or a paper missing) is refused with the reason; either way the answer goes back to the
national portal through the outbound queue.
"""

from __future__ import annotations

import base64
import binascii
import logging
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import PortalProfile, User
from dossiers import services
from dossiers.models import Channel, Dossier
from egov.crypto import lookup_hash
from national import npsp, outbound
from national.base import Unavailable
from procedures import selectors as procedure_selectors

from .models import NationalDossier

log = logging.getLogger(__name__)

# The same national code always gives the same submission key (dossiers.services.submit_new).
NAMESPACE = uuid.UUID("5f4c7d2e-9b1a-4e5f-8c3d-2a6b7e8f9d01")
LANGUAGE = "vi"  # the reasons travel to the national portal in the platform's language


class Refusal(Exception):
    """The province cannot take this dossier; the message is the reason sent back."""


@dataclass
class FetchReport:
    fetched: int = 0
    received: int = 0
    refused: int = 0
    unavailable: bool = False


def fetch() -> FetchReport:
    """Fetch the new dossiers of the national portal and take each one (Celery beat, or the button)."""
    report = FetchReport()
    try:
        items = npsp.fetch_new()
    except Unavailable:
        report.unavailable = True
        return report
    for item in items:
        report.fetched += 1
        row = receive(item)
        if row.state == NationalDossier.State.RECEIVED:
            report.received += 1
        else:
            report.refused += 1
    return report


def receive(item: dict) -> NationalDossier:
    """One dossier of the national portal: the one-stop dossier it becomes, or its refusal; once."""
    code = str(item.get("maHoSo", "")).strip()[:60]
    known = NationalDossier.objects.filter(national_code=code).select_related("dossier").first()
    if known is not None:  # fetched before; the answer may not have reached the portal yet
        with transaction.atomic():
            _acknowledge(known)
        return known
    with transaction.atomic(), translation.override(LANGUAGE):
        row = NationalDossier(national_code=code, procedure_code=str(item.get("maTTHC", ""))[:30],
                              agency_code=str(item.get("maDonVi", ""))[:30],
                              submitted_at=str(item.get("ngayNop", ""))[:40], received_at=timezone.now())
        try:
            with transaction.atomic():
                row.dossier = _submit(code, item)
                row.state = NationalDossier.State.RECEIVED
        except Refusal as refusal:
            row.state, row.reason = NationalDossier.State.REFUSED, str(refusal)
        except ValidationError as error:
            row.state = NationalDossier.State.REFUSED
            row.reason = _("The dossier is incomplete: %(errors)s") % {"errors": "; ".join(error.messages)}
        row.save()
        _acknowledge(row)
    log.info("national portal dossier taken", extra={"state": row.state})
    return row


def _acknowledge(row: NationalDossier) -> None:
    if row.state == NationalDossier.State.RECEIVED and row.dossier is not None:
        payload = {"tiepNhan": True, "maHoSoTinh": row.dossier.code}
    else:
        payload = {"tiepNhan": False, "lyDo": row.reason}
    outbound.enqueue(system="npsp", kind="acknowledge", reference=row.national_code, payload=payload,
                     idempotency_key=f"npsp:acknowledge:{row.national_code}")


def _submit(code: str, item: dict) -> Dossier:
    procedure = procedure_selectors.by_code(str(item.get("maTTHC", "")))
    if procedure is None or procedure.current is None:
        raise Refusal(_("The province does not settle this procedure online (procedure %(code)s).")
                      % {"code": item.get("maTTHC", "")})
    agency = next((a for a in procedure.current.agencies.all() if a.code == item.get("maDonVi")), None)
    if agency is None:
        raise Refusal(_("This agency does not handle this procedure."))
    owner: dict = item["chuHoSo"] if isinstance(item.get("chuHoSo"), dict) else {}
    if not str(owner.get("hoTen", "")).strip():
        raise Refusal(_("The applicant's name is missing."))
    applicant = applicant_account(owner)
    form: dict = item["duLieuToKhai"] if isinstance(item.get("duLieuToKhai"), dict) else {}
    contact = {"applicant_name": str(owner.get("hoTen", ""))[:150],
               "applicant_id_number": str(owner.get("soDinhDanh", ""))[:12],
               "applicant_phone": str(owner.get("soDienThoai", ""))[:20],
               "applicant_email": str(owner.get("email", ""))[:254],
               "applicant_address": str(owner.get("diaChi", ""))[:255]}
    dossier, _created = services.submit_new(
        applicant=applicant, procedure=procedure, agency=agency, form_values=form, uploads=_papers(procedure, item),
        key=uuid.uuid5(NAMESPACE, code), contact=contact, channel=Channel.API)
    return dossier


def _papers(procedure, item: dict) -> dict[int, SimpleUploadedFile]:
    """The national dossier's papers matched to the procedure's required papers: by name, else in order."""
    requirements = list(procedure.current.papers.all())
    by_name = {r.name.casefold(): r for r in requirements}
    uploads: dict[int, SimpleUploadedFile] = {}
    papers: list = item["giayTo"] if isinstance(item.get("giayTo"), list) else []
    for paper in papers:
        if not isinstance(paper, dict):
            continue
        try:
            content = base64.b64decode(str(paper.get("noiDung", "")), validate=True)
        except (binascii.Error, ValueError) as error:
            raise Refusal(_("A paper of the dossier cannot be read.")) from error
        requirement = by_name.get(str(paper.get("tenGiayTo", "")).casefold())
        if requirement is None or requirement.pk in uploads:
            requirement = next((r for r in requirements if r.pk not in uploads), None)
        if requirement is None:
            continue
        uploads[requirement.pk] = SimpleUploadedFile(str(paper.get("tenTep", "giay-to"))[:200], content)
    return uploads


def applicant_account(owner: dict) -> User:
    """The citizen's account: the one whose profile has their identification number, else a new
    account without a password (they sign in through the national identity, or reset it)."""
    number = str(owner.get("soDinhDanh", "")).strip()
    digest = lookup_hash("id-number", number)  # the number is encrypted at rest, found by its keyed hash
    profile = PortalProfile.objects.filter(id_number_hash=digest).select_related("user").first() if digest else None
    if profile is not None:
        return profile.user
    tag = (digest or uuid.uuid4().hex)[:20]
    user = User.objects.filter(username=f"dvcqg-{tag}").first()
    if user is not None:
        return user
    user = User(username=f"dvcqg-{tag}", kind=User.Kind.CITIZEN, full_name=str(owner.get("hoTen", ""))[:150])
    user.set_unusable_password()
    user.save()
    PortalProfile.objects.create(user=user, id_number=number[:12], phone=str(owner.get("soDienThoai", ""))[:20],
                                 address=str(owner.get("diaChi", ""))[:255])
    return user
