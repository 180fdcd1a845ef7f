"""Opt-in campaign notices: subscribing with explicit consent, unsubscribing by a signed link, and
the broadcast, sent by the background worker in batches, at most once per subscriber.

A broadcast first writes one :class:`CampaignDelivery` row per active subscriber; the task then
claims each row (``pending`` -> ``sending`` by a conditional UPDATE) before sending it, so a
second run of the task, or two workers at once, never send the same copy twice. A subscriber who
unsubscribes after the broadcast started is skipped when their turn comes.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.crypto import lookup_hash
from egov.tasks import enqueue
from notifications import sms

from . import policy
from .models import Campaign, CampaignDelivery, CampaignStatus, Subscription, SubscriptionChannel

logger = logging.getLogger(__name__)

BATCH = 100
SALT = "support.unsubscribe"


def normalise(channel: str, address: str) -> str:
    address = (address or "").strip()
    if channel == SubscriptionChannel.EMAIL:
        validate_email(address)
        return address.lower()
    phone = sms.normalise_phone(address)
    if not (phone.isdigit() and len(phone) == 10 and phone.startswith("0")):
        raise ValidationError(_("Enter a mobile phone number of 10 digits."))
    return phone


@transaction.atomic
def subscribe(*, channel: str, address: str, consent_text: str, consent: bool, user=None,
              now: dt.datetime | None = None) -> Subscription:
    """Consent must be given explicitly (an unticked box); subscribing again after unsubscribing
    renews the consent."""
    if not consent:
        raise ValidationError(_("Tick the box to agree to receive the notices."))
    address = normalise(channel, address)
    now = now or timezone.now()
    subscription = (Subscription.objects.select_for_update()  # the address is encrypted: found by its keyed hash
                    .filter(channel=channel, address_hash=lookup_hash("contact", address)).first())
    if subscription is None:
        subscription = Subscription(channel=channel, address=address)
    subscription.user = subscription.user or (user if user is not None and user.is_authenticated else None)
    subscription.consent_text, subscription.consented_at, subscription.unsubscribed_at = consent_text, now, None
    subscription.save()
    return subscription


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=SALT)


def unsubscribe_link(subscription: Subscription) -> str:
    return f"{settings.EGOV_PUBLIC_URL}{reverse('support:unsubscribe', args=[unsubscribe_token(subscription)])}"


def subscription_for(token: str) -> Subscription | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def unsubscribe(token: str, *, now: dt.datetime | None = None) -> Subscription | None:
    subscription = subscription_for(token)
    if subscription is None:
        return None
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = now or timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


@transaction.atomic
def start(*, campaign: Campaign, by) -> int:
    """Address the campaign to every subscriber of its channel now, and hand it to the worker."""
    if not policy.may(by, policy.Office.CAMPAIGNS):
        raise PermissionDenied(_("Only the province administrators send campaigns."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("This campaign has been sent already."))
    active = Subscription.objects.filter(channel=campaign.channel, unsubscribed_at__isnull=True)
    CampaignDelivery.objects.bulk_create([CampaignDelivery(campaign=campaign, subscription=s) for s in active],
                                         ignore_conflicts=True)
    campaign.status, campaign.started_at = CampaignStatus.SENDING, timezone.now()
    campaign.save(update_fields=["status", "started_at"])
    enqueue("support.broadcast", campaign.pk)
    return campaign.deliveries.count()


def _send(campaign: Campaign, subscription: Subscription) -> None:
    footer = _("To stop receiving these notices: %(link)s") % {"link": unsubscribe_link(subscription)}
    if campaign.channel == SubscriptionChannel.EMAIL:
        EmailMessage(subject=campaign.subject or campaign.title, body=f"{campaign.body}\n\n-- \n{footer}",
                     to=[subscription.address],
                     headers={"List-Unsubscribe": f"<{unsubscribe_link(subscription)}>"}).send()
    else:
        sms.send(subscription.address, campaign.body)


def broadcast(campaign_id: int) -> int:
    """Send what is still pending, ``BATCH`` at a time; returns how many went out in this run."""
    campaign = Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).first()
    if campaign is None:
        return 0
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            batch = list(campaign.deliveries.filter(status=CampaignDelivery.State.PENDING)
                         .select_related("subscription").order_by("id")[:BATCH])
            if not batch:
                break
            for delivery in batch:
                claimed = CampaignDelivery.objects.filter(pk=delivery.pk, status=CampaignDelivery.State.PENDING
                                                          ).update(status=CampaignDelivery.State.SENDING)
                if not claimed:
                    continue
                subscription = Subscription.objects.get(pk=delivery.subscription_id)  # as it is now
                if not subscription.active:
                    state, error = CampaignDelivery.State.SKIPPED, ""
                else:
                    try:
                        _send(campaign, subscription)
                        state, error = CampaignDelivery.State.SENT, ""
                        sent += 1
                    except OSError as failure:  # SMTP and SMS gateway errors; the text may name the address
                        state, error = CampaignDelivery.State.FAILED, type(failure).__name__
                CampaignDelivery.objects.filter(pk=delivery.pk).update(
                    status=state, last_error=error, sent_at=timezone.now() if state == "sent" else None)
    if not campaign.deliveries.filter(status__in=[CampaignDelivery.State.PENDING]).exists():
        Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.DONE, finished_at=timezone.now())
    logger.info("campaign broadcast", extra={"campaign_id": campaign.pk, "sent": sent})
    return sent
