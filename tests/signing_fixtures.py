"""Signing fixtures shared by every test module (``pytest_plugins`` in ``tests/conftest.py``):
the test PKI with its OCSP/CRL/TSA responder, the SoftHSM2 token, the NSS database for pdfsig,
the demo certificates registered, and pyHanko's validation safe inside a running event loop."""

import subprocess

import pytest
from pyhanko.sign.validation import async_validate_pdf_signature

from signing import aio, hsm, pki, setup, signers


def validate_pdf_signature(*args, **kwargs):
    """pyHanko's validation, safe in a thread that already runs an event loop (the browser tests')."""
    return aio.run(async_validate_pdf_signature(*args, **kwargs))


# One test PKI per process. A module importing the ``test_pki`` fixture gets a second session
# fixture from pytest; a second PKI would then be registered while the process's PKCS#11 library
# (SoftHSM2 reads its configuration once) still holds the first PKI's keys: signatures made with
# the old keys under the new certificates, "Signature is Invalid".
_shared: dict = {}


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory):
    """``(pki, nss_db)``: the test PKI, its OCSP/CRL/TSA responder in a thread, a SoftHSM2 token
    holding the keys, and an NSS database for pdfsig (``sql:DIR``) trusting the test root."""
    from django.conf import settings

    if not _shared:
        base = tmp_path_factory.mktemp("signing")
        generated = pki.generate(base / "pki")
        _shared.update(server=pki.serve(generated), users=0, saved={
            name: getattr(settings, name, None)
            for name in ("SIGNING_PKI_DIR", "SIGNING_SOFTHSM_DIR", "SIGNING_TOKEN_LABEL")})
        settings.SIGNING_PKI_DIR, settings.SIGNING_SOFTHSM_DIR = str(base / "pki"), str(base / "softhsm")
        settings.SIGNING_TOKEN_LABEL = "egov-test"
        signers.clear()
        setup.setup(pki_dir=base / "pki", softhsm=base / "softhsm", register=False)
        _shared["value"] = (generated, _nss_db(base / "nss", generated))
    _shared["users"] += 1
    yield _shared["value"]
    _shared["users"] -= 1
    if not _shared["users"]:
        _shared["server"].shutdown()
        hsm.close_all()
        signers.clear()
        for name, value in _shared["saved"].items():
            setattr(settings, name, value)
        _shared.clear()


def _nss_db(directory, generated) -> str:
    """A throw-away NSS database trusting the test root (and knowing the issuing CA)."""
    directory.mkdir(parents=True, exist_ok=True)
    db = f"sql:{directory}"
    subprocess.run(["certutil", "-N", "-d", db, "--empty-password"], check=True, capture_output=True)
    for nickname, trust in (("root", "CT,C,C"), ("interm", ",,")):
        subprocess.run(["certutil", "-A", "-d", db, "-n", nickname, "-t", trust,
                        "-i", str(generated.cert_path(nickname))], check=True, capture_output=True)
    return db


@pytest.fixture(scope="session")
def nss_db(test_pki):
    """The session's NSS database for pdfsig (``sql:DIR``)."""
    return test_pki[1]


@pytest.fixture
def registered(test_pki, demo):
    generated, _ = test_pki
    setup.register_demo(generated)
    return generated
