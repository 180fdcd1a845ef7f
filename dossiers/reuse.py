"""Papers taken from the applicant's data store instead of an upload (Decree 45/2020/NĐ-CP art. 16: what
the state already holds is not asked again), and papers digitised at the desk put into it. ADR 0044.

Reuse copies the item's bytes into a file of the dossier: the dossier owns its files (a draft's replaced
paper is deleted), the store keeps its own; both name the same content by its hash."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from datastore import policy as store_policy
from datastore import selectors as store_selectors
from datastore import services as store_services
from datastore.models import StoredItem
from procedures.models import PaperRequirement

from . import desks
from .models import Channel, Dossier, DossierFile, FilePurpose
from .services import files_or_nothing
from .states import Status

SAFE_NAME = re.compile(r"[^\w.-]+")


def offers(*, user, dossier: Dossier) -> dict[int, list[StoredItem]]:
    """For each paper of the draft, the items of the store offered instead of an upload."""
    if dossier.status != Status.DRAFT or dossier.applicant_id != user.pk:
        return {}
    return {paper.pk: list(store_selectors.offers(user=user, organisation_id=dossier.organisation_id, paper=paper))
            for paper in dossier.procedure_version.papers.all()}


def current_reuses(dossier: Dossier) -> dict[int, int]:
    """Paper id → the item of the store whose copy is the paper's current file."""
    return {reuse.requirement_id: reuse.item_id for reuse in store_selectors.reuses_of(dossier.pk)
            .filter(item__isnull=False, dossier_file__replaced=False, requirement__isnull=False)}


def _copy(dossier: Dossier, item: StoredItem, requirement: PaperRequirement, user, stored) -> DossierFile:
    with item.file.open("rb") as handle:
        content = handle.read()
    name = SAFE_NAME.sub("-", item.title)[:80].strip("-") or "giay-to"
    record = DossierFile(dossier=dossier, requirement=requirement, purpose=FilePurpose.PAPER,
                         original_name=f"{name}.{item.extension}", extension=item.extension,
                         content_type=item.content_type, size=len(content), sha256=item.sha256, uploaded_by=user,
                         uploaded_at=timezone.now())
    record.file.save(record.original_name, ContentFile(content), save=False)
    stored.remember(record.file.name)
    record.save()
    return record


def reuse_papers(*, dossier: Dossier, user, choices: dict[int, int]) -> list[DossierFile]:
    """Attach, for each paper (requirement id → item id), the chosen item of the store; the dossier
    records each reuse. All or none; an item not offered to ``user`` for that paper is refused as if it
    did not exist (PermissionDenied)."""
    with files_or_nothing() as stored, transaction.atomic():
        current = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if current.applicant_id != user.pk:  # a draft is its author's
            raise PermissionDenied
        if current.status != Status.DRAFT:
            raise ValidationError(_("This dossier can no longer be changed."))
        papers = {paper.pk: paper for paper in current.procedure_version.papers.all()}
        records, already = [], current_reuses(current)
        for requirement_id, item_id in choices.items():
            if already.get(int(requirement_id)) == item_id:
                continue  # the draft saved again with the same choice
            requirement = papers.get(int(requirement_id))
            item = StoredItem.objects.filter(pk=item_id).first()
            if requirement is None or item is None or not store_policy.may_reuse(
                    user, item, organisation_id=current.organisation_id, paper=requirement):
                raise PermissionDenied
            for old in current.files.filter(requirement=requirement, purpose=FilePurpose.PAPER, replaced=False):
                old.replaced = True
                old.save(update_fields=["replaced"])
                transaction.on_commit(lambda name=old.file.name: default_storage.delete(name))
            record = _copy(current, item, requirement, user, stored)
            store_services.record_reuse(dossier=current, acting_user=user, source=item.source, what=item.title,
                                        requirement=requirement, item=item, dossier_file=record)
            records.append(record)
        return records


# --- digitisation at the desk -------------------------------------------------------------------

def digitisable(dossier: Dossier) -> list[DossierFile]:
    """The dossier's current papers scanned at the desk and not yet in the applicant's store."""
    if dossier.status == Status.DRAFT or dossier.channel not in (Channel.COUNTER, Channel.POST):
        return []
    return list(dossier.files.filter(replaced=False, purpose__in=[FilePurpose.PAPER, FilePurpose.SUPPLEMENT],
                                     stored_items__isnull=True).select_related("requirement"))


def may_digitise(user, dossier: Dossier) -> bool:
    """The desk that took the dossier in (its agency's or the receiving centre's) marks its scans
    digitised, for a dossier brought on paper with scans not yet confirmed."""
    return bool(digitisable(dossier)) and desks.is_intake_desk(user, dossier)


def confirm_digitised(*, dossier: Dossier, officer, file_ids: list[int], confirmed: bool) -> list[StoredItem]:
    """Số hóa hồ sơ: the desk officer confirms the chosen scans are faithful to the original papers; each
    goes into the applicant's data store (Decree 45/2020 art. 16; Decision 766 indicator 6.1)."""
    if not may_digitise(officer, dossier):
        raise PermissionDenied
    if not confirmed:
        raise ValidationError(_("Confirm that you compared the scans with the original papers."))
    chosen = [record for record in digitisable(dossier) if record.pk in set(file_ids)]
    if not chosen:
        raise ValidationError(_("Choose the scanned papers to mark as digitised."))
    with transaction.atomic():
        return [store_services.keep_digitised(dossier=dossier, paper_file=record, officer=officer)
                for record in chosen]
