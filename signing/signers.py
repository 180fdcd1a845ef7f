"""Key holders behind one interface: a software key (tests, benchmark) or a PKCS#11 key (the
platform). Each is loaded once per process and kept (:func:`software_signer`,
:func:`pkcs11_signer`): loading a key file costs ~35 ms of RSA consistency checks, opening a
PKCS#11 session and logging in costs more than signing. Both share :class:`ReusingCMSSigner`,
which keeps pyHanko's CMS assembly from re-encoding the same ASN.1 over and over. Also the
process-level timestamper and validation context built from the settings.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

from asn1crypto import cms, pem, x509
from django.conf import settings
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.sign import attributes, signers
from pyhanko_certvalidator import ValidationContext

from . import hsm, revocation

_cache: dict[tuple, signers.Signer] = {}
_lock = threading.Lock()


def load_cert(data: bytes) -> x509.Certificate:
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def load_chain(pem_text: str | bytes) -> list[x509.Certificate]:
    if not pem_text:
        return []
    if isinstance(pem_text, str):
        pem_text = pem_text.encode()
    return list(load_certs_from_pemder_data(pem_text))


class _EncodedOnce(attributes.CMSAttributeProvider):
    """A signed attribute that is the same in every signature of a signer: pyHanko's provider
    builds it the first time, its DER is kept (in ``store``) and parsed back afterwards."""

    def __init__(self, provider: attributes.CMSAttributeProvider, store: dict, key):
        self.attribute_type = provider.attribute_type
        self._provider, self._store, self._key = provider, store, key

    async def get_attribute(self, dry_run=False) -> cms.CMSAttribute | None:
        der = self._store.get(self._key)
        if der is None:
            attribute = await self._provider.get_attribute(dry_run=dry_run)
            if attribute is None:
                return None
            der = self._store[self._key] = attribute.dump()
        return cms.CMSAttribute.load(der)


class ReusingCMSSigner(signers.Signer):
    """What our signers add to pyHanko's CMS assembly (the attributes and the structure stay
    pyHanko's: content-type, message-digest, signing-certificate-v2 for PAdES).

    asn1crypto re-encodes a structure built in Python (not parsed) every time its encoding is
    asked for, recursively and twice per level (header and contents): the signed attributes,
    signed over and then nested five levels deep in the ContentInfo, were encoded hundreds of
    times per signature (~85 % of a B-B signature's time: 23 ms of 27). So:

    * the signing-certificate-v2 attribute (hash of the certificate, issuer name, serial) is built
      by pyHanko once per signer and kept encoded;
    * the signed attributes pyHanko formats are parsed back from their DER once, so every later
      use (the bytes to sign, SignerInfo, SignedData) copies bytes instead of re-encoding.

    The signature bytes are unchanged: the parsed copy has exactly the DER pyHanko produced.
    ``_signed_attr_providers`` is pyHanko-internal (0.38); ``tests/test_signing.py`` compares the
    signed attributes with the stock signer's.
    """

    def _signed_attr_providers(self, *args, **kwargs):
        store = self.__dict__.setdefault("_encoded_attributes", {})
        for provider in super()._signed_attr_providers(*args, **kwargs):
            if type(provider) is attributes.SigningCertificateV2Provider:
                yield _EncodedOnce(provider, store, ("signing_certificate_v2", provider.signing_cert.sha256))
            else:
                yield provider

    async def signed_attrs(self, *args, **kwargs) -> cms.CMSAttributes:
        formatted = await super().signed_attrs(*args, **kwargs)
        return cms.CMSAttributes.load(formatted.dump())


class CachedKeySigner(ReusingCMSSigner, signers.SimpleSigner):
    """pyHanko's SimpleSigner re-parses its private key (DER, with RSA consistency checks) on every
    signature; this one keeps the parsed key object."""

    def __init__(self, *, signing_key, key_object, **kwargs):
        super().__init__(signing_key=signing_key, **kwargs)
        self._key_object = key_object

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
        from pyhanko.sign.general import get_pyca_cryptography_hash

        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(self._key_object, rsa.RSAPrivateKey):
            return self._key_object.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(mechanism.hash_algo))
        return super().sign_raw(data, digest_algorithm)


def software_signer(key_path: Path | str, cert: x509.Certificate, chain: list[x509.Certificate]) -> signers.Signer:
    """A pyHanko signer for a PEM/DER key file, loaded once per process."""
    cache_key = ("file", str(key_path), cert.sha256)
    with _lock:
        found = _cache.get(cache_key)
        if found is None:
            from cryptography.hazmat.primitives import serialization
            from pyhanko.keys import load_private_key_from_pemder

            key = load_private_key_from_pemder(str(key_path), passphrase=None)
            key_object = serialization.load_der_private_key(key.dump(), password=None)
            found = CachedKeySigner(signing_key=key, key_object=key_object, signing_cert=cert, embed_roots=False,
                                    cert_registry=_registry(chain))
            _cache[cache_key] = found
        return found


def pkcs11_signer(token_label: str, key_label: str, cert: x509.Certificate,
                  chain: list[x509.Certificate]) -> signers.Signer:
    """A pyHanko signer for a key on a PKCS#11 token; the session stays open for the process."""
    from pyhanko.sign.pkcs11 import PKCS11Signer

    class LockedPKCS11Signer(ReusingCMSSigner, PKCS11Signer):
        """Serialises use of the shared session (PKCS#11 sessions are not thread-safe)."""

        async def async_sign_raw(self, data, digest_algorithm, dry_run=False):
            with hsm.session_lock(token_label):
                return await super().async_sign_raw(data, digest_algorithm, dry_run)

    cache_key = ("pkcs11", token_label, key_label, cert.sha256)
    with _lock:
        found = _cache.get(cache_key)
        if found is None:
            found = LockedPKCS11Signer(hsm.session(token_label), key_label=key_label, signing_cert=cert,
                                       ca_chain=chain, bulk_fetch=False, embed_roots=False)
            _cache[cache_key] = found
        return found


# The pseudo-token of the demo's software keys: files of the test PKI, used when SoftHSM2 is not
# installed (signing.setup); refused in production mode.
SOFTWARE_TOKEN = "software-demo"


class DemoKeyRefused(RuntimeError):
    """A demo software key asked to sign in production mode (or its test PKI is gone)."""


def for_signing_key(signing_key) -> signers.Signer:
    """The signer for a :class:`signing.models.SigningKey`."""
    certificate = signing_key.certificate
    if signing_key.token_label == SOFTWARE_TOKEN:
        from django.conf import settings

        from . import pki

        found = pki.load(pki_dir())
        if settings.PRODUCTION or found is None:  # a key in a file is for the demo only
            raise DemoKeyRefused("a demo software key cannot sign in production mode or without the test PKI")
        return software_signer(found.key_path(signing_key.key_label), load_cert(bytes(certificate.der)),
                               load_chain(certificate.chain_pem))
    return pkcs11_signer(signing_key.token_label, signing_key.key_label, load_cert(bytes(certificate.der)),
                         load_chain(certificate.chain_pem))


def clear() -> None:
    with _lock:
        _cache.clear()
    trust_roots.cache_clear()
    timestamper.cache_clear()
    revocation.cache.clear()


def _registry(chain):
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return SimpleCertificateStore.from_certs(chain)


# --- settings-driven services --------------------------------------------------------------------

def pki_dir() -> Path:
    return Path(getattr(settings, "SIGNING_PKI_DIR", Path(settings.BASE_DIR) / "var" / "pki"))


@functools.lru_cache(maxsize=1)
def trust_roots() -> tuple[x509.Certificate, ...]:
    """Trusted roots: every certificate file in ``SIGNING_TRUST_ROOTS_DIR`` (default: the test
    PKI's root in ``SIGNING_PKI_DIR``)."""
    directory = getattr(settings, "SIGNING_TRUST_ROOTS_DIR", None)
    paths = sorted(Path(directory).glob("*")) if directory else [pki_dir() / "certs" / "root.cert.pem"]
    roots = []
    for path in paths:
        if path.is_file():
            roots.extend(load_certs_from_pemder_data(path.read_bytes()))
    return tuple(roots)


@functools.lru_cache(maxsize=1)
def timestamper():
    """The RFC 3161 timestamp authority of ``SIGNING_TSA_URL`` (default: the test PKI's)."""
    url = getattr(settings, "SIGNING_TSA_URL", "")
    if not url:
        from . import pki

        found = pki.load(pki_dir())
        url = found.tsa_url if found else ""
    return revocation.timestamper(url, timeout=10) if url else None


def signing_validation_context() -> ValidationContext:
    """Used at signing time to fetch and embed the revocation data (B-LT), through the process's
    revocation cache (``signing.revocation``)."""
    return ValidationContext(trust_roots=list(trust_roots()), allow_fetching=True,
                             revocation_mode="hard-fail", fetchers=revocation.fetchers())
