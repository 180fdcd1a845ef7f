from celery import shared_task


@shared_task(name="audit.seal")
def seal() -> int:
    """Seal the audit entries committed since the last checkpoint (Celery beat, or the embedded runner)."""
    from .sealing import seal_all

    return seal_all()
