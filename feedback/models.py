"""Citizens' satisfaction and feedback (mức độ hài lòng; phản ánh, kiến nghị), decision 0039.

- A returned dossier is rated once, by the official criteria, each on a five-level scale
  (``Criterion``, ``Rating``, ``Score``): online by its applicant or on the desk's tablet through a
  single-use ``KioskToken``.
- Feedback and complaints (``Complaint``) are routed to the responsible agency, answered within a
  limit of working days, escalated once to the agency's leaders when late, and published only when
  the sender agreed, without personal data.
- The numbers that are policy (time to answer, minimum ratings before an official's figures are
  shown, the level from which a score counts as satisfied) are data (``Rules``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency, ServiceCentre
from dossiers.models import Dossier
from egov.crypto import EncryptedTextField
from procedures.models import Procedure


def new_token() -> str:
    # 32 random bytes: guessing one is hopeless, and an unknown token answers like a missing page.
    return secrets.token_urlsafe(32)


class Level(models.IntegerChoices):
    """The five levels of the satisfaction survey (SIPAS uses the same five-point scale)."""

    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


@audited
class Rules(models.Model):
    """The province's rules for satisfaction and feedback, one row (pk 1), edited in the admin."""

    answer_working_days = models.PositiveSmallIntegerField(
        _("working days to answer feedback"), default=10, validators=[MinValueValidator(1)],
        help_text=_("Counted with the province's working-day calendar from the day it is received"))
    min_ratings_per_official = models.PositiveSmallIntegerField(
        _("ratings needed before an official's figures are shown"), default=5, validators=[MinValueValidator(1)],
        help_text=_("Below it an official's figures stay hidden, so that no single rating can be traced back"))
    satisfied_from = models.PositiveSmallIntegerField(
        _("a score counts as satisfied from"), default=Level.SATISFIED, choices=Level.choices)
    kiosk_minutes = models.PositiveSmallIntegerField(
        _("minutes a desk tablet link stays valid"), default=30, validators=[MinValueValidator(1),
                                                                           MaxValueValidator(24 * 60)])

    class Meta:
        verbose_name = _("satisfaction and feedback rules")
        verbose_name_plural = _("satisfaction and feedback rules")

    def __str__(self) -> str:
        return str(_("satisfaction and feedback rules"))

    @property
    def audit_agency_id(self) -> None:
        return None


@audited
class Criterion(models.Model):
    """Tiêu chí đánh giá: one question of the survey, as data (a new survey is entered, not coded)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("criterion"), max_length=200, help_text=_("As the citizen reads it"))
    name_en = models.CharField(_("criterion in English"), max_length=200, blank=True)
    source = models.CharField(_("legal source"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    active = models.BooleanField(_("asked"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("satisfaction criterion")
        verbose_name_plural = _("satisfaction criteria")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_agency_id(self) -> None:
        return None

    def label(self, language: str | None) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("online")
    KIOSK = "kiosk", _("tablet at the desk")


@audited
class Rating(models.Model):
    """Đánh giá mức độ hài lòng: one per dossier. The rater is the dossier's applicant, never
    shown: aggregates name the official, the desk and the agency only."""

    dossier = models.OneToOneField(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT,
                                   related_name="satisfaction")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(ServiceCentre, verbose_name=_("desk"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("Empty: the agency's own one-stop desk"))
    channel = models.CharField(_("channel"), max_length=10, choices=RatingChannel.choices)
    rated_at = models.DateTimeField(_("rated at"), db_index=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-rated_at", "-id"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        indexes = [models.Index(fields=["agency", "rated_at"])]

    def __str__(self) -> str:
        return f"rating #{self.pk}"


class Score(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(choices=Level.choices)

    class Meta:
        ordering = ["rating", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "criterion"], name="feedback_score_once"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="feedback_score_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.value}"


@audited
class KioskToken(models.Model):
    """The link a desk officer opens on the desk's tablet for one returned dossier: used once."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"kiosk #{self.pk}"

    @property
    def audit_agency_id(self) -> int:
        return self.dossier.agency_id


class Subject(models.TextChoices):
    PROCEDURE = "procedure", _("A procedure")
    DOSSIER = "dossier", _("A dossier")
    OFFICIAL = "official", _("An official's conduct")
    OTHER = "other", _("Something else")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("waiting for an answer")
    ANSWERED = "answered", _("answered")


@audited
class Complaint(models.Model):
    """Phản ánh, kiến nghị (Decree 20/2008/NĐ-CP on feedback about administrative rules and their
    settlement): sent online, routed to the responsible agency, answered within its time."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sender"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # Personal data: shown to the answering agency only, never published, never logged.
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = EncryptedTextField(_("phone"), max_length=20, blank=True)  # encrypted at rest (ADR 0050)
    address = EncryptedTextField(_("address"), max_length=255, blank=True)
    subject = models.CharField(_("about"), max_length=10, choices=Subject.choices)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    official_name = models.CharField(_("official concerned"), max_length=150, blank=True)
    content = models.TextField(_("content"))
    consent_to_publish = models.BooleanField(_("the answer may be published"), default=False)
    agency = models.ForeignKey(Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT,
                               related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.OPEN)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    due_at = models.DateTimeField(_("answer due"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    # What the portal shows of the question, written by the answering official without personal data.
    public_summary = models.TextField(_("summary for publication"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    told_at = models.DateTimeField(null=True, blank=True, editable=False)  # a sender without an account was told

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["agency", "received_at"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(published=False) | models.Q(consent_to_publish=True, status="answered"),
            name="feedback_published_only_with_consent")]

    def __str__(self) -> str:
        return f"PAKN #{self.pk}"

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at
