from celery import shared_task


@shared_task(name="outbox.drain")
def drain() -> dict:
    """Send again the side effects still not done (Celery beat, or the embedded runner)."""
    from .services import drain as run

    return run()


@shared_task(name="outbox.sweep_orphan_files")
def sweep_orphan_files() -> dict:
    """Delete stored files that no row references, once older than the grace period."""
    from .orphans import sweep

    report = sweep()
    return {"checked": report.checked, "orphans": len(report.orphans), "deleted": report.deleted}
