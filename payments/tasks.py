import datetime as dt

from celery import shared_task


@shared_task(name="payments.reconcile")
def reconcile(older_than_minutes: int = 15) -> dict:
    """Settle payments whose gateway notification never came, by asking the gateway (schedule it
    every few minutes with Celery beat or cron: ``egov manage payments reconcile``)."""
    from .services import reconcile as run

    return dict(run(older_than=dt.timedelta(minutes=older_than_minutes)))
