import logging

from celery import shared_task

logger = logging.getLogger(__name__)


class RenderFailed(RuntimeError):
    """The PDF could not be made now; the outbox runs the task again later."""


@shared_task(name="dossiers.render_slip", bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_slip(self, slip_id: int) -> None:
    """Make the PDF of an official slip (Mẫu 01–05). Idempotent: the stored file always shows the
    slip as it stands, so running it again (the outbox resends a task whose worker died before
    reporting) replaces the file with the same document. In the embedded default a failure is
    not retried inside the request; the outbox row is run again after a pause."""
    from .models import Slip
    from .slips import render

    if not Slip.objects.filter(pk=slip_id).exists():
        logger.warning("slip not rendered: no such slip", extra={"slip_id": slip_id})
        return
    if self.request.is_eager:
        try:
            render(slip_id)
        except OSError as error:
            raise RenderFailed(f"slip {slip_id}: {type(error).__name__}") from None
        return
    render(slip_id)


@shared_task(name="dossiers.sweep_deadlines")
def sweep_deadlines() -> dict:
    """Warnings before steps fall due and apology letters before dossiers become late."""
    from .sweeps import sweep

    return sweep()


@shared_task(name="dossiers.run_signing_batch")
def run_signing_batch(batch_id: int, token: str, expires_at: str) -> dict:
    """Sign the results of a batch (ký số hàng loạt), updating its progress row as it goes."""
    from .batch_signing import run_batch

    batch = run_batch(batch_id, token, expires_at)
    return {"done": batch.done, "failed": batch.failed}


@shared_task(name="dossiers.reschedule_after_calendar_change")
def reschedule_after_calendar_change(first: str, last: str, actor: dict | None = None) -> dict:
    """Open dossiers whose period covers a day of the province's calendar that changed get their due
    moment recomputed, an audit entry and a new appointment (decision 0017). Idempotent."""
    import datetime as dt

    from .reschedule import after_calendar_change

    return after_calendar_change(first=dt.date.fromisoformat(first), last=dt.date.fromisoformat(last), actor=actor)
