"""Fees paid through the National payment platform, the installation's second payment platform:
the payer sent to the platform's page, its signed call back recorded once however often it comes,
a forged one refused, the reconciliation asking the platform. Against the simulator as a process."""

import hashlib
import hmac
import json

import pytest
import requests
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEntry
from payments import reconciliation, services
from payments.models import Payment, PaymentNotification, PaymentStatus
from payments.platforms import platform_for
from tests.factories import make_procedure, submit_birth
from tests.national.sims import serving

IPN = "/payments/national/ipn"


@pytest.fixture
def platform(settings, tmp_path):
    settings.PAYMENT_PLATFORM = "national"
    with serving("payment", tmp_path, settings) as sim:
        yield sim


@pytest.fixture
def dossier(demo):
    return submit_birth(demo, make_procedure(agencies=[demo.agencies["01840"]]))  # 16,000 đ


def _pay_at_the_platform(sim, payment: Payment, action: str = "pay") -> tuple[bytes, str]:
    """The payer pays on the platform; the call back it sent (body and signature)."""
    answer = requests.post(f"{sim.url}/payments/{payment.txn_ref}/complete", json={"action": action},
                           headers={"Authorization": f"Bearer {sim.secret}"}, timeout=10).json()
    return answer["callback"].encode(), answer["signature"]


def _call_back(body: bytes, signature: str) -> dict:
    response = Client().post(IPN, data=body, content_type="application/json", HTTP_X_SIGNATURE=signature)
    assert response.status_code == 200
    return response.json()


def test_the_payer_is_sent_to_the_national_platform(platform, dossier, demo):
    url = services.start_payment(dossier=dossier, user=demo.users["congdan@example.vn"], ip="203.0.113.7")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.platform == "national" and url.startswith(platform.url + "/pay/")
    page = requests.get(url, timeout=10)  # the payer's page: no secret needed
    assert page.status_code == 200 and "16.000 đ" in page.text
    again = services.start_payment(dossier=dossier, user=demo.users["congdan@example.vn"], ip="203.0.113.7")
    assert again == url and Payment.objects.filter(dossier=dossier).count() == 1  # the same payment, once


def test_a_payment_is_recorded_once_even_if_the_call_back_is_repeated(platform, dossier, demo):
    services.start_payment(dossier=dossier, user=demo.users["congdan@example.vn"], ip="203.0.113.7")
    payment = Payment.objects.get(dossier=dossier)
    body, signature = _pay_at_the_platform(platform, payment)
    assert _call_back(body, signature)["code"] == "00"
    assert _call_back(body, signature)["code"] == "02"  # already confirmed
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.receipt_no
    assert payment.gateway_transaction_no == json.loads(body)["transaction_no"]
    assert AuditEntry.objects.filter(object_type="payments.payment", summary__event="payment_paid").count() == 1
    assert PaymentNotification.objects.filter(payment=payment).count() == 2


def test_a_forged_call_back_is_refused(platform, dossier, demo):
    services.start_payment(dossier=dossier, user=demo.users["congdan@example.vn"], ip="203.0.113.7")
    payment = Payment.objects.get(dossier=dossier)
    body, signature = _pay_at_the_platform(platform, payment, action="cancel")
    forged = json.dumps({**json.loads(body), "status": "paid", "transaction_no": "QG1"}).encode()
    assert _call_back(forged, signature)["code"] == "97"  # the body changed after signing
    assert _call_back(forged, "")["code"] == "97"
    assert _call_back(forged, hmac.new(b"guessed", forged, hashlib.sha256).hexdigest())["code"] == "97"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not payment.receipt_no
    assert _call_back(body, signature)["code"] == "00"  # the real one: cancelled
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED


def test_a_lost_call_back_is_made_good_by_the_reconciliation(platform, dossier, demo):
    services.start_payment(dossier=dossier, user=demo.users["congdan@example.vn"], ip="203.0.113.7")
    payment = Payment.objects.get(dossier=dossier)
    _pay_at_the_platform(platform, payment)  # its call back never reached us
    report = reconciliation.build_report(payments=[payment], day=payment.created_at.date(), agency=dossier.agency)
    assert report.lines[0].verdict == "mismatch"  # paid there, not here yet
    assert services.settle_from_query(payment) == PaymentStatus.PAID
    payment.refresh_from_db()
    assert reconciliation.build_report(payments=[payment], day=payment.created_at.date(),
                                       agency=dossier.agency).lines[0].verdict == "match"


def test_the_platform_is_chosen_per_procedure(platform, dossier, demo, settings):
    settings.PAYMENT_PLATFORM = "gateway"
    settings.PAYMENT_PLATFORM_BY_PROCEDURE = {dossier.procedure.code: "national"}
    services.start_payment(dossier=dossier, user=demo.users["congdan@example.vn"], ip="203.0.113.7")
    assert Payment.objects.get(dossier=dossier).platform == "national"
    settings.PAYMENT_PLATFORM_BY_PROCEDURE = {}
    assert platform_for(dossier) == "gateway"


def test_while_the_platform_is_down_the_payer_is_told_and_nothing_is_lost(platform, dossier, demo):
    platform.stop()
    with pytest.raises(ValidationError):
        services.start_payment(dossier=dossier, user=demo.users["congdan@example.vn"], ip="203.0.113.7")
    assert list(Payment.objects.filter(dossier=dossier).values_list("status", flat=True)) == ["pending"]
