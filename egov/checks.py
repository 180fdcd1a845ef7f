"""System checks of production mode: no demo secret, a cache shared by all workers.

The embedded default runs out of the box with demo values (payment secret, SMS keys, HSM PIN)
that are published in this repository. In production mode (``EGOV_PRODUCTION=1``) each of them
is an Error reported by ``egov check`` (``manage.py check --deploy``), and ``egov serve`` /
``egov worker`` refuse to start (:func:`production_errors`).
"""

from django.conf import settings
from django.core import checks

from egov import crypto

TAG = "production"

# Values published with the platform (settings defaults, the simulators, the demo PKI): whoever
# reads the repository knows them.
DEMO_VALUES = frozenset({
    "demo-key", "demo-secret", "demo-payment-secret", "1234", "5678",
    "change-me", "changeme", "secret", "password",
})


def _is_demo(value: str) -> bool:
    value = (value or "").strip()
    return value.lower() in DEMO_VALUES or value.lower().startswith("demo-")


def _secret(name: str, number: int, *, required: bool, why: str) -> list[checks.CheckMessage]:
    value = str(getattr(settings, name, "") or "")
    if value and _is_demo(value):
        return [checks.Error(
            f"{name} is set to a demo value, which is published with the platform.",
            hint=f"Set the environment variable {name} to the real secret ({why}).",
            id=f"egov.E{number:03d}",
        )]
    if required and not value:
        return [checks.Error(
            f"{name} is not set.",
            hint=f"Set the environment variable {name} ({why}).",
            id=f"egov.E{number:03d}",
        )]
    return []


def _weak_secret_key(key: str) -> bool:
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure") or _is_demo(key)


@checks.register(checks.Tags.security, TAG, deploy=True)
def demo_secrets(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not settings.PRODUCTION:
        return []
    errors: list[checks.CheckMessage] = []
    if _weak_secret_key(str(settings.SECRET_KEY)):
        errors.append(checks.Error(
            "SECRET_KEY is a demo value or too weak (fewer than 50 characters or 5 different ones).",
            hint="Set the environment variable SECRET_KEY to a long random value, "
                 "e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
            id="egov.E001",
        ))
    errors += _secret("PAYMENT_SECRET", 2, required=True,
                      why="the key the payment gateway signs its notifications with")
    sms_on = bool(getattr(settings, "SMS_GATEWAY_URL", ""))
    errors += _secret("SMS_API_KEY", 3, required=sms_on, why="the SMS gateway's API key")
    errors += _secret("SMS_SECRET_KEY", 4, required=sms_on, why="the SMS gateway's secret key")
    errors += _secret("SIGNING_TOKEN_PIN", 5, required=True, why="the user PIN of the signing HSM token")
    simulators = bool(getattr(settings, "EGOV_SIMULATORS", False))
    errors += _secret("SMS_SIMULATOR_API_KEY", 6, required=False, why="the SMS simulator's API key")
    errors += _secret("SMS_SIMULATOR_SECRET_KEY", 7, required=False, why="the SMS simulator's secret key")
    if not str(getattr(settings, "EGOV_PUBLIC_URL", "")).startswith("https://"):
        # Payment notifications, verification QR codes and e-mail links carry this address.
        # A warning, not a refusal: a staging installation may run on plain http behind its own proxy.
        errors.append(checks.Warning(
            "EGOV_PUBLIC_URL is not an https:// address: payment notifications, verification QR codes and "
            "e-mail links would point to an unencrypted address.",
            hint="Set EGOV_PUBLIC_URL to the address citizens reach the platform at, e.g. https://dichvucong.example.gov.vn.",
            id="egov.W009",
        ))
    errors += [checks.Error(problem, hint="Set DATA_ENCRYPTION_KEYS (Fernet keys, comma-separated, the current one "
                            "first) and DATA_LOOKUP_KEY (a long random value); keep them outside the database and "
                            "back them up apart from it (ADR 0050).", id="egov.E010")
               for problem in crypto.check_keys()]
    if simulators:
        errors.append(checks.Error(
            "EGOV_SIMULATORS is on in production mode: the payment simulator would let anyone mark "
            "a fee paid and the SMS simulator would swallow messages.",
            hint="Unset EGOV_SIMULATORS (or set it to 0) and configure the real gateways.",
            id="egov.E008",
        ))
    return errors


@checks.register(checks.Tags.caches, TAG, deploy=True)
def shared_cache(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Counters that stop guessing (second-factor failures, the public lookup's wrong answers)
    live in the cache: each worker's private memory would multiply the limits by the workers."""
    if not settings.PRODUCTION:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [checks.Error(
            "The cache is each process's own memory; the limits on guessing would not be shared by "
            "the workers.",
            hint="Set the environment variable REDIS_URL (for example redis://redis:6379/1).",
            id="egov.E009",
        )]
    return []


def production_errors() -> list[checks.CheckMessage]:
    """The serious findings of the checks above: ``egov serve`` and ``egov worker`` refuse to
    start while there is any."""
    found = checks.run_checks(tags=[TAG], include_deployment_checks=True)
    return [message for message in found if message.is_serious()]
