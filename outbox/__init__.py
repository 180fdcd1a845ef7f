"""Crash safety (khôi phục sau sự cố): nothing a committed change promised is lost.

* the **outbox**: every side effect scheduled through :func:`egov.tasks.enqueue` is first written
  as an :class:`~outbox.models.OutboxMessage` row in the same transaction as the change; after
  commit it is handed to Celery, and a periodic drain sends again, with growing pauses, whatever
  was not done (the server died right after commit, the broker was down, the task failed);
* the **orphan sweep** (:mod:`outbox.orphans`): files in storage that no row references (a
  submission killed while its papers were being written) are deleted after a grace period.
"""
