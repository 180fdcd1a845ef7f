"""Payments follow the dossier's fate without the dossiers app knowing about payments."""

from dossiers.states import Status


def refund_when_refused(sender, instance, created, raw=False, **kwargs):
    """A dossier refused after its fee was paid: the fee is owed back (recorded in the same
    transaction as the refusal; recording twice changes nothing)."""
    if raw or not created or instance.status != Status.REFUSED:
        return
    from .services import refund_refused_dossier

    refund_refused_dossier(dossier_id=instance.dossier_id, note=instance.note)
