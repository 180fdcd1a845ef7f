"""Scheduling background work.

Every side effect of a service (mail, deliveries, sweeps) is a Celery task scheduled through
:func:`enqueue`, so it runs only once the transaction that caused it has committed. In the
embedded default Celery is eager and the task runs in the same process right after commit;
in production it goes to the broker. Either way the same task function runs.
"""

from celery import Task, shared_task
from django.db import transaction


def enqueue(task: Task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))


@shared_task(name="egov.ping")
def ping(value: str) -> str:
    """Round-trip check used by /readyz-style probes and the production-mode tests."""
    return f"pong:{value}"
