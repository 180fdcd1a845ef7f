"""Delivering the packages kept here to the axis, and taking in what waits there for us.

``deliver`` is run by the outbox (at least once, so it is idempotent: a package already SENT or
DEAD is left alone, and the axis itself delivers one package id once). A permanent refusal of the
axis makes the package DEAD with the reason and tells the sending agency's clerks; a transient
failure raises, and the outbox tries again after its growing pause; when the outbox gives up, the
package is DEAD too. The console's retry puts a dead package back in the queue.

``poll`` lists the packages waiting for this system, keeps and processes each
(``receiving.receive``, committed) and only then acknowledges it; one bad package never stops the
others.
"""

from __future__ import annotations

import hashlib
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from audit.services import record
from documents.models import Distribution
from outbox.models import OutboxMessage
from outbox.services import dispatch, run_again, schedule
from signing.services import SigningRefused

from . import axis, edxml, policy, receiving
from .models import Direction, Package, State
from .notices import tell_clerks
from .sending import DELIVER

logger = logging.getLogger(__name__)


def deliver(package_pk: int) -> str:
    """Hand package ``package_pk`` to the axis; returns what became of it."""
    package = Package.objects.filter(pk=package_pk, direction=Direction.OUT).first()
    if package is None or package.state != State.QUEUED:
        return "nothing to do"
    Package.objects.filter(pk=package.pk).update(attempts=package.attempts + 1)
    try:
        data = sealed(package)
    except (SigningRefused, edxml.Refused) as error:
        give_up(package.pk, _("The package could not be signed with the agency's seal: %(reason)s") % {
            "reason": str(error)[:500]})
        return "not signed"
    try:
        axis_id = axis.current().send(package.package_id, data)
    except axis.AxisRejected as error:
        give_up(package.pk, _("The axis refused the package: %(reason)s") % {"reason": str(error)[:500]})
        return "refused"
    except axis.AxisUnavailable as error:
        Package.objects.filter(pk=package.pk, state=State.QUEUED).update(error=str(error)[:1000])
        raise  # the outbox tries again after its pause
    now = timezone.now()
    with transaction.atomic():
        if Package.objects.filter(pk=package.pk, state=State.QUEUED).update(
                state=State.SENT, axis_id=axis_id, sent_at=now, error=""):
            if package.distribution_id and package.kind == "document":
                Distribution.objects.filter(pk=package.distribution_id, status__in=("queued", "failed")).update(
                    status="sent", sent_at=now)
    return "sent"


def _is_signed(data: bytes) -> bool:
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    last = root[-1] if len(root) else None
    return last is not None and etree.QName(last).localname == "Signature"


def sealed(package: Package) -> bytes:
    """The package's bytes with the sending agency's seal signature, signed once and kept."""
    data = bytes(package.raw)
    if _is_signed(data):
        return data
    data = edxml.sign(data, agency=package.agency)
    Package.objects.filter(pk=package.pk, state=State.QUEUED).update(
        raw=data, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    return data


def give_up(package_pk: int, reason: str) -> bool:
    """DEAD with the reason, and an in-app alert to the sending agency's clerks (once)."""
    with transaction.atomic():
        package = Package.objects.select_for_update().filter(pk=package_pk, direction=Direction.OUT).first()
        if package is None or package.state != State.QUEUED:
            return False
        package.state, package.error = State.DEAD, reason
        package.save(update_fields=["state", "error"])
        if package.distribution_id and package.kind == "document":
            Distribution.objects.filter(pk=package.distribution_id, status__in=("queued", "sent")).update(
                status="failed")
        tell_clerks(package.agency_id, key=f"exchange-dead:{package.pk}:{package.attempts}",
                    title=_("A package could not be delivered to %(to)s") % {"to": ", ".join(package.to_codes)},
                    body=reason)
    logger.error("exchange package dead", extra={"package": package_pk})
    return True


def given_up(sender=None, *, task: str = "", args=(), **extra) -> None:
    """``outbox.signals.given_up``: the outbox used every attempt on a delivery."""
    if task == DELIVER and args:
        give_up(int(args[0]), _("Not delivered after every attempt: the axis could not be reached."))


def retry(package: Package, user) -> Package:
    """The console's retry: a dead package back to the queue, its outbox row given fresh attempts
    (or a new one). A package not dead (already retried) is left as it is."""
    with transaction.atomic():
        current = Package.objects.select_for_update().get(pk=package.pk)
        policy.require(policy.may_retry(user, current), _("Only a dead letter of your agency can be sent again."))
        current.state, current.error = State.QUEUED, ""
        current.save(update_fields=["state", "error"])
        if current.distribution_id:
            Distribution.objects.filter(pk=current.distribution_id, status="failed").update(status="queued")
        rows = OutboxMessage.objects.filter(task=DELIVER, args=[current.pk], done_at__isnull=True)
        if run_again(rows):
            for message in rows:
                transaction.on_commit(partial(dispatch, message))
        else:
            schedule(DELIVER, (current.pk,), {})
        record(action="update", obj=current, agency_id=current.agency_id,
               summary={"event": "exchange_retry", "package_id": current.package_id})
    return current


def poll(limit: int = 100) -> dict:
    """Take in what waits on the axis; acknowledge each package only once it is kept here."""
    link = axis.current()
    counts = {"received": 0, "failed": 0}
    try:
        waiting = link.pending(limit)
    except axis.AxisUnavailable:
        logger.warning("exchange axis unavailable for polling")
        return counts
    for item in waiting:
        try:
            data = link.fetch(item.axis_id)
            receiving.receive(data, axis_id=item.axis_id)
            link.ack(item.axis_id)
        except Exception:  # noqa: BLE001 - not acknowledged: offered again at the next poll
            counts["failed"] += 1
            logger.exception("exchange package not taken in", extra={"axis_id": item.axis_id})
            continue
        counts["received"] += 1
    return counts


__all__ = ["deliver", "give_up", "given_up", "poll", "retry"]
