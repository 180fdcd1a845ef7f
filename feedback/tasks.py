"""Background work of feedback: telling the desk and the sender, and the escalation sweep. Safe to run twice."""

from celery import shared_task


@shared_task(name="feedback.tell_desk")
def tell_desk(complaint_id: int) -> None:
    from .services import tell_desk as run

    run(complaint_id)


@shared_task(name="feedback.tell_requester", bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def tell_requester(self, complaint_id: int) -> None:
    from .services import tell_requester as run

    run(complaint_id)


@shared_task(name="feedback.escalate_overdue")
def escalate_overdue() -> int:
    """Every few minutes: feedback past its time is escalated to the agency's leaders, once."""
    from .services import escalate_overdue as run

    return run()
