"""One public address for the platform (decision 0021): EGOV_PUBLIC_URL, by default the address
``egov serve``/``egov demo`` serves, is the base of every link the platform makes to itself."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail

from egov import public_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("addr", "url"), [
    ("127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("127.0.0.1:8123", "http://127.0.0.1:8123"),
    ("0.0.0.0:8080", "http://127.0.0.1:8080"),  # a wildcard bind is opened on the loopback address
    (":9000", "http://127.0.0.1:9000"),
    ("localhost:8001", "http://localhost:8001"),
    ("[::]:8002", "http://[::1]:8002"),
    ("[::1]:8003", "http://[::1]:8003"),
])
def test_the_default_public_url_is_the_address_served(addr, url):
    assert public_url.for_addr(addr) == url


def test_an_address_without_a_port_is_refused():
    with pytest.raises(ValueError, match="HOST:PORT"):
        public_url.for_addr("unix:/run/egov.sock")


@pytest.mark.parametrize(("addr", "port"), [
    ("127.0.0.1:8000", 8787),  # the port the demo always used
    ("127.0.0.1:8001", 8788),  # a second installation on the next port: no collision
    ("0.0.0.0:65000", 65000 - 787),  # 65787 is no port: below the web port instead
])
def test_the_test_pki_responder_port_follows_the_web_port(addr, port):
    assert public_url.pki_port_for(addr) == port


def _settings_with(tmp_path, **env) -> dict:
    """The settings a fresh process computes from ``env`` alone."""
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith(("EGOV_", "PAYMENT_", "SMS_", "SIGNING_", "ALLOWED_HOSTS", "DATABASE_URL"))}
    code = ("import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: "
            "getattr(s, k) for k in ('EGOV_PUBLIC_URL', 'SMS_GATEWAY_URL', 'PAYMENT_GATEWAY_URL', "
            "'SIGNING_PKI_PORT', 'ALLOWED_HOSTS')}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "egov.settings", "EGOV_VAR_DIR": str(tmp_path),
                               **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_served_on_another_port_every_own_link_follows(tmp_path):
    found = _settings_with(tmp_path, EGOV_ADDR="0.0.0.0:8123")
    assert found["EGOV_PUBLIC_URL"] == "http://127.0.0.1:8123"
    assert found["SMS_GATEWAY_URL"] == "http://127.0.0.1:8123/simulators/sms/send"
    assert found["PAYMENT_GATEWAY_URL"] == "http://127.0.0.1:8123/paysim/"
    assert found["SIGNING_PKI_PORT"] == 8123 + 787


def test_without_any_setting_the_demo_address_is_used(tmp_path):
    found = _settings_with(tmp_path)
    assert found["EGOV_PUBLIC_URL"] == "http://127.0.0.1:8000" and found["SIGNING_PKI_PORT"] == 8787


def test_an_explicit_public_url_wins_and_its_host_is_allowed(tmp_path):
    found = _settings_with(tmp_path, EGOV_ADDR="127.0.0.1:8123", EGOV_PUBLIC_URL="https://dichvucong.example.vn/",
                           SIGNING_PKI_PORT="9999")
    assert found["EGOV_PUBLIC_URL"] == "https://dichvucong.example.vn"  # no trailing slash: links add the path
    assert found["PAYMENT_GATEWAY_URL"] == "https://dichvucong.example.vn/paysim/"
    assert "dichvucong.example.vn" in found["ALLOWED_HOSTS"] and found["SIGNING_PKI_PORT"] == 9999
    assert _settings_with(tmp_path, EGOV_PUBLIC_URL="http://[::1]:8010")["ALLOWED_HOSTS"][-1] == "::1"


def test_payment_return_and_notification_urls_use_the_public_url(settings):
    from django.utils import timezone

    from payments import gateway
    from payments.services import _public_url

    settings.EGOV_PUBLIC_URL = "http://127.0.0.1:8123"
    settings.PAYMENT_GATEWAY_URL = "http://127.0.0.1:8123/paysim/"
    now = timezone.now()
    url = gateway.payment_url(txn_ref="T1", amount=16000, order_info="x", return_url=_public_url("payments:return"),
                              ipn_url=_public_url("payments:ipn"), ip="127.0.0.1", created=now, expires=now)
    params = parse_qs(urlparse(url).query)
    assert url.startswith("http://127.0.0.1:8123/paysim/pay?")
    assert params["v_ReturnUrl"] == ["http://127.0.0.1:8123/payments/return"]
    assert params["v_IpnUrl"] == ["http://127.0.0.1:8123/payments/ipn"]


def test_the_qr_link_on_a_signed_result_uses_the_public_url(settings):
    from signing.services import verification_url

    settings.EGOV_PUBLIC_URL = "https://dichvucong.example.vn"
    assert verification_url("ab12") == "https://dichvucong.example.vn/verify/?h=ab12"


def test_the_emailed_link_uses_the_public_url_not_the_host_header(db, client, settings,
                                                                  django_capture_on_commit_callbacks):
    settings.EGOV_PUBLIC_URL = "http://127.0.0.1:8123"
    settings.ALLOWED_HOSTS = ["*"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/register/", {
            "full_name": "Hoàng Thị Lan", "email": "lan.hoang@example.vn", "kind": "citizen",
            "password1": "Lan-Bac-Kan-2026", "password2": "Lan-Bac-Kan-2026"}, HTTP_HOST="evil.example")
    assert response.status_code == 200, response.content.decode()[:2000]
    [message] = mail.outbox
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("http://127.0.0.1:8123/accounts/") for link in links), links
