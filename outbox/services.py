"""The outbox's doors: record a side effect with the change, hand it to Celery after commit,
and send again later what was not done.

Life of a row: :func:`record` writes it inside the caller's transaction (so a rollback takes it
away with the change); after commit :func:`dispatch` sends the task to Celery with the row's id
in a message header. In the embedded default (no broker) Celery runs it in this process: inside
a request, once the response has been sent, so the citizen does not wait for a PDF or an e-mail.
Celery's ``task_prerun``/``task_postrun`` signals count the attempt and mark the row done, or
keep its error. :func:`drain` (Celery beat in production, the embedded runner otherwise) sends
again every row still not done once its next attempt is due, each time after twice the pause
before, and gives up after ``OUTBOX_MAX_ATTEMPTS``.

Delivery is at least once: a worker killed between the effect and the "done" mark runs the task
again, so every task sent this way must be idempotent.
"""

import datetime as dt
import logging
import threading
from collections.abc import Callable

from celery import states
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, transaction
from django.db.models import F
from django.utils import timezone

from egov.logging import redact

from .models import OutboxMessage
from .signals import given_up as _given_up

logger = logging.getLogger(__name__)

HEADER = "outbox_id"


# --- settings -------------------------------------------------------------------------------

def grace() -> dt.timedelta:
    """How long a row may stay not done before the drain sends it again (the first pause)."""
    return dt.timedelta(seconds=getattr(settings, "OUTBOX_GRACE_SECONDS", 300))


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8)


def pause_after(attempts: int) -> dt.timedelta:
    """Pause before the next attempt once ``attempts`` have been made: the grace period, then
    doubling (5, 10, 20, 40 minutes…), never more than ``OUTBOX_MAX_DELAY_SECONDS``."""
    ceiling = dt.timedelta(seconds=getattr(settings, "OUTBOX_MAX_DELAY_SECONDS", 86400))
    return min(grace() * 2 ** max(attempts - 1, 0), ceiling)


def _eager() -> bool:
    from egov.celery import app

    return bool(app.conf.task_always_eager)


# --- recording and dispatching ----------------------------------------------------------------

def schedule(task, args: tuple, kwargs: dict) -> OutboxMessage:
    """Record ``task(*args, **kwargs)`` (a task or its name) in the current transaction and send it
    once committed."""
    message = record(task if isinstance(task, str) else task.name, args, kwargs)
    transaction.on_commit(lambda: dispatch(message))
    return message


def record(task_name: str, args, kwargs) -> OutboxMessage:
    now = timezone.now()
    return OutboxMessage.objects.create(task=task_name, args=list(args), kwargs=dict(kwargs), created_at=now,
                                        next_attempt_at=now + grace())


def dispatch(message: OutboxMessage) -> None:
    """After commit. Without a broker, inside a request: after the response (see _AfterResponse)."""
    if _eager() and _after_response.defer(lambda: None if send(message) else None):
        return
    send(message)


_IMPORTING_TASKS = threading.Lock()


def find_task(name: str):
    """The registered Celery task called ``name`` (the apps' tasks modules are imported first).

    One thread at a time imports them: Celery's autodiscovery returns nothing to a second thread
    that asks while the first is still importing (``celery.loaders.base._RACE_PROTECTION``), which
    would leave that thread's message to the drain, minutes later."""
    from egov.celery import app

    if name not in app.tasks:
        with _IMPORTING_TASKS:
            if name not in app.tasks:
                app.loader.import_default_modules()
    return app.tasks.get(name)


def send(message: OutboxMessage) -> bool:
    """Hand the message to Celery; False if it could not (the drain tries again when due)."""
    task = find_task(message.task)
    if task is None:
        _failed(message.pk, f"unknown task {message.task}", counted=False)
        return False
    try:
        task.apply_async(args=message.args, kwargs=message.kwargs, headers={HEADER: message.pk})
    except Exception as error:  # broker unreachable: the row stays, the drain sends it later
        logger.warning("outbox message not sent", extra={"outbox_id": message.pk, "task": message.task,
                                                          "error": describe(error)})
        OutboxMessage.objects.filter(pk=message.pk).update(last_error=describe(error))
        return False
    return True


def is_pending(task_name: str, *args) -> bool:
    """Whether this task with these arguments is recorded and not done (waiting or given up)."""
    return OutboxMessage.objects.filter(task=task_name, args=list(args), done_at__isnull=True).exists()


# --- the periodic drain ---------------------------------------------------------------------------

