from celery import shared_task


@shared_task(name="notifications.retry_failed")
def retry_failed() -> int:
    """Send again the e-mails and SMS that failed earlier."""
    from .services import retry_failed as run

    return run()
