"""The embedded default's scheduler: without a broker there is no Celery beat, so ``egov serve``
and ``egov demo`` start this thread in every web process. It runs the entries of
``CELERY_BEAT_SCHEDULE`` (the outbox drain, the deadline sweep, retries of notifications, the
orphan-file sweep…) at their intervals, in-process, with the same task functions as beat.

Only one process of the machine runs the schedule at a time: the one holding an exclusive lock
on ``var/embedded-runner.lock``; if it exits, another takes the lock over on its next tick.
"""

import datetime as dt
import fcntl
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

ENV_FLAG = "EGOV_EMBEDDED_RUNNER"
TICK = 15  # seconds between looks at the schedule
STARTUP_DELAY = 5  # let the server start answering first

_started = threading.Event()


def start() -> threading.Thread | None:
    if _started.is_set():
        return None
    _started.set()
    thread = threading.Thread(target=_loop, name="egov-embedded-runner", daemon=True)
    thread.start()
    return thread


def _interval(schedule) -> float | None:
    if isinstance(schedule, int | float):
        return float(schedule)
    if isinstance(schedule, dt.timedelta):
        return schedule.total_seconds()
    return None  # crontab schedules need beat


def run_due(last_run: dict[str, float], now: float) -> list[str]:
    """Run the schedule's entries whose interval has passed since their last run here."""
    from .services import find_task

    ran = []
    for name, entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).items():
        interval = _interval(entry.get("schedule"))
        if interval is None or now - last_run.get(name, float("-inf")) < interval:
            continue
        last_run[name] = now
        task = find_task(entry["task"])
        if task is None:
            logger.error("scheduled task not found", extra={"task": entry["task"]})
            continue
        try:
            task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
        except Exception:
            logger.exception("scheduled task failed", extra={"task": entry["task"]})
        finally:
            close_old_connections()
        ran.append(name)
    return ran


def _take_lock():
    path = settings.VAR_DIR / "embedded-runner.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a")  # noqa: SIM115 - kept open for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def _loop() -> None:
    time.sleep(STARTUP_DELAY)
    lock = None
    last_run: dict[str, float] = {}
    while True:
        try:
            lock = lock or _take_lock()
            if lock is not None:
                run_due(last_run, time.monotonic())
        except Exception:  # never let the thread die: the next tick tries again
            logger.exception("embedded runner tick failed")
        time.sleep(TICK)
