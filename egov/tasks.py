"""Scheduling background work.

Every side effect of a service (a slip's PDF, a notification, a delivery) is a Celery task
scheduled through :func:`enqueue`. It is written as an outbox row in the caller's transaction
(``outbox.services``), so it exists exactly when the change it belongs to does: a rollback takes
it away, and a crash right after commit loses nothing, because the periodic drain sends again
every row not marked done. After commit the task goes to the broker (production) or, without one
(the embedded default), runs in this process: after the response when inside a request. Either
way the same task function runs, at least once, so tasks must be idempotent.
"""

from celery import Task, shared_task


def enqueue(task: Task | str, *args, **kwargs) -> None:
    """Schedule ``task`` (a Celery task or its registered name) with these arguments. Services
    name the task (``enqueue("dossiers.render_slip", slip.pk)``) so that they do not import the
    tasks module, which imports them."""
    from outbox.services import schedule

    schedule(task, args, kwargs)


@shared_task(name="egov.ping")
def ping(value: str) -> str:
    """Round-trip check used by /readyz-style probes and the production-mode tests."""
    return f"pong:{value}"
