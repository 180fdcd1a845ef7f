"""Detached CMS signatures over arbitrary bytes (chữ ký số tách rời), for what is not a PDF: the
exchange's edXML packages are signed with the sending agency's seal this way (decision 0032).

The key stays where it lives (PKCS#11 token, or the demo's software key) and pyHanko assembles
the CMS (``Signer.async_sign_general_data``), as for PDF signatures; verification is pyHanko's
generic CMS validation against :func:`signing.signers.trust_roots`, with revocation data fetched
only for a chain to our roots and only from the allow-listed responders
(:mod:`signing.verify_fetch`, soft-fail: an unreachable responder does not refuse a signature).
"""

from __future__ import annotations

from asn1crypto import cms
from pyhanko.sign.general import extract_certificate_info
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from . import aio, signers, verify_fetch


class InvalidSignature(Exception):
    """A detached signature that does not hold. ``kind``: ``unreadable`` (not a CMS signature),
    ``altered`` (the data or the signature changed), ``untrusted`` (no chain to a trusted root, or
    the certificate is not valid now), ``revoked``."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


def sign_detached(data: bytes, certificate) -> bytes:
    """The DER of a detached CMS SignedData over ``data``, with the key of ``certificate`` (a
    :class:`signing.models.Certificate` with its key). Raises
    :class:`signing.services.SigningUnavailable` when the token cannot be used now."""
    from .services import SigningRefused, SigningUnavailable

    problem = certificate.problem()
    if problem:
        raise SigningRefused(problem)
    try:
        signer = signers.for_signing_key(certificate.key)
        content = aio.run(signer.async_sign_general_data(data, "sha256", detached=True))
    except signers.DemoKeyRefused as error:
        raise SigningUnavailable from error
    except Exception as error:
        from pkcs11.exceptions import PKCS11Error

        if isinstance(error, PKCS11Error):
            raise SigningUnavailable from error
        raise
    return content.dump()


def _signed_data(der: bytes) -> cms.SignedData:
    try:
        info = cms.ContentInfo.load(der)
        if info["content_type"].native != "signed_data":
            raise ValueError("not a SignedData")
        signed = info["content"]
        signed.native  # noqa: B018 - parse it all now: a damaged structure is "unreadable", not a crash later
        return signed
    except Exception as error:  # noqa: BLE001 - any decoding failure
        raise InvalidSignature("unreadable", str(error)) from None


async def _validate(data: bytes, signed: cms.SignedData):
    found = extract_certificate_info(signed)
    trusted_chain = await verify_fetch.chains_to_trust_root(found.signer_cert, found.other_certs)
    fetcher = verify_fetch.backend() if trusted_chain else None
    kwargs: dict = {"trust_roots": list(signers.trust_roots()), "other_certs": found.other_certs,
                    "revocation_mode": "soft-fail"}
    if fetcher is not None:
        kwargs.update(allow_fetching=True, fetcher_backend=fetcher)
    return await async_validate_detached_cms(data, signed, signer_validation_context=ValidationContext(**kwargs))


def verify_detached(data: bytes, der: bytes) -> str:
    """The signer's subject if ``der`` is a valid detached signature of ``data`` by a certificate
    that chains to a trusted root and was not revoked; raises :class:`InvalidSignature`."""
    signed = _signed_data(der)
    try:
        status = aio.run(_validate(data, signed))
    except Exception as error:  # noqa: BLE001 - pyHanko refuses what it cannot process
        raise InvalidSignature("unreadable", str(error)) from None
    if not status.intact or not status.valid:
        raise InvalidSignature("altered")
    if status.revoked:
        raise InvalidSignature("revoked")
    if not status.trusted:
        raise InvalidSignature("untrusted", status.trust_problem_indic.name if status.trust_problem_indic else "")
    return status.signing_cert.subject.human_friendly
