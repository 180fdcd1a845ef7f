from celery import shared_task


@shared_task(name="retention.nightly")
def nightly() -> dict:
    """Asked every hour by Celery beat (or the embedded runner, which has no crontab); runs the
    retention job once a night, in ``RETENTION_NIGHT_HOURS``."""
    from .services import nightly_due, run

    if not nightly_due():
        return {"ran": False}
    report = run()
    return {"ran": True, "run": report.pk, "counts": report.counts, "errors": len(report.errors)}
