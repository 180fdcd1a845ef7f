from celery import shared_task


@shared_task(name="itplanning.alert_expiring_assets")
def alert_expiring_assets() -> int:
    """Once a day: copy the signing certificates into the inventory, then tell the owners of the
    assets that reached an expiry threshold (``itplanning.alerts``)."""
    from .alerts import alert_expiring
    from .certificates import synchronise

    synchronise()
    return alert_expiring()
