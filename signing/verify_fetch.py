"""What the public verifier may fetch over the network (tải dữ liệu thu hồi khi xác thực).

Anyone can upload a PDF to ``/verify/``, and the URLs in its certificates (OCSP, CRL
distribution points, ``caIssuers``) are chosen by whoever made them: fetching them blindly lets an
upload make the server call any address, its own loopback and internal network included (SSRF).
So the verifier fetches revocation data

* only for a signer whose chain ends in one of our trust roots (:func:`chains_to_trust_root`,
  decided offline from the certificates in the file); an untrusted upload causes no request;
* only from the responders in ``SIGNING_REVOCATION_URLS`` (default outside production: the test
  PKI's responder when one is set up; production lists the Government CA's OCSP/CRL addresses);
* never issuer certificates (``caIssuers``): the chain must come with the file or our roots;
* without following redirects, with ``SIGNING_FETCH_TIMEOUT`` seconds per request and at most
  ``MAX_REQUESTS`` requests per verification.
"""

from __future__ import annotations

import asyncio
import posixpath
from urllib.parse import unquote, urlsplit

import requests
from asn1crypto import x509
from django.conf import settings
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError
from pyhanko_certvalidator.fetchers.api import CertificateFetcher, FetcherBackend, Fetchers, FetchLimits
from pyhanko_certvalidator.fetchers.common_utils import FetchBudget
from pyhanko_certvalidator.fetchers.requests_fetchers.crl_client import RequestsCRLFetcher
from pyhanko_certvalidator.fetchers.requests_fetchers.ocsp_client import RequestsOCSPFetcher

from .signers import pki_dir, trust_roots

MAX_REQUESTS = 8


def allowed_urls() -> list[str]:
    """``SIGNING_REVOCATION_URLS``; unset outside production: the test PKI's responder, if any."""
    configured = getattr(settings, "SIGNING_REVOCATION_URLS", None)
    if configured or getattr(settings, "PRODUCTION", False):
        return list(configured or [])
    from . import pki

    found = pki.load(pki_dir())
    return [f"{found.url_prefix}/"] if found else []


def allowed(url: str, rules: list[str]) -> bool:
    """Same scheme, host and port as a rule, and a path under the rule's path. No user-info,
    no ``..``: an address is either plainly a listed responder's or refused."""
    try:
        target = urlsplit(url)
        port = target.port
    except ValueError:
        return False
    if target.scheme not in ("http", "https") or target.username or target.password or not target.hostname:
        return False
    path = unquote(target.path) or "/"
    if path != "/" and posixpath.normpath(path) != path.rstrip("/"):
        return False
    for rule in rules:
        expected = urlsplit(rule)
        if (target.scheme, target.hostname, port or _default_port(target.scheme)) != (
                expected.scheme, expected.hostname, expected.port or _default_port(expected.scheme)):
            continue
        prefix = expected.path or "/"
        if path == prefix.rstrip("/") or path.startswith(prefix if prefix.endswith("/") else prefix + "/"):
            return True
    return False


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


class _AllowListed:
    """The ``requests`` fetchers' transport, refusing addresses off the allow-list and redirects."""

    rules: list[str]

    def _refuse_unless_allowed(self, url: str) -> None:
        if not allowed(url, self.rules):
            raise requests.RequestException(f"{url} is not an allowed revocation responder")

    def _send(self, method: str, url: str, *, acceptable_content_types, **kwargs):
        self._refuse_unless_allowed(url)
        headers = {"Accept": ",".join(acceptable_content_types), "User-Agent": self.user_agent,
                   **kwargs.pop("headers", {})}
        response = requests.request(method, url, timeout=self.per_request_timeout, headers=headers,
                                    allow_redirects=False, **kwargs)
        if response.status_code != 200:
            raise requests.RequestException(f"status code {response.status_code}")
        return response

    def _get(self, url, *, acceptable_content_types):
        return asyncio.to_thread(self._send, "GET", url, acceptable_content_types=acceptable_content_types)

    def _post(self, url, data, *, content_type, acceptable_content_types):
        return asyncio.to_thread(self._send, "POST", url, acceptable_content_types=acceptable_content_types,
                                 data=data, headers={"Content-Type": content_type})


class AllowListedOCSPFetcher(_AllowListed, RequestsOCSPFetcher):
    pass


class AllowListedCRLFetcher(_AllowListed, RequestsCRLFetcher):
    pass


class NoCertificateFetcher(CertificateFetcher):
    """Issuer certificates are never fetched (``caIssuers`` URLs are ignored)."""

    async def fetch_cert_issuers(self, cert):
        return
        yield  # an empty asynchronous generator

    async def fetch_crl_issuers(self, certificate_list):
        return
        yield

    def fetched_certs(self):
        return []


class AllowListBackend(FetcherBackend):
    def __init__(self, rules: list[str], timeout: float):
        self.rules, self.timeout = rules, timeout

    def get_fetchers(self) -> Fetchers:
        budget = FetchBudget(FetchLimits(max_requests=MAX_REQUESTS, max_cert_requests=0, max_aia_urls_per_object=0))
        ocsp = AllowListedOCSPFetcher(per_request_timeout=self.timeout, budget=budget)
        crl = AllowListedCRLFetcher(per_request_timeout=self.timeout, budget=budget)
        ocsp.rules = crl.rules = self.rules
        return Fetchers(ocsp_fetcher=ocsp, crl_fetcher=crl, cert_fetcher=NoCertificateFetcher())


def backend() -> FetcherBackend | None:
    """The fetcher for one verification, or None when fetching is off or nothing is allowed."""
    rules = allowed_urls()
    if not getattr(settings, "SIGNING_VERIFY_FETCH", True) or not rules:
        return None
    return AllowListBackend(rules, float(getattr(settings, "SIGNING_FETCH_TIMEOUT", 5)))


async def chains_to_trust_root(cert: x509.Certificate, certs: list[x509.Certificate]) -> bool:
    """Whether a certification path from ``cert`` to one of our trust roots can be built from
    ``certs`` (those in the file) alone, without any network access."""
    context = ValidationContext(trust_roots=list(trust_roots()), other_certs=certs, allow_fetching=False)
    try:
        return bool(await context.path_builder.async_build_paths(cert))
    except PathBuildingError:
        return False
