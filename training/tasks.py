from celery import shared_task


@shared_task(name="training.remind")
def remind() -> int:
    """Nhắc bồi dưỡng: missing mandatory courses and certificates lapsing within 30 days, once each."""
    from .reminders import remind as send

    return send()
