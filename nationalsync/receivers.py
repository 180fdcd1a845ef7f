"""Where the synchronisation listens: a dossier's timeline and issued results (saved inside the
doors' transactions), and the outbound queue's answers."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from dossiers.models import DossierEvent, DossierFile, FilePurpose
from national import signals as national_signals

from . import civil, pushes


@receiver(post_save, sender=DossierEvent, dispatch_uid="nationalsync-status")
def _status(sender, instance: DossierEvent, created: bool, raw: bool = False, **_extra) -> None:
    if created and not raw:
        pushes.status_changed(instance)


@receiver(post_save, sender=DossierFile, dispatch_uid="nationalsync-result")
def _result(sender, instance: DossierFile, created: bool, raw: bool = False, **_extra) -> None:
    # An issued result is a new file of the dossier with its number (dossiers.results.issue_result).
    if created and not raw and instance.purpose == FilePurpose.RESULT and instance.issue_number:
        pushes.result_issued(instance)
        civil.result_issued(instance)


@receiver(national_signals.delivered, dispatch_uid="nationalsync-delivered")
@receiver(national_signals.refused, dispatch_uid="nationalsync-refused")
def _answered(sender, item, **_extra) -> None:
    civil.answered(item)
