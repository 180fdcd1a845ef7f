"""Quản lý công việc: tasks given by a leader or a unit head to units and people, their progress
reports, extension requests and completion approval, and the agency's weekly work schedule
(lịch công tác tuần).

The rules (who may do what now) are in ``work.policy``; the doors that change records are
``work.services`` (tasks) and ``work.schedule`` (the weekly schedule).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import audited
from directory.models import Agency, OrgUnit


class Source(models.TextChoices):
    DOCUMENT = "document", _("an official document")
    MEETING = "meeting", _("a meeting")
    AD_HOC = "ad_hoc", _("ad hoc")


class Priority(models.TextChoices):
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    AWAITING_APPROVAL = "awaiting_approval", _("awaiting approval of completion")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


UNFINISHED = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.AWAITING_APPROVAL)


@audited
class Task(models.Model):
    """Công việc: given by ``assigned_by`` to units or people (``TaskAssignee``), from an official
    document, a meeting or ad hoc; a sub-task (``parent``) splits it inside the unit."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("agency"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.AD_HOC)
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="tasks", verbose_name=_("source document"))
    meeting = models.CharField(_("meeting"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks_given",
                                    verbose_name=_("assigned by"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="subtasks",
                               verbose_name=_("parent task"))
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reminded_on = models.DateField(null=True, blank=True)  # the day the last reminder went out
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["agency", "status", "due_on"], name="work_task_agency_status")]

    def __str__(self) -> str:
        return self.title


class AssigneeRole(models.TextChoices):
    MAIN = "main", _("in charge (chủ trì)")
    COOPERATE = "cooperate", _("cooperates (phối hợp)")


@audited
class TaskAssignee(models.Model):
    """A unit or a person given a task, in charge of it or cooperating."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignees")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="work_assignments", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=10, choices=AssigneeRole.choices, default=AssigneeRole.MAIN)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("task assignee")
        verbose_name_plural = _("task assignees")
        constraints = [models.CheckConstraint(
            condition=models.Q(unit__isnull=False, person__isnull=True) | models.Q(unit__isnull=True,
                                                                                 person__isnull=False),
            name="work_assignee_unit_or_person")]

    def __str__(self) -> str:
        return str(self.unit or self.person)


@audited
class ProgressReport(models.Model):
    """Báo cáo tiến độ: how far the task is, in per cent, with an optional attachment."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    text = models.TextField(_("report"))
    attachment = models.FileField(_("attachment"), upload_to="work/reports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.task_id} {self.percent}%"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


@audited
class ExtensionRequest(models.Model):
    """Đề nghị gia hạn: an approved request moves the task's due date."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    new_due_on = models.DateField(_("new due date"))
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=ExtensionState.choices,
                             default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")

    def __str__(self) -> str:
        return f"{self.task_id} → {self.new_due_on}"


@audited
class ScheduleEntry(models.Model):
    """One line of the agency's weekly work schedule (lịch công tác tuần); staff see it once published."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="schedule_entries",
                               verbose_name=_("agency"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    title = models.CharField(_("activity"), max_length=300)
    place = models.CharField(_("place"), max_length=200, blank=True)
    chaired_by = models.CharField(_("chaired by"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("schedule entry")
        verbose_name_plural = _("schedule entries")

    def __str__(self) -> str:
        return self.title
