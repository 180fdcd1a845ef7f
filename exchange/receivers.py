"""What the documents' events owe the exchange: packages recorded in the same transaction.

- an issued document sent to agencies → one document package per exchange Distribution row;
- an incoming document that came through the exchange → a status back to its sender
  (accepted 03, refused 02, directed 04, handling started 05, completed 06), each said once;
- an issued document recalled → a 13 to every agency it went to through the exchange.
"""

from __future__ import annotations

import logging

from django.dispatch import receiver

from documents import signals
from documents.models import Channel, Source
from outbox.signals import given_up

from . import delivery, edxml, recall, sending, statuses

logger = logging.getLogger(__name__)

# The outbox used every attempt on a delivery: the package is dead, the clerks told.
given_up.connect(delivery.given_up, dispatch_uid="exchange-given-up", weak=False)


def _from_exchange(document) -> bool:
    return document.source == Source.EXCHANGE and bool(document.exchange_id)


def _say(document, code: str, by, description: str = "", *, once: bool = False) -> None:
    if not _from_exchange(document):
        return
    if once and sending.already_said(document, code):
        return
    try:
        sending.answer(document, code, by=by, description=description)
    except edxml.Refused:  # a status that cannot be written must not stop the clerk's work here
        logger.exception("exchange status not built", extra={"document": document.pk, "code": code})


@receiver(signals.distributed, dispatch_uid="exchange-distributed")
def _distributed(sender, *, document, rows, by=None, **extra) -> None:
    for row in rows:
        if row.channel == Channel.EXCHANGE:
            sending.send_document(row)


@receiver(signals.accepted, dispatch_uid="exchange-accepted")
def _accepted(sender, *, document, by=None, **extra) -> None:
    _say(document, statuses.ACCEPTED, by, once=True)


@receiver(signals.refused, dispatch_uid="exchange-refused")
def _refused(sender, *, document, by=None, reason: str = "", **extra) -> None:
    _say(document, statuses.REFUSED, by, reason, once=True)


@receiver(signals.directed, dispatch_uid="exchange-directed")
def _directed(sender, *, document, by=None, **extra) -> None:
    _say(document, statuses.ASSIGNED, by, once=True)


@receiver(signals.processing, dispatch_uid="exchange-processing")
def _processing(sender, *, document, by=None, **extra) -> None:
    _say(document, statuses.PROCESSING, by, once=True)


@receiver(signals.completed, dispatch_uid="exchange-completed")
def _completed(sender, *, document, by=None, **extra) -> None:
    _say(document, statuses.COMPLETED, by, once=True)


@receiver(signals.recalled, dispatch_uid="exchange-recalled")
def _recalled(sender, *, document, by=None, reason: str = "", **extra) -> None:
    recall.ask(document, by=by, reason=reason)
