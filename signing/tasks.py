from celery import shared_task


@shared_task(name="signing.warn_expiring")
def warn_expiring() -> int:
    """Warn the holders of certificates that expire soon (once each)."""
    from . import certificates

    return certificates.warn_expiring()
