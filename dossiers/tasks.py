from celery import shared_task


@shared_task(name="dossiers.notify_event", autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_event(event_id: int) -> None:
    """Tell the applicant about a change of their dossier (in the app, by e-mail, by SMS)."""
    from notifications.services import notify_dossier_event

    notify_dossier_event(event_id)


@shared_task(name="dossiers.render_slip", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_slip(slip_id: int) -> None:
    """Make the PDF of an official slip (Mẫu 01–05)."""
    from .slips import render

    render(slip_id)


@shared_task(name="dossiers.sweep_deadlines")
def sweep_deadlines() -> dict:
    """Warnings before steps fall due and apology letters before dossiers become late."""
    from .sweeps import sweep

    return sweep()
