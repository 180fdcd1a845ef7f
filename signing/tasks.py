from celery import shared_task


@shared_task(name="signing.warn_expiring")
def warn_expiring() -> int:
    """Warn the holders of certificates that expire soon (once each)."""
    from . import services

    return services.warn_expiring()
