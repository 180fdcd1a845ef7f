"""Căn cứ pháp lý: the legal texts the platform follows and the one-stop form sets they set, each with
the dates it is in force, so that a dossier, slip or report uses the text in force on its date and a
province enters a new decree or circular as data (docs/legal.md)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited

# The slips of the one-stop process, by what they are (their numbers differ between form sets).
SLIP_KINDS = ("receipt", "supplement", "refusal", "apology", "stop", "control", "register")


@audited
class LegalDocument(models.Model):
    """Văn bản quy phạm pháp luật: a decree, circular, law or decision, with its validity."""

    class Kind(models.TextChoices):
        LAW = "law", _("Law")  # Luật
        DECREE = "decree", _("Decree")  # Nghị định
        CIRCULAR = "circular", _("Circular")  # Thông tư
        DECISION = "decision", _("Decision")  # Quyết định

    number = models.CharField(_("number and symbol"), max_length=60, unique=True, help_text="118/2025/NĐ-CP")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=400)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("The last day in force"))
    confirmed = models.BooleanField(
        _("dates confirmed"), default=True,
        help_text=_("Unticked while a date is assumed and waits for the official text"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["valid_from", "number"]
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def citation(self) -> str:
        """As an official document cites it: "Thông tư số 03/2025/TT-VPCP"."""
        words = {"law": "Luật", "decree": "Nghị định", "circular": "Thông tư", "decision": "Quyết định"}
        return f"{words[self.kind]} số {self.number}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("A text cannot stop applying before it starts.")})


@audited
class FormSet(models.Model):
    """Bộ biểu mẫu một cửa: the slips a dossier gets (their numbers and titles), set by a circular
    guiding a decree. A dossier keeps the set in force on the day it was submitted."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    basis = models.ForeignKey(LegalDocument, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+")
    governing = models.ForeignKey(LegalDocument, verbose_name=_("guides"), on_delete=models.PROTECT,
                                  related_name="+")
    valid_from = models.DateField(_("for dossiers from"))
    valid_to = models.DateField(_("for dossiers until"), null=True, blank=True)
    forms = models.JSONField(_("forms"), default=dict,
                             help_text=_('{"receipt": {"number": "01", "title": "..."}, ...} for the slips it has'))

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("one-stop form set")
        verbose_name_plural = _("one-stop form sets")

    def __str__(self) -> str:
        return self.name

    def number(self, kind: str) -> str:
        return self.forms[kind]["number"]

    def title(self, kind: str) -> str:
        return self.forms[kind]["title"]

    def has(self, kind: str) -> bool:
        return kind in self.forms

    def clean(self) -> None:
        unknown = set(self.forms) - set(SLIP_KINDS)
        if unknown:
            raise ValidationError({"forms": _("Unknown slips: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))}})
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("A form set cannot stop applying before it starts.")})
        others = FormSet.objects.exclude(pk=self.pk)
        for other in others:
            if self.valid_from <= (other.valid_to or dt.date.max) and other.valid_from <= (self.valid_to or dt.date.max):
                raise ValidationError(_("Its dates overlap those of “%(other)s”: one form set applies on a day.")
                                      % {"other": other.name})
