import logging

from celery import shared_task

from .services import notify_dossier_event, notify_officials

logger = logging.getLogger(__name__)


# Retries 5, 10, 20 … 600 s apart (no jitter): about 25 minutes in all, so that a gateway or mail
# server down for a while is outlived, not raced through in its first minute.
@shared_task(name="notifications.notify_event", bind=True, autoretry_for=(OSError,), retry_backoff=5,
             retry_backoff_max=600, retry_jitter=False, max_retries=8)
def notify_event(self, event_id: int) -> None:
    """Tell the applicant about a change of their dossier (in the app, by e-mail, by SMS).

    Idempotent: each (event, channel) is sent once (``notifications.models.Delivery``), so a
    second run (the outbox resends a task whose worker died before reporting) sends only what had
    not gone out. With a broker, a failed channel makes Celery retry with back-off. In the
    embedded default retrying at once would only fail again, so the failure stays recorded on the
    Delivery row and ``notifications.retry_failed`` sends it again later."""
    if self.request.is_eager:
        try:
            notify_dossier_event(event_id)
        except OSError:
            logger.warning("notification left for a later retry", extra={"event_id": event_id})
        return
    notify_dossier_event(event_id)


@shared_task(name="notifications.notify_officials")
def notify_officials_task(*, dossier_id: int | None, agency_id: int, unit_id: int | None, role: str | None,
                          assignee_id: int | None, title: str, body: str, key: str, skip_id: int | None = None) -> int:
    """In-app notice to the officials of a step (see ``services.notify_officials``); ``key`` makes
    a second run (the outbox resends a task whose worker died before reporting) send nothing."""
    from django.contrib.auth import get_user_model

    from dossiers.models import Dossier

    dossier = Dossier.objects.filter(pk=dossier_id).first() if dossier_id else None
    assignee = get_user_model().objects.filter(pk=assignee_id).first() if assignee_id else None
    return len(notify_officials(dossier=dossier, agency_id=agency_id, unit_id=unit_id, role=role, assignee=assignee,
                                title=title, body=body, key=key, skip=skip_id))


@shared_task(name="notifications.retry_failed")
def retry_failed() -> int:
    """Send again the e-mails and SMS that failed earlier."""
    from .services import complete_untold
    from .services import retry_failed as run

    complete_untold()
    return run()
