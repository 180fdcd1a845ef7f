from celery import shared_task


@shared_task(name="indices.refresh_rollups")
def refresh_rollups() -> int:
    """Count again the recent days and the days of dossiers changed since the last refresh (ADR 0038)."""
    from .rollups import refresh

    return refresh()
