"""Retention policies as data, the legal holds that stop them, what was archived, and the report of
every run (docs/decisions/0051-retention.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a policy is about: one kind of record of the platform."""

    DOSSIER_SETTLED = "dossier_settled", _("Settled dossiers, with their papers, slips and history")
    DOSSIER_UNSETTLED = "dossier_unsettled", _("Refused, withdrawn or stopped dossiers, with their papers")
    DRAFT = "draft", _("Drafts never submitted")
    INTEGRATION_CALLS = "integration_calls", _("Integration platform call log")
    NOTIFICATIONS = "notifications", _("Notifications and their e-mail and SMS deliveries")
    SESSIONS = "sessions", _("Ended sign-in sessions")
    LOGIN_ATTEMPTS = "login_attempts", _("Sign-in attempts and lock-outs")
    POPULATION_CONSENTS = "population_consents", _("Consents to and records of population look-ups")


class Disposal(models.TextChoices):
    """What happens at the end of the period."""

    ARCHIVE = "archive", _("archive")  # package to the archive, then personal data removed from the live copy
    ERASE = "erase", _("erase")
    ANONYMISE = "anonymise", _("anonymise")


class RetentionPolicy(models.Model):
    """Thời hạn lưu trữ of one kind of record, with its legal basis and the dates it is in force. The
    period runs from the record's reference moment (a dossier's end, a log line's time); with
    ``from_year_end`` it runs from the end of that year, as Circular 10/2022/TT-BNV counts (a 10-year
    dossier finished in 2016 is due on 1 January 2027)."""

    kind = models.CharField(_("kind of record"), max_length=30, choices=Kind.choices)
    years = models.PositiveSmallIntegerField(_("years"), default=0)
    days = models.PositiveIntegerField(_("days"), default=0)
    from_year_end = models.BooleanField(_("counted from the end of the year"), default=False)
    disposal = models.CharField(_("at the end"), max_length=10, choices=Disposal.choices)
    legal_basis = models.TextField(_("legal basis"))
    to_confirm = models.BooleanField(_("to confirm"), default=False,
                                     help_text=_("The period is the platform's reading of the law, not yet "
                                                 "confirmed by the province's legal department."))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [models.UniqueConstraint(fields=["kind", "valid_from"], name="retention_policy_kind_from")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.period_text}"

    @property
    def period_text(self) -> str:
        parts = []
        if self.years:
            parts.append(str(_("%(n)d years")) % {"n": self.years})
        if self.days:
            parts.append(str(_("%(n)d days")) % {"n": self.days})
        text = " ".join(parts) or "0"
        return text + (" " + str(_("from the end of the year")) if self.from_year_end else "")

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class LegalHold(models.Model):
    """Tạm dừng xử lý: a dossier, or everything of one person, that no retention action may touch while
    a complaint, lawsuit, inspection or investigation needs it."""

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=255)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    placed_at = models.DateTimeField(_("placed at"))
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [models.CheckConstraint(condition=models.Q(dossier__isnull=False) | models.Q(person__isnull=False),
                                              name="legal_hold_names_something")]

    def __str__(self) -> str:
        return f"{self.dossier or self.person}: {self.reason}"


class RetentionRun(models.Model):
    """Báo cáo: one run of the job, what it found due and what it did, per kind."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("schedule")
        COMMAND = "command", _("command")
        PAGE = "page", _("administrator")

    day = models.DateField(_("reference day"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    dry_run = models.BooleanField(_("dry run"), default=False)
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # {kind: {"due": n, "archived"|"erased"|"anonymised": n, "held": n, "failed": n, "left": n}}
    counts = models.JSONField(_("counts"), default=dict)
    errors = models.JSONField(_("errors"), default=list)  # [{"kind", "record", "error"}], no personal data

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.day} {'dry run' if self.dry_run else 'run'} #{self.pk}"


class ArchivedRecord(models.Model):
    """A record moved to the archive: where its package is and its checksum. Its existence is what
    makes a second run skip the record."""

    kind = models.CharField(max_length=30, choices=Kind.choices)
    object_type = models.CharField(max_length=100)  # "dossiers.dossier"
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(_("record"), max_length=80, blank=True)  # the dossier code, never a name
    package = models.CharField(_("package"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    archived_at = models.DateTimeField(_("archived at"))
    run = models.ForeignKey(RetentionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="archived")

    class Meta:
        ordering = ["-archived_at"]
        constraints = [models.UniqueConstraint(fields=["object_type", "object_id"], name="archived_record_once")]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} → {self.package}"
