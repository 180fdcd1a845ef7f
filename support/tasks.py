"""Background work of support: telling the desk and the requester, the escalation sweep and the
campaign broadcasts. Each task is safe to run twice (see the services)."""

from celery import shared_task


@shared_task(name="support.tell_desk")
def tell_desk(request_id: int) -> None:
    from .services import tell_desk as run

    run(request_id)


@shared_task(name="support.tell_requester", bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def tell_requester(self, request_id: int) -> None:
    from .services import tell_requester as run

    run(request_id)


@shared_task(name="support.escalate_overdue")
def escalate_overdue() -> int:
    """Every few minutes: requests past their time are escalated to the agency's leaders, once."""
    from .services import escalate_overdue as run

    return run()


@shared_task(name="support.broadcast")
def broadcast(campaign_id: int) -> int:
    from .campaigns import broadcast as run

    return run(campaign_id)
