"""The e-office's Celery tasks, found by ``autodiscover_tasks`` (defined beside their domain)."""

from .sweeps import remind_due_assignments_task

__all__ = ["remind_due_assignments_task"]
