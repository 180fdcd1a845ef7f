"""Demo data of the integration platform: two invented agency systems and the developer portal's
sandbox client (read-only, with a secret everyone may read — refused in production mode).
Idempotent; run after the directory's demo."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from oauth2_provider.models import Application

from directory.models import Agency

from .models import CallLog, Client

SANDBOX_CLIENT_ID = "lgsp-sandbox-demo"
SANDBOX_SECRET = "sandbox-chi-doc-khong-dung-that"  # public on purpose: the demo's read-only sandbox
# (owning agency's abbreviation, invented system name, scopes, per minute)
SYSTEMS = [
    ("SYT", "Phần mềm quản lý khám chữa bệnh – Bệnh viện đa khoa tỉnh (thử nghiệm)",
     ["dmdc.read"], 120),
    ("STP", "Phần mềm quản lý hộ tịch ngành Tư pháp (thử nghiệm)", ["dmdc.read", "dmdc.write"], 60),
]


def _agency(abbreviation: str) -> Agency | None:
    return Agency.objects.valid_on().filter(abbreviation=abbreviation).order_by("code").first()


def load_demo() -> list[Client]:
    from . import services
    from .categories import ensure_reference_rows

    ensure_reference_rows()
    made = []
    for code, name, scopes, per_minute in SYSTEMS:
        existing = Client.objects.filter(name=name).first()
        agency = _agency(code)
        if existing is None and agency is not None:
            existing, _secret = services.create_client(user=None, agency=agency, name=name, scopes=scopes,
                                                       per_minute=per_minute)
        if existing is not None:
            made.append(existing)
    sandbox = Client.objects.filter(sandbox=True).first()
    agency = _agency("SYT")
    if sandbox is None and agency is not None:
        application = Application.objects.create(
            name="Sandbox", client_id=SANDBOX_CLIENT_ID, client_secret=make_password(SANDBOX_SECRET),
            client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS)
        sandbox = Client.objects.create(application=application, agency=agency, sandbox=True, per_minute=30,
                                        per_day=1000, scopes=["dmdc.read"],
                                        name="Sandbox – môi trường thử cho nhà phát triển")
    if sandbox is not None:
        made.append(sandbox)
    if not CallLog.objects.exists():
        _sample_calls(made)
    return made


def _sample_calls(clients: list[Client]) -> None:
    """A fortnight of invented calls, so the call log and its chart have something to show."""
    rng = random.Random(13)
    now = timezone.now()
    rows = []
    for client in clients:
        for day in range(14):
            for _ in range(rng.randint(3, 25)):
                category = rng.choice(["DanToc", "DonViHanhChinh", "CoQuan", "TonGiao"])
                status = rng.choice([200] * 18 + [403, 429])
                rows.append(CallLog(client=client, at=now - dt.timedelta(days=day, minutes=rng.randint(0, 600)),
                                    method="GET", service=f"dmdc:category:{category}", status=status,
                                    response_bytes=rng.randint(300, 40_000), duration_ms=rng.randint(3, 60)))
    CallLog.objects.bulk_create(rows)


def sandbox_credentials() -> dict | None:
    """The sandbox's id and secret, for the developer portal — outside production mode only."""
    if settings.PRODUCTION:
        return None
    client = Client.objects.filter(sandbox=True, status="active").select_related("application").first()
    if client is None or client.application.client_id != SANDBOX_CLIENT_ID:
        return None
    return {"client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_SECRET, "scopes": client.scopes}