def drain(limit: int = 500) -> dict:
    """Send again every row not done whose next attempt is due; give up on those that used all
    their attempts; forget rows done more than ``OUTBOX_KEEP_DAYS`` ago."""
    now = timezone.now()
    sent = given_up = 0
    due = (OutboxMessage.objects.filter(done_at__isnull=True, dead_at__isnull=True, next_attempt_at__lte=now)
           .order_by("next_attempt_at", "pk")[:limit])
    for message in due:
        if message.attempts >= max_attempts():
            marked = OutboxMessage.objects.filter(pk=message.pk, done_at__isnull=True).update(
                dead_at=now, last_error=message.last_error or f"no success after {message.attempts} attempts")
            given_up += marked
            logger.error("outbox message given up", extra={"outbox_id": message.pk, "task": message.task})
            if marked:
                _tell_given_up(message.pk)
            continue
        # Claim it: one UPDATE decides, so two drains never send the same row at the same time.
        if not OutboxMessage.objects.filter(pk=message.pk, next_attempt_at=message.next_attempt_at,
                                            done_at__isnull=True).update(
                next_attempt_at=now + pause_after(message.attempts + 1)):
            continue
        sent += send(message)
    keep = dt.timedelta(days=getattr(settings, "OUTBOX_KEEP_DAYS", 7))
    purged, _detail = OutboxMessage.objects.filter(done_at__lt=now - keep).delete()
    return {"sent": sent, "given_up": given_up, "purged": purged}


def run_again(messages) -> int:
    """Administrator's action: give rows (dead or waiting) a fresh set of attempts, due now."""
    return messages.filter(done_at__isnull=True).update(dead_at=None, attempts=0, next_attempt_at=timezone.now())


# --- what the task's run tells the row (Celery signals) -------------------------------------------

def _message_id(request) -> int | None:
    headers = getattr(request, "headers", None) or {}
    value = headers.get(HEADER) or getattr(request, HEADER, None)
    return int(value) if value else None


def _started(sender=None, task=None, **_extra) -> None:
    message_id = _message_id(getattr(task, "request", None))
    if message_id is None:
        return
    attempts = OutboxMessage.objects.filter(pk=message_id).values_list("attempts", flat=True).first()
    if attempts is None:
        return
    now = timezone.now()
    # Until this run reports, the drain leaves the row alone for the next pause.
    OutboxMessage.objects.filter(pk=message_id).update(attempts=F("attempts") + 1, last_attempt_at=now,
                                                       next_attempt_at=now + pause_after(attempts + 1))


def _finished(sender=None, task=None, retval=None, state=None, **_extra) -> None:
    message_id = _message_id(getattr(task, "request", None))
    if message_id is None:
        return
    if state == states.SUCCESS:
        OutboxMessage.objects.filter(pk=message_id).update(done_at=timezone.now(), last_error="")
    elif state in (states.FAILURE, states.RETRY):
        _failed(message_id, describe(retval), counted=True, final=state == states.FAILURE)


def _failed(message_id: int, error: str, *, counted: bool, final: bool = True) -> None:
    rows = OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True)
    if not counted:
        rows.update(attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    rows.update(last_error=error)
    if final and rows.filter(attempts__gte=max_attempts()).update(dead_at=timezone.now()):
        logger.error("outbox message given up", extra={"outbox_id": message_id})
        _tell_given_up(message_id)
    else:
        logger.warning("outbox message failed", extra={"outbox_id": message_id, "error": error})


def _tell_given_up(message_id: int) -> None:
    """``outbox.signals.given_up`` for a row just marked dead; a listener's failure never undoes it."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return
    for _receiver, result in _given_up.send_robust(OutboxMessage, task=message.task, args=list(message.args),
                                                   outbox_id=message.pk):
        if isinstance(result, Exception):
            logger.error("given-up listener failed", extra={"outbox_id": message_id, "error": describe(result)})


def describe(error) -> str:
    """The error's class and text, personal data masked (an SMTP refusal may name the address)."""
    if not isinstance(error, BaseException):
        return redact(str(error))[:1000]
    return redact(f"{type(error).__name__}: {error}")[:1000]


# --- after the response (embedded default) --------------------------------------------------------

class _AfterResponse(threading.local):
    """Work put off until the current request's response has been sent (Django's
    ``request_finished``, sent when the server closes the response: gunicorn and runserver send
    the body first). Outside a request there is nothing to wait for and work runs at once."""

    calls: list[Callable[[], None]] | None = None

    def defer(self, call: Callable[[], None]) -> bool:
        if self.calls is None:
            return False
        self.calls.append(call)
        return True

    def started(self, **_extra) -> None:
        # Work left by a response whose close never came (a client that went away mid-download):
        # its request is over, so the work runs now rather than never.
        if self.calls:
            self.finished()
        self.calls = []

    def finished(self, **_extra) -> None:
        calls, self.calls = self.calls, None
        for call in calls or []:
            try:
                call()
            except Exception:  # the row stays not done: the drain sends it again
                logger.exception("work after the response failed")
        if calls and not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
            close_old_connections()  # the server's own call to it came before this work


_after_response = _AfterResponse()


def connect_signals() -> None:
    task_prerun.connect(_started, weak=False, dispatch_uid="outbox-started")
    task_postrun.connect(_finished, weak=False, dispatch_uid="outbox-finished")
    request_started.connect(_after_response.started, weak=False, dispatch_uid="outbox-request-started")
    request_finished.connect(_after_response.finished, weak=False, dispatch_uid="outbox-request-finished")
