from celery import shared_task


@shared_task(name="dashboards.check_alerts")
def check_alerts() -> int:
    """Every hour: raise the dashboards' alerts not raised yet this month (``dashboards.alerts``)."""
    from .alerts import check

    return check()
