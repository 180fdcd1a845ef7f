"""The electronic data store of citizens and organisations (kho quản lý dữ liệu điện tử của tổ chức, cá nhân,
Decree 45/2020/NĐ-CP art. 16): the results issued to them electronically, the papers digitised when they
brought them to a desk, and what they took from it (or from a national database) instead of submitting a
paper again. ADR 0044."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.registry import audited


class PaperKind(models.Model):
    """Loại giấy tờ: what a stored item is, so that it can stand for a paper a procedure asks for. A
    procedure's paper or result is of this kind when its name, read without the words about copies
    ("Bản sao", "Bản chính"…), begins with one of ``names`` (``datastore.kinds``)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(pgettext_lazy("paper kind", "name"), max_length=255)
    names = models.JSONField(_("names it goes by"), default=list, blank=True,
                             help_text=_("Paper and result names of this kind, as the catalogue spells them"))
    # Empty: valid without limit (a birth certificate); else months from the day of issue.
    validity_months = models.PositiveSmallIntegerField(_("valid for (months)"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("paper kind")
        verbose_name_plural = _("paper kinds")

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    RESULT = "result", _("result issued electronically")
    DIGITISED = "digitised", _("paper digitised at intake")
    NATIONAL = "national", _("obtained from a national database")


def stored_file_path(instance, filename: str) -> str:
    # Random names, like the dossiers' files: nothing about the owner in the storage key.
    return f"datastore/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension or 'bin'}"


@audited
class StoredItem(models.Model):
    """One document in a store (giấy tờ, kết quả trong kho dữ liệu). Never overwritten: a newer item of the
    same kind supersedes the older one, which stays; removing it from reuse keeps the legal record."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="stored_items")
    # An organisation's dossier puts its items in the organisation's store (its active staff see it).
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="stored_items")
    kind = models.ForeignKey(PaperKind, verbose_name=_("paper kind"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="items")
    title = models.CharField(pgettext_lazy("data store", "title"), max_length=500)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    # The stored bytes of the dossier's file, referenced, never copied: a result or a submitted paper
    # never changes (a change is a new file), so the store and the dossier name the same object.
    file = models.FileField(upload_to=stored_file_path, max_length=255, blank=True)
    extension = models.CharField(max_length=10, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    number = models.CharField(pgettext_lazy("document", "number"), max_length=40, blank=True)
    issued_on = models.DateField(pgettext_lazy("data store", "issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)  # empty: without limit
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="stored_items")
    dossier_file = models.ForeignKey("dossiers.DossierFile", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="stored_items")
    created_at = models.DateTimeField(auto_now_add=True)
    # A digitised paper: the desk officer who confirmed the scan is faithful to the original.
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("removed from reuse at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("stored item")
        verbose_name_plural = _("stored items")
        constraints = [
            # A dossier's file enters a store once (issuance retried, digitisation confirmed twice).
            models.UniqueConstraint(fields=["dossier_file"], name="datastore_item_file_once"),
        ]
        indexes = [models.Index(fields=["owner", "kind"]), models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return self.title


@audited
class Reuse(models.Model):
    """What a dossier took instead of a new paper (Decree 45/2020 art. 16: no re-submission): an item of
    the store, or a datum from a national database."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="reuses")
    requirement = models.ForeignKey("procedures.PaperRequirement", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(StoredItem, null=True, blank=True, on_delete=models.PROTECT, related_name="reuses")
    # The dossier's copy of the item: once the applicant replaces it by an upload, the paper is no longer reused.
    dossier_file = models.ForeignKey("dossiers.DossierFile", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    what = models.CharField(_("what was reused"), max_length=255)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("reuse")
        verbose_name_plural = _("reuses")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.what}"
