from celery import shared_task


@shared_task(name="national.recheck_identities")
def recheck_identities() -> dict:
    """The identity checks left pending while the population database was down (ADR 0045)."""
    from .identity import run_pending

    return dict(run_pending())


# --- the outbound queue (national.outbound) ---------------------------------------------------

@shared_task(name="national.deliver")
def deliver(item_id: int) -> str:
    """One message to a national system, right after the change that owes it commits."""
    from .outbound import deliver as run

    return run(item_id)


@shared_task(name="national.deliver_due")
def deliver_due() -> dict:
    """The messages still owed to the national systems whose next attempt is due (every minute)."""
    from .outbound import deliver_due as run

    return run()
