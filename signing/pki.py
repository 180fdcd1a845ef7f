"""The test PKI (hạ tầng khóa công khai thử nghiệm) for development, the demo and the tests.

Built with certomancer from ``signing/pki/egov-pki.yml``: a root and an issuing CA, an OCSP
responder, an RFC 3161 timestamp authority, CRLs, the demo officials' and agencies' (seal)
certificates, one revoked and one expired certificate, and a second, untrusted root. The keys are
generated here (RSA-2048), imported into a SoftHSM2 token (:mod:`signing.hsm`) and the
certificates registered (:func:`signing.certificates.import_certificate`). Certomancer's Animator WSGI
app answers OCSP, CRL and timestamp requests (:func:`serve`).

Production never uses this module: real certificates come from the Government CA.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from asn1crypto import pem, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CONFIG_TEMPLATE = Path(__file__).parent / "pki" / "egov-pki.yml"
ARCH = "egov"
ROGUE_ARCH = "rogue"
CA_LABELS = ("root", "interm")
# certificate label -> (username or agency code, kind)
DEMO_HOLDERS = {
    "chutich-ducxuan": ("chutich.ducxuan", "personal"),
    "giamdoc-stp": ("giamdoc.stp", "personal"),
    "seal-ducxuan": ("000.00.60.H55", "seal"),
    "seal-stp": ("000.00.03.H55", "seal"),
}


@dataclass(frozen=True)
class Pki:
    """A generated PKI on disk."""

    directory: Path
    url_prefix: str

    @property
    def config_path(self) -> Path:
        return self.directory / "egov-pki.yml"

    def key_path(self, label: str) -> Path:
        return self.directory / "keys" / f"{label}.key.pem"

    def cert_path(self, label: str) -> Path:
        return self.directory / "certs" / f"{label}.cert.pem"

    def cert(self, label: str) -> x509.Certificate:
        _, _, der = pem.unarmor(self.cert_path(label).read_bytes())
        return x509.Certificate.load(der)

    @property
    def tsa_url(self) -> str:
        return f"{self.url_prefix}/{ARCH}/tsa/tsa"

    @property
    def port(self) -> int:
        return int(self.url_prefix.rsplit(":", 1)[1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _labels() -> list[str]:
    import yaml

    config = yaml.safe_load(CONFIG_TEMPLATE.read_text(encoding="utf-8"))
    return list(config["keysets"]["egov"]["keys"])


def generate(directory: Path | str, *, port: int | None = None, force: bool = False) -> Pki:
    """Write keys, configuration and certificates into ``directory``; reuse an existing PKI
    there unless ``force`` (the certificates are issued again, with the same keys, when
    ``egov-pki.yml`` changed since). The responder will listen on ``127.0.0.1:port``."""
    directory = Path(directory)
    existing = load(directory)
    if (existing is not None and not force and (port is None or existing.port == port)
            and _stored_template_hash(directory) == _template_hash()):
        return existing
    port = port or (existing.port if existing else free_port())
    pki = Pki(directory=directory, url_prefix=f"http://127.0.0.1:{port}")
    (directory / "keys").mkdir(parents=True, exist_ok=True)
    (directory / "certs").mkdir(parents=True, exist_ok=True)
    for label in _labels():
        path = pki.key_path(label)
        if force or not path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
            path.chmod(0o600)
    pki.config_path.write_text(
        CONFIG_TEMPLATE.read_text(encoding="utf-8").replace("EXTERNAL_URL_PREFIX", pki.url_prefix),
        encoding="utf-8")
    config = certomancer_config(pki)
    for arch_label in (ARCH, ROGUE_ARCH):
        arch = config.get_pki_arch(arch_label)
        for spec in arch.enumerate_certs_by_issuer():
            for cert_spec in spec[1]:
                cert = arch.get_cert(cert_spec.label)
                pki.cert_path(cert_spec.label.value).write_bytes(pem.armor("CERTIFICATE", cert.dump()))
    (directory / "pki.json").write_text(json.dumps({"url_prefix": pki.url_prefix, "template": _template_hash()}),
                                        encoding="utf-8")
    return pki


def _template_hash() -> str:
    return hashlib.sha256(CONFIG_TEMPLATE.read_bytes()).hexdigest()


def _stored_template_hash(directory: Path) -> str | None:
    try:
        return json.loads((directory / "pki.json").read_text(encoding="utf-8")).get("template")
    except (OSError, ValueError):
        return None


def load(directory: Path | str) -> Pki | None:
    directory = Path(directory)
    try:
        meta = json.loads((directory / "pki.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Pki(directory=directory, url_prefix=meta["url_prefix"])


def certomancer_config(pki: Pki):
    from certomancer.registry import CertomancerConfig

    return CertomancerConfig.from_file(str(pki.config_path), key_search_dir=str(pki.directory))


def _keep_parsed_keys() -> None:
    """Certomancer parses the responder's or TSA's private key again for every answer it signs
    (``load_der_private_key`` with RSA consistency checks: ~75 ms, most of a timestamp's time);
    parse each key once per process instead. Same keys, same signatures."""
    from certomancer import crypto_utils

    backend = crypto_utils.CRYPTO_BACKEND
    if getattr(backend, "keeps_parsed_keys", False):
        return

    class KeptKeyBackend(type(backend)):  # type: ignore[misc]
        keeps_parsed_keys = True
        _parsed: dict[bytes, object] = {}

        def generic_sign(self, private_key, tbs_bytes, sd_algo):
            der = private_key.dump()
            parsed = self._parsed.get(der)
            if parsed is None:
                parsed = self._parsed[der] = serialization.load_der_private_key(der, password=None)
            if sd_algo.signature_algo == "rsassa_pkcs1v15" and isinstance(parsed, rsa.RSAPrivateKey):
                from cryptography.hazmat.primitives import hashes
                from cryptography.hazmat.primitives.asymmetric import padding

                return parsed.sign(tbs_bytes, padding.PKCS1v15(), getattr(hashes, sd_algo.hash_algo.upper())())
            return super().generic_sign(private_key, tbs_bytes, sd_algo)

    crypto_utils.CRYPTO_BACKEND = KeptKeyBackend()


def animator(pki: Pki):
    """Certomancer's WSGI app answering OCSP, CRL, certificate and timestamp requests."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore

    _keep_parsed_keys()

    class WholeSecondOcspAnimator(Animator):
        """OCSP times without fractions of a second: NSS rejects a GeneralizedTime with fractional
        seconds (RFC 5280, 4.1.2.5.2) as a malformed OCSP response."""

        def at_time(self, request):
            moment = super().at_time(request)
            return moment.replace(microsecond=0) if "/ocsp/" in request.path else moment

    archs = certomancer_config(pki).pki_archs
    for arch in archs.values():
        _parsed_certificates(arch)
    return _ocsp_get(WholeSecondOcspAnimator(AnimatorArchStore(archs), with_web_ui=False))


def _parsed_certificates(arch) -> None:
    """Certomancer keeps the certificates it builds as built asn1crypto objects, which encode
    themselves again, recursively, every time an answer embeds them (~20 ms per timestamp): keep
    parsed copies (the same bytes) in the architecture's certificate cache instead."""
    for _issuer, specs in arch.enumerate_certs_by_issuer():
        for spec in specs:
            arch._cert_cache[spec.label] = x509.Certificate.load(arch.get_cert(spec.label).dump())


def _ocsp_get(app):
    """Let the OCSP responder answer GET requests too (RFC 6960, A.1: ``GET {url}/{base64 of the
    DER request}``), which certomancer only answers by POST. NSS (pdfsig, Firefox, Thunderbird)
    tries GET first. The 404 there and the fractional seconds (above) left NSS errors behind that
    poppler 22.12 reports as "Unknown issue with Certificate" although the chain verified: it reads
    NSS's last error (PORT_GetError) instead of the verification's result."""

    def wrapped(environ, start_response):
        parts = environ.get("PATH_INFO", "").split("/")
        if environ.get("REQUEST_METHOD") == "GET" and len(parts) >= 5 and parts[2] == "ocsp":
            try:
                body = base64.b64decode(unquote("/".join(parts[4:])), validate=True)
            except ValueError:
                body = None
            if body:
                environ = {**environ, "REQUEST_METHOD": "POST", "PATH_INFO": "/".join(parts[:4]),
                           "CONTENT_TYPE": "application/ocsp-request", "CONTENT_LENGTH": str(len(body)),
                           "wsgi.input": io.BytesIO(body)}
        return app(environ, start_response)

    return wrapped


def serve(pki: Pki, *, background: bool = True):
    """Run the responder on the PKI's port; in a daemon thread (returns the server, call
    ``shutdown()``) or in the foreground."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", pki.port, animator(pki), threaded=True)
    if not background:
        server.serve_forever()
        return server
    threading.Thread(target=server.serve_forever, name="signing-pki-responder", daemon=True).start()
    return server


def responder_running(pki: Pki) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", pki.port), timeout=0.5):
            return True
    except OSError:
        return False
