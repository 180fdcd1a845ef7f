"""The outbox (hộp thư đi): one row per side effect a committed change still owes."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task to run at least once. Written in the transaction of the change that needs
    it, so it exists exactly when the change does; marked done when the task succeeds, dead
    after too many failed attempts (an administrator can run it again from the admin)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("done")
        DEAD = "dead", _("given up")

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, encoder=DjangoJSONEncoder)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    dead_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    # Exception class and message with personal data redacted (egov.logging.redact).
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        indexes = [
            models.Index(fields=["next_attempt_at"], name="outbox_due_idx",
                         condition=Q(done_at__isnull=True, dead_at__isnull=True)),
            models.Index(fields=["task", "done_at"], name="outbox_task_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"

    @property
    def state(self) -> str:
        if self.done_at is not None:
            return self.State.DONE
        if self.dead_at is not None:
            return self.State.DEAD
        return self.State.PENDING
