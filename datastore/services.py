"""Every change of the data store: results and digitised papers kept, items removed from reuse, reuses
recorded. Each is audited (the models are ``@audited``). ADR 0044."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .kinds import kind_for
from .models import PaperKind, Reuse, Source, StoredItem


def valid_until(kind: PaperKind | None, issued_on: dt.date) -> dt.date | None:
    """The last day of validity: ``validity_months`` after the day of issue (the same day of the month,
    or the month's last day), or None without limit."""
    if kind is None or not kind.validity_months:
        return None
    months = issued_on.month - 1 + kind.validity_months
    year, month = issued_on.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(issued_on.day, calendar.monthrange(year, month)[1]))


def _supersede(item: StoredItem) -> None:
    """The newest item of a kind stands for it; the older ones stay in the history."""
    if item.kind_id is None:
        return
    same = StoredItem.objects.filter(kind_id=item.kind_id, superseded_by__isnull=True).exclude(pk=item.pk)
    same = (same.filter(organisation_id=item.organisation_id) if item.organisation_id
            else same.filter(owner_id=item.owner_id, organisation__isnull=True))
    for older in same.filter(issued_on__lte=item.issued_on):  # saved one by one: each change audited
        older.superseded_by = item
        older.save(update_fields=["superseded_by"])


def _keep(*, dossier, dossier_file, source: str, title: str, issued_on: dt.date, issuer: str = "",
          number: str = "", confirmed_by=None) -> StoredItem:
    existing = StoredItem.objects.filter(dossier_file=dossier_file).first()
    if existing is not None:  # an issuance retried, a confirmation sent twice
        return existing
    kind = kind_for(title)
    item = StoredItem.objects.create(
        owner_id=dossier.applicant_id, organisation_id=dossier.organisation_id, kind=kind, title=title[:500],
        source=source, file=dossier_file.file.name, extension=dossier_file.extension,
        content_type=dossier_file.content_type, sha256=dossier_file.sha256, issuer=issuer[:255], number=number,
        issued_on=issued_on, valid_until=valid_until(kind, issued_on), dossier=dossier, dossier_file=dossier_file,
        confirmed_by=confirmed_by)
    _supersede(item)
    return item


def keep_result(*, dossier, result_file, issuer: str) -> StoredItem:
    """A result issued electronically goes into the applicant's store (called by the issuing door, in
    its transaction: kept if and only if the issuance is)."""
    return _keep(dossier=dossier, dossier_file=result_file, source=Source.RESULT,
                 title=dossier.procedure_version.result_type or result_file.original_name,
                 issued_on=timezone.localdate(result_file.uploaded_at), issuer=issuer, number=result_file.issue_number)


def keep_digitised(*, dossier, paper_file, officer) -> StoredItem:
    """A paper scanned at the desk, which ``officer`` confirmed faithful to the original, goes into the
    applicant's store. The caller checked the officer's scope (dossiers.digitise). The original's date
    of issue is not known: validity is counted from the day of digitisation (ADR 0044)."""
    title = paper_file.requirement.name if paper_file.requirement_id else paper_file.original_name
    return _keep(dossier=dossier, dossier_file=paper_file, source=Source.DIGITISED, title=title,
                 issued_on=timezone.localdate(), confirmed_by=officer)


@transaction.atomic
def withdraw_from_reuse(*, item: StoredItem, acting_user) -> StoredItem:
    """The owner stops an item from being offered; the item and the dossiers that used it stay."""
    item = StoredItem.objects.select_for_update().get(pk=item.pk)
    if not policy.may_withdraw(acting_user, item):
        raise PermissionDenied(_("This item cannot be removed from reuse."))
    item.withdrawn_at = timezone.now()
    item.save(update_fields=["withdrawn_at"])
    return item


def record_reuse(*, dossier, acting_user, source: str, what: str, requirement=None,
                 item: StoredItem | None = None, dossier_file=None) -> Reuse:
    """The dossier records what it took instead of a paper: an item of the store (with the dossier's
    copy of it), or a datum from a national database (``source`` national, ``what`` naming it, e.g.
    the population record that filled the e-form). Called inside the caller's door."""
    return Reuse.objects.create(dossier=dossier, requirement=requirement, item=item, source=source,
                                what=what[:255], by=acting_user, at=timezone.now(), dossier_file=dossier_file)
