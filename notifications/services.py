"""Telling applicants about their dossiers: in the app, by e-mail and by SMS.

:func:`notify_dossier_event` runs in the Celery task ``notifications.notify_event``, which retries on
``OSError``. Each (event, channel) has one :class:`Delivery` row, created before sending and
marked sent afterwards, so a retry sends only what has not gone out yet. Delivery is
at-least-once: a worker dying between the provider's acceptance and the "sent" mark resends.

Logs name ids only: never a phone number, an e-mail address or a message's text.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import connection, transaction
from django.utils import timezone

from directory.delegations import deputies_for
from directory.models import Membership
from dossiers.models import DossierEvent
from dossiers.recipients import accounts_told, result_contact
from egov.logging import redact

from . import sms
from .messages import Message, compose
from .models import Delivery, Notification

logger = logging.getLogger(__name__)

EMAIL_TIMEOUT = 20  # seconds, when settings.EMAIL_TIMEOUT is not set
# A pending delivery attempted this recently may be in flight in another worker: wait for it.
IN_FLIGHT = dt.timedelta(minutes=2)


class DeliveryFailed(OSError):
    """Some channel failed; the task retries and sends only what is still missing."""


class DeliveryInProgress(DeliveryFailed):
    """Another worker is sending this right now."""


def notify_dossier_event(event_id: int) -> None:
    """Tell the applicant about one dossier event: in the app first, then by e-mail and SMS.
    Raises :class:`DeliveryFailed` (an ``OSError``) if a channel failed, after trying the others."""
    event = (DossierEvent.objects.select_related("dossier__procedure_version", "dossier__agency")
             .filter(pk=event_id).first())
    if event is None:  # the dossier was deleted since: nobody to tell
        logger.warning("notification skipped: no such dossier event", extra={"event_id": event_id})
        return
    dossier = event.dossier
    message = compose(event)
    _notify_in_app(event, message)

    # The representative acting for the applicant, where one is recorded, else the applicant
    # (dossiers.recipients, decision 0018).
    contact = result_contact(dossier)
    channels: list[tuple[str, Callable[[], str]]] = []
    if contact.email:
        channels.append((Delivery.Channel.EMAIL, lambda: _send_email(contact.email, message)))
    if contact.phone and sms.enabled():
        channels.append((Delivery.Channel.SMS, lambda: sms.send(contact.phone, message.sms)))
    failed = []
    for channel, send in channels:
        try:
            _deliver(event, channel, send)
        except OSError:  # try the other channels first; the retry picks up this one
            failed.append(channel)
    if failed:
        raise DeliveryFailed(f"delivery of dossier event {event.pk} failed for {', '.join(failed)}")


def _notify_in_app(event: DossierEvent, message: Message) -> None:
    with transaction.atomic():
        # Claimed in the transaction that writes the notices: a concurrent worker waits on the row,
        # then finds it sent (and a failure leaves no row, so the retry claims it again).
        delivery = _claim(event, Delivery.Channel.APP)
        if delivery is None:
            return
        # The applicant's side: their account, the submitting one, an organisation's staff (dossiers.recipients).
        notifications = [Notification.objects.create(user_id=user_id, dossier=event.dossier, title=message.subject,
                                                     body=message.text)
                         for user_id in accounts_told(event.dossier)]
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.State.SENT, sent_at=delivery.last_attempt_at,
            reference=",".join(str(n.pk) for n in notifications)[:100])
    logger.info("notification delivered", extra={"event_id": event.pk, "dossier_id": event.dossier_id,
                                                 "channel": Delivery.Channel.APP, "count": len(notifications)})


# One statement decides (PostgreSQL, and SQLite ≥ 3.35): the first attempt creates the row, a later
# one counts itself on it unless it was sent or another worker is sending it right now, so concurrent
# workers cannot both claim the same delivery.
_CLAIM = ("INSERT INTO {t} (event_id, channel, status, attempts, last_error, last_attempt_at, reference, created_at) "
          "VALUES (%s, %s, %s, 1, '', %s, '', %s) ON CONFLICT (event_id, channel) DO UPDATE "
          "SET attempts = {t}.attempts + 1, last_attempt_at = excluded.last_attempt_at, status = excluded.status "
          "WHERE {t}.status <> %s AND NOT ({t}.status = %s AND {t}.last_attempt_at > %s) RETURNING id, attempts")


def _claim(event: DossierEvent, channel: str) -> Delivery | None:
    """The delivery row, with this attempt counted; None if it was already sent."""
    now = timezone.now()
    stamp, in_flight = (connection.ops.adapt_datetimefield_value(value) for value in (now, now - IN_FLIGHT))
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM.format(t=connection.ops.quote_name(Delivery._meta.db_table)),
                       [event.pk, channel, Delivery.State.PENDING, stamp, stamp, Delivery.State.SENT,
                        Delivery.State.PENDING, in_flight])
        row = cursor.fetchone()
    if row is not None:
        return Delivery(pk=row[0], event_id=event.pk, channel=channel, status=Delivery.State.PENDING,
                        attempts=row[1], last_attempt_at=now)
    delivery = Delivery.objects.only("status").get(event=event, channel=channel)
    if delivery.status == Delivery.State.SENT:
        return None
    raise DeliveryInProgress(f"delivery {delivery.pk} is being sent by another worker")


def _deliver(event: DossierEvent, channel: str, send: Callable[[], str]) -> None:
    delivery = _claim(event, channel)
    if delivery is None:
        return
    log = {"event_id": event.pk, "dossier_id": event.dossier_id, "channel": channel, "delivery_id": delivery.pk,
           "attempt": delivery.attempts}
    try:
        reference = send()
    except Exception as error:
        description = describe(error)
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.State.FAILED, last_error=description)
        logger.warning("notification delivery failed", extra={**log, "error": description})
        if isinstance(error, OSError):
            # Our own exception, without the original's text (an SMTP refusal names the address).
            raise DeliveryFailed(f"{channel} delivery {delivery.pk} failed: {description}") from None
        raise
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.State.SENT, sent_at=timezone.now(),
                                                   last_error="", reference=(reference or "")[:100])
    logger.info("notification delivered", extra=log)


def describe(error: BaseException) -> str:
    """The error's kind and code, without anything that could name the recipient."""
    if isinstance(error, sms.SmsError):
        text = f"{type(error).__name__}: {error}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{type(error).__name__} {error.smtp_code}"
    elif isinstance(error, OSError) and error.errno is not None:
        text = f"{type(error).__name__} errno {error.errno}"
    else:
        text = type(error).__name__
    return redact(text)[:255]


