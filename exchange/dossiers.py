"""One-stop dossiers settled jointly with an agency on another system (liên thông giải quyết thủ
tục hành chính, Decree 118/2025/NĐ-CP art. 22–23).

- When a dossier's step opens at an agency whose officials work in their own software
  (``Agency.on_other_system``), the dossier travels to it as a document package: its data
  (``ho-so-<code>.json``) and its papers attached, sealed by the settling agency, its
  DocumentId ``<settling agency>,<date>,<dossier code>/<its abbreviation>``. The other system registers it as an
  incoming document; nobody here holds the step meanwhile (``dossiers.elsewhere``).
- That agency answers with a document whose ResponseFor names the dossier's DocumentId (an
  ordinary reply in its e-office). Received here, the answer does not enter the clerk's register:
  it joins the dossier (``dossiers.elsewhere.answered``), which moves on to its next step. A
  refusal (status 02) of the dossier's package sends the dossier back to the step before it.
"""

from __future__ import annotations

import json
import logging

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone, translation

from directory.models import Agency
from dossiers import elsewhere
from dossiers import signals as dossier_signals
from dossiers.models import Dossier, DossierFile, FilePurpose

from . import edxml, sending
from .edxml.model import Attachment, DocumentPackage, Trace
from .models import Direction, Kind, Package, State

logger = logging.getLogger(__name__)

LANGUAGE = "vi"  # what travels is written in the platform's language
TYPE_NAME = "Hồ sơ thủ tục hành chính"
PAPERS = (FilePurpose.PAPER, FilePurpose.SUPPLEMENT, FilePurpose.ANSWER)


def notation(dossier: Dossier) -> str:
    return dossier.agency.abbreviation or "HS"


def document_id(dossier: Dossier, day) -> str:
    return f"{dossier.agency.code},{day:%Y-%m-%d},{dossier.code}/{notation(dossier)}"


def _data(dossier: Dossier, line) -> bytes:
    """What the other agency needs to settle its step: the procedure, the dates, the e-form."""
    version = dossier.procedure_version
    return json.dumps({
        "code": dossier.code,
        "procedure": {"code": version.procedure.code, "name": version.name},
        "settling_agency": {"code": dossier.agency.code, "name": dossier.agency.name},
        "received_at": dossier.received_at, "due_at": dossier.due_at,
        "step": {"name": line.name, "due_at": line.due_at},
        "applicant": dossier.applicant.get_full_name() if dossier.applicant_id else "",
        "form": dossier.form_data,
    }, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _papers(dossier: Dossier) -> list[Attachment]:
    files = DossierFile.objects.filter(dossier=dossier, purpose__in=PAPERS, replaced=False).order_by("uploaded_at")
    attachments = []
    for paper in files:
        with paper.file.open("rb") as handle:
            attachments.append(Attachment(name=paper.download_name, content=handle.read(),
                                          mime=paper.content_type))
    return attachments


def package_for(dossier: Dossier, line, package_id: str) -> DocumentPackage:
    today = timezone.localdate()
    with translation.override(LANGUAGE):
        subject = f"Hồ sơ {dossier.code} – {dossier.procedure_version.name}: {line.name}"
    return DocumentPackage(
        package_id=package_id, document_id=document_id(dossier, today), sender=sending.organ(dossier.agency),
        recipients=[sending.organ(line.agency)], code_number=dossier.code or "", code_notation=notation(dossier),
        place=dossier.agency.administrative_unit.name if dossier.agency.administrative_unit_id else "",
        promulgation_date=today, document_type=sending.ADMINISTRATIVE, type_name=TYPE_NAME, subject=subject[:2000],
        due_date=timezone.localdate(line.due_at), traces=[Trace(organ_code=dossier.agency.code, timestamp=timezone.now())],
        attachments=[Attachment(name=f"ho-so-{dossier.code}.json", content=_data(dossier, line),
                                mime="application/json"), *_papers(dossier)])


@receiver(dossier_signals.step_opened, dispatch_uid="exchange-dossier-step-opened")
def send_dossier(sender, *, dossier: Dossier, line, **_extra) -> Package | None:
    """Inside the door's transaction: the step's agency works elsewhere, so the dossier goes to it
    (the package is sealed when it is delivered, like every package: exchange.delivery)."""
    if not line.agency.on_other_system:
        return None
    package_id = sending.new_package_id()
    content = package_for(dossier, line, package_id)
    dialect = sending.dialect_for(line.agency.code)
    data = edxml.build(content, dialect=dialect)
    return sending.queue(Package(direction=Direction.OUT, kind=Kind.DOCUMENT, state=State.QUEUED,
                                 package_id=package_id, exchange_id=content.document_id, from_code=dossier.agency.code,
                                 to_codes=[line.agency.code], dialect=dialect, agency=dossier.agency, dossier=dossier),
                         data)


def sent_for(document_id: str) -> Package | None:
    """The dossier package a DocumentId names, if this system sent one."""
    if not document_id:
        return None
    return (Package.objects.filter(direction=Direction.OUT, kind=Kind.DOCUMENT, dossier__isnull=False,
                                   exchange_id=document_id).select_related("dossier").first())


def _dossier_of(sent: Package) -> Dossier:
    if sent.dossier is None:
        raise ValueError(f"package {sent.pk} carries no dossier")
    return sent.dossier


def take_answer(row: Package, parsed: DocumentPackage, sent: Package) -> Package:
    """The other agency's answer to a dossier we sent: its files join the dossier, which moves on.
    ``row`` is the received package (unsaved); kept RECEIVED, or REFUSED with the reason when the
    dossier no longer waits for it (an answer that came twice is kept, not applied twice)."""
    number = "/".join(part for part in (parsed.code_number, parsed.code_notation) if part)
    files = [elsewhere.AnswerFile(name=a.name, content=a.content) for a in parsed.attachments]
    dossier = _dossier_of(sent)
    row.kind, row.dossier = Kind.DOCUMENT, dossier
    with transaction.atomic():
        try:
            with transaction.atomic():
                elsewhere.answered(dossier=dossier, accepted=True,
                                   agency_name=parsed.sender.name or parsed.sender.code,
                                   reference=number or parsed.document_id, note=parsed.subject[:500], files=files)
        except ValidationError as error:
            row.state, row.error = State.REFUSED, " ".join(error.messages)
        else:
            row.state = State.RECEIVED
        row.processed_at = timezone.now()
        row.save()
    return row


def refused_elsewhere(sent: Package, reason: str) -> None:
    """A status 02 about a dossier we sent: back to the step before, with the reason."""
    code = sent.to_codes[0] if sent.to_codes else ""
    name = Agency.objects.filter(code=code).values_list("name", flat=True).first() or code
    try:
        elsewhere.answered(dossier=_dossier_of(sent), accepted=False, agency_name=name, reference=sent.exchange_id,
                           note=reason)
    except ValidationError:
        logger.info("a refusal came for a dossier no longer waiting", extra={"package": sent.pk})
