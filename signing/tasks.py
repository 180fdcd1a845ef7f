from celery import shared_task


@shared_task(name="signing.run_batch")
def run_batch(batch_id: int, token: str, expires_at: str) -> dict:
    """Sign the results of a batch (ký số hàng loạt), updating its progress row as it goes."""
    from . import services

    batch = services.run_batch(batch_id, token, expires_at)
    return {"done": batch.done, "failed": batch.failed}


@shared_task(name="signing.warn_expiring")
def warn_expiring() -> int:
    """Warn the holders of certificates that expire soon (once each)."""
    from . import services

    return services.warn_expiring()
