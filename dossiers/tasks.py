import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="dossiers.notify_event", bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_event(self, event_id: int) -> None:
    """Tell the applicant about a change of their dossier (in the app, by e-mail, by SMS).

    With a broker, a failed channel makes Celery retry with back-off. In the embedded default the
    task runs inside the request that caused it: retrying there would keep the citizen waiting,
    so the failure stays recorded on the Delivery row and ``notifications.retry_failed`` sends it
    again later."""
    from notifications.services import notify_dossier_event

    if self.request.is_eager:
        try:
            notify_dossier_event(event_id)
        except OSError:
            logger.warning("notification left for a later retry", extra={"event_id": event_id})
        return
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
