from dataclasses import asdict

from celery import shared_task


@shared_task(name="nationalsync.fetch_inbound")
def fetch_inbound() -> dict:
    """Take the dossiers citizens submitted on the National Public Service Portal (every few minutes)."""
    from .inbound import fetch

    return asdict(fetch())
