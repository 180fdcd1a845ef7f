"""Reads about a dossier's result document (kết quả giải quyết): which file is current, whether it
is signed and issued, and which agency issues it. The rules of who may sign or issue it are in
``dossiers.policy``; the doors that sign and issue are in ``dossiers.results``."""

from django.db.models import Prefetch

from directory.models import Agency

from .models import Dossier, DossierFile, FilePurpose


def current_results() -> Prefetch:
    """For a list deciding many dossiers at once: their current result documents in one query,
    which :func:`result_for` then reads instead of asking for each dossier."""
    return Prefetch("files", queryset=DossierFile.objects.filter(purpose=FilePurpose.RESULT, replaced=False)
                    .order_by("-uploaded_at", "-id"), to_attr="prefetched_results")


def result_for(dossier: Dossier) -> DossierFile | None:
    """The dossier's current result document, or None."""
    if "prefetched_results" in dossier.__dict__:
        return next(iter(dossier.prefetched_results), None)
    return (DossierFile.objects.filter(dossier_id=dossier.pk, purpose=FilePurpose.RESULT, replaced=False)
            .order_by("-uploaded_at", "-id").first())


def is_signed(result_file: DossierFile) -> bool:
    """Whether the result carries the competent official's digital signature."""
    from signing.services import is_signed as signed

    return signed(result_file)


def is_issued(result_file: DossierFile) -> bool:
    """Whether the clerk has issued it: number, date and the agency's seal signature."""
    return bool(result_file.issue_number)


def issuing_agency(dossier: Dossier) -> Agency:
    """The agency that decides: the one doing the approving (last) step of the dossier's process —
    another agency for inter-agency procedures —, else the receiving agency."""
    if dossier.process_id:
        last = dossier.process.steps.select_related("definition").order_by("-order").first()
        if last is not None:
            return Agency.objects.select_related("parent", "administrative_unit").get(pk=last.doing_agency_id)
    return Agency.objects.select_related("parent", "administrative_unit").get(pk=dossier.agency_id)


def result_stage(dossier: Dossier) -> str:
    """Where the result document is: "none", "draft" (unsigned), "signed" or "issued"."""
    record = result_for(dossier)
    if record is None:
        return "none"
    if is_issued(record):
        return "issued"
    return "signed" if is_signed(record) else "draft"
