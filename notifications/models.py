"""Notifications (thông báo) to applicants, and the record of every delivery attempt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, DossierEvent


class Notification(models.Model):
    """A message shown in the applicant's notification list on the portal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="notifications")
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # What the notice is about ("step-warning:<id>"), so that a task run twice tells each person once.
    key = models.CharField(_("key"), max_length=80, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""),
                                               name="notification_once_per_key")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """One channel's delivery of one dossier event. The row exists before anything is sent and
    is marked sent afterwards, so a retried task skips what already went out."""

    class Channel(models.TextChoices):
        APP = "app", _("in the app")
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    event = models.ForeignKey(DossierEvent, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Error class and code only: the text of an SMTP or gateway answer may name the recipient.
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    # What the provider calls the message (the SMS gateway's SMSID), to trace it with them.
    reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "channel"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="delivery_event_channel_unique")]
        indexes = [models.Index(fields=["status", "channel"])]

    def __str__(self) -> str:
        return f"event {self.event_id} {self.channel} {self.status}"
