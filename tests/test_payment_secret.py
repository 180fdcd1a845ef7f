"""The gateway never signs or checks with an empty key (every signature would be forgeable)."""

import hashlib
import hmac

import pytest
from django.core.exceptions import ImproperlyConfigured

from payments import gateway


def test_an_empty_secret_refuses_to_sign(settings):
    settings.PAYMENT_SECRET = ""
    with pytest.raises(ImproperlyConfigured):
        gateway.sign({"amount": "16000", "order": "A1"})


def test_a_configured_secret_signs_with_hmac_sha512(settings):
    settings.PAYMENT_SECRET = "a-real-secret"
    expected = hmac.new(b"a-real-secret", gateway.canonical({"a": "1"}).encode(), hashlib.sha512).hexdigest()
    assert gateway.sign({"a": "1"}) == expected