def _send_email(address: str, message: Message) -> str:
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or EMAIL_TIMEOUT
    message_id = make_msgid(domain=str(DNS_NAME))
    email = EmailMessage(subject=message.subject, body=message.email_body, to=[address],
                         headers={"Auto-Submitted": "auto-generated", "Message-ID": message_id},
                         connection=get_connection(timeout=timeout))
    email.send()
    return message_id


def notify_officials(*, dossier=None, agency_id: int, unit_id: int | None = None, role: str | None = None,
                     assignee=None, title: str, body: str, key: str = "", skip: int | None = None) -> list[Notification]:
    """In-app notice to the officials handling a dossier's step: its assignee, or else every
    current member of the agency (and unit, when given) holding ``role``. Officials are told in
    the app only. With ``key``, each official gets the notice once however often this runs;
    ``skip`` (a user id) is not told: the official who handed the dossier over."""
    if assignee is not None:
        recipients = [assignee.pk] if assignee.is_active else []
    else:
        memberships = Membership.objects.valid_on().filter(agency_id=agency_id, official__is_active=True)
        if unit_id is not None:
            memberships = memberships.filter(unit_id=unit_id)
        # Roles are a JSON list: filtered here, the same way on every database.
        recipients = sorted({official_id for official_id, roles in memberships.values_list("official_id", "roles")
                             if role is None or role in (roles or [])})
    recipients = [user_id for user_id in recipients if user_id != skip]
    if agency_id is not None and recipients:  # whoever stands in for them now is told too (decision 0019)
        recipients = sorted((set(recipients) | deputies_for(recipients, agency_id)) - {skip})
    if key:
        recipients = [user_id for user_id in recipients
                      if not Notification.objects.filter(user_id=user_id, key=key).exists()]
    notifications = Notification.objects.bulk_create(
        [Notification(user_id=user_id, dossier=dossier, title=title[:200], body=body, key=key)
         for user_id in recipients], ignore_conflicts=bool(key))
    logger.info("officials notified", extra={"dossier_id": getattr(dossier, "pk", None), "agency_id": agency_id,
                                             "unit_id": unit_id, "count": len(notifications)})
    return notifications


@transaction.atomic
def mark_read(user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; another user's raises Notification.DoesNotExist."""
    notification = Notification.objects.select_for_update().get(pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# The safety net keeps trying for about a day after the task's own retries (which count attempts
# too) ran out: pauses doubling from one minute, never more than an hour.
RETRY_LIMIT = 40
RETRY_PAUSE_CEILING = dt.timedelta(hours=1)


def retry_pause(attempts: int) -> dt.timedelta:
    """The pause before the safety net sends a delivery again after ``attempts`` attempts."""
    return min(dt.timedelta(minutes=2 ** min(max(attempts - 1, 0), 10)), RETRY_PAUSE_CEILING)


def retry_failed(now: dt.datetime | None = None) -> int:
    """Send again what failed (the SMTP server or SMS gateway was down), with a growing pause
    between attempts: the way deliveries catch up in the embedded default, and a safety net for
    tasks whose retries ran out with a broker."""
    now = now or timezone.now()
    events = set()
    for delivery in Delivery.objects.filter(status__in=[Delivery.State.FAILED, Delivery.State.PENDING],
                                            attempts__lt=RETRY_LIMIT).exclude(channel=Delivery.Channel.APP):
        wait = retry_pause(delivery.attempts)
        if delivery.last_attempt_at is None or delivery.last_attempt_at + max(wait, IN_FLIGHT) <= now:
            events.add(delivery.event_id)
    for event_id in sorted(events):
        try:
            notify_dossier_event(event_id)
        except OSError:
            logger.warning("notification retry failed", extra={"event_id": event_id})
    return len(events)


REPAIR_WINDOW = dt.timedelta(days=3)  # how far back untold dossier events are completed


def complete_untold(now: dt.datetime | None = None) -> int:
    """Dossier events whose applicant was not told in the app although the outbox row is done or
    gone (changes made before the outbox existed, a row given up and then deleted): notified
    again. Only recent ones, older than the outbox's grace period, with no outbox row waiting."""
    from django.db.models import Exists, OuterRef

    from egov.tasks import enqueue
    from outbox.services import grace, is_pending

    now = now or timezone.now()
    since, until = now - REPAIR_WINDOW, now - grace()
    told = Delivery.objects.filter(event=OuterRef("pk"), channel=Delivery.Channel.APP, status=Delivery.State.SENT)
    events = DossierEvent.objects.filter(at__gte=since, at__lte=until).exclude(Exists(told)).values_list("pk", flat=True)
    repaired = 0
    for pk in events:
        if not is_pending("notifications.notify_event", pk):
            enqueue("notifications.notify_event", pk)
            repaired += 1
    return repaired
