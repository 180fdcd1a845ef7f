"""Which issued result a verification link names: the link in the QR code the competent official's
signature stamps on a result (``signing.services.verification_url``), for the public verification
page (``signing.views``, given this finder by ``egov/urls.py``).

The link names the document the official signed — the hash either of the result as the official
signed it (``SignatureRecord.input_sha256`` of the official's signature) or of the unsigned result
it was prepared from (what the QR code holds: the hash is taken before the code is drawn on it).
It shows the dossier's current result only if that result descends from the named document and
has been issued (number and seal, Decree 30/2020/NĐ-CP art. 15): a signed result not yet issued
is not a document of the agency yet."""

from django.utils import timezone

from signing.models import CertificateKind, SignatureRecord
from signing.published import PublishedDocument

from .models import DossierFile, FilePurpose
from .pdf import document_name
from .result_state import issuing_agency


def issued_result(sha256: str) -> PublishedDocument | None:
    signed = _signed_from(sha256)
    issued = _issued_from(signed) if signed is not None else None
    if issued is None or issued.replaced or not issued.issue_number:
        return None
    dossier = issued.dossier
    name = document_name(dossier.procedure_version.result_type)
    title = name.title.capitalize() + (f" {name.summary[:1].lower()}{name.summary[1:]}" if name.summary else "")
    return PublishedDocument(agency=issuing_agency(dossier).name, title=title, number=issued.issue_number,
                             issued_on=timezone.localdate(issued.uploaded_at), file=issued.file,
                             filename=issued.download_name)


def _official_signatures():
    return SignatureRecord.objects.filter(kind=CertificateKind.PERSONAL, dossier_file__purpose=FilePurpose.RESULT)


def _signed_from(sha256: str) -> DossierFile | None:
    """The result version the competent official's signature produced from the named document."""
    record = _official_signatures().filter(input_sha256=sha256).select_related("dossier_file").first()
    if record is not None:
        return record.dossier_file
    draft = DossierFile.objects.filter(sha256=sha256, purpose=FilePurpose.RESULT).order_by("uploaded_at", "id").first()
    if draft is None:
        return None
    # The official's signature stores a new version and retires the draft in one transaction: the
    # first signed version of the dossier's result stored after the draft.
    return (DossierFile.objects.filter(dossier_id=draft.dossier_id, purpose=FilePurpose.RESULT,
                                       uploaded_at__gte=draft.uploaded_at,
                                       pk__in=_official_signatures().values("dossier_file_id"))
            .exclude(pk=draft.pk).order_by("uploaded_at", "id").first())


def _issued_from(signed: DossierFile) -> DossierFile | None:
    """The version the clerk's seal signature made of ``signed`` (its input is the signed file)."""
    record = (SignatureRecord.objects.filter(kind=CertificateKind.SEAL, input_sha256=signed.sha256,
                                             dossier_file__dossier_id=signed.dossier_id)
              .select_related("dossier_file__dossier__procedure_version").order_by("signed_at").first())
    return record.dossier_file if record is not None else None
