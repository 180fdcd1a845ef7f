"""The exchange's background work: delivering a package (through the outbox) and polling the axis
(Celery beat, or the embedded runner: ``CELERY_BEAT_SCHEDULE["exchange-poll"]``)."""

from celery import shared_task
from django.conf import settings


@shared_task(name="exchange.deliver")
def deliver(package_pk: int) -> str:
    from .delivery import deliver as run

    return run(package_pk)


@shared_task(name="exchange.poll")
def poll() -> dict:
    if not getattr(settings, "EXCHANGE_AXIS_URL", ""):
        return {"received": 0, "failed": 0}
    from .delivery import poll as run

    return run()
