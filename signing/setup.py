"""Set up the test PKI for the demo: generate it, import the keys into SoftHSM2, register the
certificates of the demo leaders and agencies' seals. Called by ``manage.py signing_pki setup``.

Without SoftHSM2 (``software=True``: ``egov demo`` on a machine without the softhsm2 package) the
keys stay files of the test PKI, registered on the pseudo-token ``signers.SOFTWARE_TOKEN``, so that
the demo can still sign and return results; production mode refuses such keys (``egov.checks``,
decision 0021)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from . import hsm, pki, signers

DEFAULT_TOKEN = "egov-signing"


def token_label() -> str:
    return getattr(settings, "SIGNING_TOKEN_LABEL", DEFAULT_TOKEN)


def softhsm_dir() -> Path:
    return Path(getattr(settings, "SIGNING_SOFTHSM_DIR", Path(settings.BASE_DIR) / "var" / "softhsm"))


def setup(*, pki_dir: Path | None = None, softhsm: Path | None = None, port: int | None = None,
          register: bool = True, software: bool = False) -> pki.Pki:
    pki_dir = Path(pki_dir or signers.pki_dir())
    if port is None and pki.load(pki_dir) is None:
        port = int(getattr(settings, "SIGNING_PKI_PORT", 8787))
    generated = pki.generate(pki_dir, port=port)
    keys = {label: generated.key_path(label) for label in (*pki.DEMO_HOLDERS, "revoked-official",
                                                           "expired-official")}
    if not software:
        hsm.softhsm_init(softhsm or softhsm_dir(), token_label=token_label(), pin=hsm.token_pin(),
                         so_pin=os.environ.get("SIGNING_TOKEN_SO_PIN", "5678"), keys=keys)
    if register:
        register_demo(generated, token=signers.SOFTWARE_TOKEN if software else token_label())
    return generated


def register_demo(generated: pki.Pki, *, token: str | None = None) -> None:
    from django.contrib.auth import get_user_model

    from directory.models import Agency

    from .certificates import import_certificate

    chain = b"".join(generated.cert_path(label).read_bytes() for label in ("interm", "root"))
    for label, (owner, kind) in pki.DEMO_HOLDERS.items():
        holder = agency = None
        if kind == "personal":
            holder = get_user_model().objects.filter(username=owner).first()
            if holder is None:
                continue
        else:
            agency = Agency.objects.filter(code=owner).first()
            if agency is None:
                continue
        import_certificate(cert_pem=generated.cert_path(label).read_bytes(), chain_pem=chain, kind=kind,
                           holder=holder, agency=agency, token_label=token or token_label(), key_label=label,
                           reissued=True)
