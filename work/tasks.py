from celery import shared_task


@shared_task(name="work.remind_tasks")
def remind_tasks() -> int:
    """Nhắc việc: tasks due within one working day or overdue, once a day each (``work.sweeps``)."""
    from .sweeps import remind

    return remind()


@shared_task(name="work.email_reminder")
def email_reminder(task_id: int, day: str) -> int:
    from .sweeps import email_reminder as send

    return send(task_id, day)
