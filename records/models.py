"""Hồ sơ công việc and the agency archive (Decree 30/2020/NĐ-CP, Chapter IV): the agency's yearly
file list (danh mục hồ sơ), the files opened from it, the documents attached to them, and the
record of a closed file handed to the agency archive (nộp lưu vào Lưu trữ cơ quan).

The rules are in ``records.policy``; the doors that change these rows in ``records.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency, OrgUnit


@audited
class FileList(models.Model):
    """Danh mục hồ sơ: the files an agency plans to open in a year, approved by its head."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="file_lists", verbose_name=_("agency"))
    year = models.PositiveSmallIntegerField(_("year"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))

    class Meta:
        ordering = ["agency", "-year"]
        verbose_name = _("file list")
        verbose_name_plural = _("file lists")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="file_list_unique_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class FileStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    TRANSFERRED = "transferred", _("transferred to the archive")


@audited
class CaseFile(models.Model):
    """Hồ sơ công việc: the documents of one matter, kept by one official of a unit, with the
    retention period of the file list (``retention_years`` empty: permanent, vĩnh viễn)."""

    file_list = models.ForeignKey(FileList, on_delete=models.PROTECT, related_name="files",
                                  verbose_name=_("file list"))
    code = models.CharField(_("file code"), max_length=50)
    title = models.CharField(_("title"), max_length=500)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    keeper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_files",
                               verbose_name=_("kept by"))
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"), null=True, blank=True,
                                                       help_text=_("Leave empty for permanent retention."))
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=FileStatus.choices, default=FileStatus.OPEN)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)

    class Meta:
        ordering = ["file_list", "code"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        constraints = [models.UniqueConstraint(fields=["file_list", "code"], name="case_file_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def agency_id(self) -> int:
        return self.file_list.agency_id

    @property
    def retention_text(self) -> str:
        if self.retention_years is None:
            return str(_("permanent"))
        return str(_("%(years)d years")) % {"years": self.retention_years}


@audited
class CaseFileItem(models.Model):
    """A document of a file (văn bản trong hồ sơ)."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="case_file_items",
                                 verbose_name=_("document"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case_file", "document"], name="case_file_item_unique")]

    def __str__(self) -> str:
        return f"{self.case_file_id} ← {self.document_id}"


@audited
class ArchiveEntry(models.Model):
    """What the agency archive received with a file (mục lục hồ sơ nộp lưu, Decree 30/2020 art. 31
    and Appendix V): its code and title, the dates of its first and last documents, the retention,
    the number of documents and of pages, as they stood at the transfer."""

    case_file = models.OneToOneField(CaseFile, on_delete=models.PROTECT, related_name="archive_entry")
    code = models.CharField(_("file code"), max_length=50)
    title = models.CharField(_("title"), max_length=500)
    unit_name = models.CharField(_("unit"), max_length=255, blank=True)
    first_date = models.DateField(_("from"), null=True, blank=True)
    last_date = models.DateField(_("to"), null=True, blank=True)
    retention = models.CharField(_("retention"), max_length=30)
    document_count = models.PositiveIntegerField(_("number of documents"))
    page_count = models.PositiveIntegerField(_("number of pages"))
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    transferred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-transferred_at"]
        verbose_name = _("archive entry")
        verbose_name_plural = _("archive entries")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
