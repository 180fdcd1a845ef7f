"""Campaign notices reach only those who opted in, never those who unsubscribed, once each however
often the worker runs; the unsubscribe link is signed."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from support import campaigns
from support.models import Campaign, CampaignDelivery, CampaignStatus, Subscription, SubscriptionChannel

CONSENT = "Tôi đồng ý nhận thông báo."


def _subscribe(address, channel=SubscriptionChannel.EMAIL):
    return campaigns.subscribe(channel=channel, address=address, consent=True, consent_text=CONSENT)


@pytest.fixture
def campaign(demo):
    return Campaign.objects.create(title="Tuần lễ dịch vụ công trực tuyến", channel=SubscriptionChannel.EMAIL,
                                   subject="Dịch vụ công trực tuyến", body="Nộp hồ sơ trực tuyến, giảm 50% lệ phí.")


def test_no_consent_no_subscription(demo):
    with pytest.raises(ValidationError):
        campaigns.subscribe(channel=SubscriptionChannel.EMAIL, address="a@example.vn", consent=False,
                            consent_text=CONSENT)
    assert not Subscription.objects.exists()


def test_a_broadcast_reaches_only_the_opted_in_once_each_even_run_twice(campaign, demo,
                                                                         django_capture_on_commit_callbacks):
    _subscribe("mot@example.vn")
    _subscribe("hai@example.vn")
    gone = _subscribe("ba@example.vn")
    _subscribe("0912345678", SubscriptionChannel.SMS)  # another channel
    campaigns.unsubscribe(campaigns.unsubscribe_token(gone))
    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns.start(campaign=campaign, by=demo.users["quantri.tinh"]) == 2
    assert campaigns.broadcast(campaign.pk) == 0  # the task again: nothing more
    assert sorted(message.to[0] for message in mail.outbox) == ["hai@example.vn", "mot@example.vn"]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DONE
    assert "/help/unsubscribe/" in mail.outbox[0].body


def test_unsubscribing_after_the_start_is_honoured(campaign, demo):
    _subscribe("mot@example.vn")
    later = _subscribe("hai@example.vn")
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.DRAFT)
    campaigns.start(campaign=campaign, by=demo.users["quantri.tinh"])  # the worker has not run yet
    campaigns.unsubscribe(campaigns.unsubscribe_token(later))
    campaigns.broadcast(campaign.pk)
    campaigns.broadcast(campaign.pk)
    assert [message.to for message in mail.outbox] == [["mot@example.vn"]]
    assert CampaignDelivery.objects.get(subscription=later).status == CampaignDelivery.State.SKIPPED


def test_the_unsubscribe_link_is_signed_and_honoured(demo, client):
    subscription = _subscribe("mot@example.vn")
    token = campaigns.unsubscribe_token(subscription)
    assert client.get(f"/help/unsubscribe/{subscription.pk}/").status_code == 404  # a guessed id
    assert client.get(f"/help/unsubscribe/{token}x/").status_code == 404
    assert client.get(f"/help/unsubscribe/{token}/").status_code == 200
    subscription.refresh_from_db()
    assert subscription.active  # a GET (a link checker) changes nothing
    client.post(f"/help/unsubscribe/{token}/")
    subscription.refresh_from_db()
    assert not subscription.active


def test_only_the_province_administrators_send_campaigns(campaign, demo, sign_in):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        campaigns.start(campaign=campaign, by=demo.users["giamdoc.stp"])
    assert sign_in("giamdoc.stp").post(f"/workspace/support/campaigns/{campaign.pk}/").status_code == 403
    page = sign_in("quantri.tinh").get(f"/workspace/support/campaigns/{campaign.pk}/")
    assert page.status_code == 200


def test_an_sms_campaign_goes_through_the_sms_gateway_once(demo, live_server, settings):
    from simulators.sms.models import SimulatedSms

    settings.SMS_GATEWAY_URL = f"{live_server.url}/simulators/sms/send"
    _subscribe("+84 912 345 678", SubscriptionChannel.SMS)
    _subscribe("0987654321", SubscriptionChannel.SMS)
    campaigns.unsubscribe(campaigns.unsubscribe_token(_subscribe("0911111111", SubscriptionChannel.SMS)))
    notice = Campaign.objects.create(title="Nhắc nộp hồ sơ", channel=SubscriptionChannel.SMS,
                                     body="Cổng dịch vụ công: nộp hồ sơ trực tuyến được giảm lệ phí.")
    campaigns.start(campaign=notice, by=demo.users["quantri.tinh"])
    campaigns.broadcast(notice.pk)
    campaigns.broadcast(notice.pk)
    assert sorted(SimulatedSms.objects.values_list("phone", flat=True)) == ["0912345678", "0987654321"]
    assert SimulatedSms.objects.first().content.startswith("Cong dich vu cong")


def test_subscribing_from_the_portal_needs_the_consent_box(demo, client):
    response = client.post("/help/subscribe/", {"channel": "email", "address": "mot@example.vn"})
    assert response.status_code == 200 and not Subscription.objects.exists()
    client.post("/help/subscribe/", {"channel": "email", "address": "Mot@Example.vn", "consent": "on"})
    subscription = Subscription.objects.get()
    assert subscription.address == "mot@example.vn" and subscription.consent_text.startswith("Tôi đồng ý")
