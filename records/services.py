"""The doors that change the agency's files and archive: open a file, attach a document, close
the file, transfer it to the agency archive. Each asks ``records.policy`` first and writes in one
transaction; the audit trail follows the models (``audit.registry``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership
from documents.models import Document

from . import policy
from .models import ArchiveEntry, CaseFile, CaseFileItem, FileList, FileStatus


def file_list_for(agency, year: int) -> FileList:
    return FileList.objects.get_or_create(agency=agency, year=year)[0]


@transaction.atomic
def approve_list(*, user, file_list: FileList) -> FileList:
    if not policy.may_manage_list(user, file_list.agency_id):
        raise PermissionDenied(_("Only the agency's clerk or leaders keep its file list."))
    file_list.approved_at, file_list.approved_by = timezone.now(), user
    file_list.save(update_fields=["approved_at", "approved_by"])
    return file_list


@transaction.atomic
def open_file(*, user, agency, year: int, code: str, title: str, unit=None, retention_years: int | None = None,
              opened_on: dt.date | None = None) -> CaseFile:
    """Lập hồ sơ: a new open file kept by ``user`` in the agency's file list of ``year``."""
    if unit is None:  # the official's own unit there, if any: a unit's official keeps the unit's files
        unit = next((m.unit for m in Membership.objects.valid_on().filter(official=user, agency=agency)
                     .select_related("unit") if m.unit_id), None)
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("The unit is not part of this agency.")})
    if not policy.may_open(user, agency.pk, unit.pk if unit else None):
        raise PermissionDenied(_("You do not act in this agency."))
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise ValidationError(_("A file needs a code and a title."))
    file_list = file_list_for(agency, year)
    if file_list.files.filter(code=code).exists():
        raise ValidationError({"code": _("The file list of this year already has a file with this code.")})
    try:
        with transaction.atomic():
            return CaseFile.objects.create(file_list=file_list, code=code, title=title, unit=unit, keeper=user,
                                           retention_years=retention_years,
                                           opened_on=opened_on or timezone.localdate())
    except IntegrityError:
        raise ValidationError({"code": _("The file list of this year already has a file with this code.")}) from None


def _locked(case_file: CaseFile) -> CaseFile:
    return CaseFile.objects.select_for_update().select_related("file_list").get(pk=case_file.pk)


@transaction.atomic
def attach(*, user, case_file: CaseFile, document: Document) -> CaseFileItem:
    case_file = _locked(case_file)
    policy.require(user, case_file, "attach", document)
    item, _created = CaseFileItem.objects.get_or_create(case_file=case_file, document=document,
                                                        defaults={"added_by": user})
    return item


@transaction.atomic
def close(*, user, case_file: CaseFile, closed_on: dt.date | None = None) -> CaseFile:
    """Kết thúc hồ sơ: refused while an incoming document in it is still being handled."""
    case_file = _locked(case_file)
    policy.require(user, case_file, "close")
    case_file.status, case_file.closed_on = FileStatus.CLOSED, closed_on or timezone.localdate()
    case_file.save(update_fields=["status", "closed_on"])
    return case_file


def _document_day(document: Document) -> dt.date | None:
    if document.issued_on:
        return document.issued_on
    moment = document.received_at or document.issued_at
    return timezone.localtime(moment).date() if moment else None


@transaction.atomic
def transfer(*, user, case_file: CaseFile) -> ArchiveEntry:
    """Nộp lưu: the closed file goes to the agency archive with its description (art. 31)."""
    case_file = _locked(case_file)
    policy.require(user, case_file, "transfer")
    documents = Document.objects.filter(case_file_items__case_file=case_file)
    days = sorted(d for d in (_document_day(doc) for doc in documents) if d)
    now = timezone.now()
    entry = ArchiveEntry.objects.create(
        case_file=case_file, code=case_file.code, title=case_file.title,
        unit_name=case_file.unit.name if case_file.unit is not None else "",
        first_date=days[0] if days else None, last_date=days[-1] if days else None,
        retention=case_file.retention_text, document_count=documents.count(),
        page_count=documents.aggregate(pages=Sum("page_count"))["pages"] or 0,
        transferred_by=user, transferred_at=now)
    case_file.status, case_file.transferred_at = FileStatus.TRANSFERRED, now
    case_file.save(update_fields=["status", "transferred_at"])
    return entry
