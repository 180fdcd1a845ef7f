"""Every signature of the signing subsystem: confirming, signing (one document, the agency's seal at
issuance, batches) and the dossier-result integration. Certificates are registered and watched in
``signing.certificates``.

Signing by an official needs a fresh confirmation (xác nhận ký): password and one-time code, or
the one-time code alone shortly after a full confirmation. Every signature is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from . import appearance, pades, placement, signers
from .models import Certificate, CertificateKind, SignatureRecord

logger = logging.getLogger(__name__)


class SigningRefused(ValidationError):
    """The signature cannot be made (certificate, confirmation, document); shown to the user."""


class SigningUnavailable(SigningRefused):
    """The signing service cannot be reached now: the key's token, the timestamp authority or the
    certificate status (OCSP/CRL) responder. Nothing was signed; the official may try again."""

    def __init__(self, message=None):
        super().__init__(message or _(
            "Digital signing is unavailable at the moment: the signing token, the timestamp service or "
            "the certificate status service cannot be reached. Nothing has been signed; try again later."))


# --- confirmation --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Confirmation:
    user_id: int
    token: str
    expires_at: dt.datetime


def _minutes(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def confirm(user, *, password: str | None = None, totp: str | None = None) -> Confirmation:
    """Confirm the intention to sign. Password + TOTP always; the TOTP alone only within
    ``SIGNING_TOTP_ONLY_WINDOW_MINUTES`` (15) of a full confirmation. Valid for
    ``SIGNING_CONFIRMATION_MINUTES`` (5).

    The password (or the recent full confirmation) is checked first: only someone who proved
    it learns whether the account has a one-time-code device and whether the code was typed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    full_key = f"signing:full:{user.pk}"
    if password is not None:
        if not user.check_password(password):
            raise PermissionDenied(_("Wrong password."))
    elif not cache.get(full_key):
        raise PermissionDenied(_("Enter your password and one-time code to sign."))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise PermissionDenied(no_device_message())
    if not (totp or "").strip():
        raise PermissionDenied(_("Enter the one-time code shown by the authenticator app on your phone to sign."))
    allowed, why = device.verify_is_allowed()
    if not allowed and (why or {}).get("locked_until"):  # django-otp's pause after wrong codes
        raise PermissionDenied(_("Too many wrong one-time codes in a row. Wait until %(time)s, then enter the code "
                                 "your authenticator app shows.") % {
            "time": timezone.localtime(why["locked_until"]).strftime("%H:%M:%S")})
    if not device.verify_token(totp.strip()):
        raise PermissionDenied(_("The one-time code is wrong or has already been used. Enter the code your "
                                 "authenticator app shows now."))
    if password is not None:
        cache.set(full_key, True, _minutes("SIGNING_TOTP_ONLY_WINDOW_MINUTES", 15) * 60)
    minutes = _minutes("SIGNING_CONFIRMATION_MINUTES", 5)
    confirmation = Confirmation(user_id=user.pk, token=secrets.token_urlsafe(24),
                                expires_at=timezone.now() + dt.timedelta(minutes=minutes))
    cache.set(f"signing:confirm:{user.pk}:{confirmation.token}", True, minutes * 60)
    return confirmation


# Where an official sets up the one-time code (accounts: Account security › Set up two-step sign-in).
OTP_ENROLMENT_URL = "accounts:totp_setup"


def no_device_message() -> str:
    """What an official without a confirmed one-time-code device is told when they try to sign."""
    from django.urls import reverse

    return _("You have not set up a one-time code yet, so you cannot sign. Set it up on the page “Set up "
             "two-step sign-in” (%(url)s) under Account security, then sign again.") % {
        "url": reverse(OTP_ENROLMENT_URL)}


def check_confirmation(user, confirmation: Confirmation | None) -> None:
    """Refuse unless ``confirmation`` is ``user``'s own, fresh and not forged."""
    if (confirmation is None or confirmation.user_id != user.pk or confirmation.expires_at < timezone.now()
            or not cache.get(f"signing:confirm:{user.pk}:{confirmation.token}")):
        raise PermissionDenied(_("Signing needs a fresh confirmation (password and one-time code)."))


# --- certificates -------------------------------------------------------------------------------

def current_certificate(*, holder=None, agency=None, kind: str) -> Certificate:
    qs = Certificate.objects.filter(kind=kind, key__active=True).select_related("key").order_by("-not_after")
    qs = qs.filter(holder=holder) if holder is not None else qs.filter(agency=agency)
    for certificate in qs:
        if not certificate.problem():
            return certificate
    found = qs.first()
    raise SigningRefused(found.problem() if found else _("No usable certificate is registered."))


# --- signing ------------------------------------------------------------------------------------

def _appearance(certificate: Certificate) -> appearance.Appearance:
    key = certificate.key
    image = None
    if key.appearance_image:
        from PIL import Image

        with key.appearance_image.open("rb") as handle:
            image = Image.open(handle).convert("RGBA")
    if certificate.kind == CertificateKind.SEAL:
        agency = certificate.agency
        image = image or appearance.default_seal_image(agency.name if agency else certificate.common_name,
                                                  agency.code if agency else "")
        return appearance.Appearance(name=certificate.common_name, image=image, seal=True)
    return appearance.Appearance(name=certificate.common_name, image=image or appearance.default_signature_image(""))


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    """What the token (PKCS#11), the timestamp authority and the revocation fetch raise when they
    cannot serve; a revoked or expired certificate is a refusal, not an outage (checked first)."""
    import asyncio

    import aiohttp
    from pkcs11.exceptions import PKCS11Error
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko_certvalidator.errors import (
        CertificateFetchError,
        CRLFetchError,
        InsufficientRevinfoError,
        OCSPFetchError,
    )

    return (signers.DemoKeyRefused, PKCS11Error, TimestampRequestError, InsufficientRevinfoError, OCSPFetchError, CRLFetchError,
            CertificateFetchError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


def _causes(error: BaseException) -> list[BaseException]:
    """``error`` and the exceptions it was raised from (the chain Python would print)."""
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return found


@dataclass(frozen=True)
class Signed:
    """A signature made (bytes out of the token and the timestamp authority) and not recorded yet:
    the caller records it with :func:`record_signature` in the transaction that keeps the file."""

    pdf: bytes
    certificate: Certificate
    field_name: str
    input_sha256: str
    # The authority printed above the signature ("KT. GIÁM ĐỐC"…) and the delegation it rests on.
    authority: tuple[str, ...] = ()
    delegation_id: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def make_signature(*, pdf_bytes: bytes, certificate: Certificate, field_name: str, box: pades.Box | None,
                   fill: dict | None = None, timestamp: bool = True) -> Signed:
    """Sign with the key of ``certificate`` (PKCS#11), with a timestamp and the revocation data
    fetched over HTTP: seconds of network and token time, so it writes no row and must be called
    outside any transaction that holds locks. Raises SigningRefused or SigningUnavailable."""
    problem = certificate.problem()
    if problem:
        raise SigningRefused(problem)
    try:
        options = signature_options(certificate=certificate, field_name=field_name, box=box, fill=fill,
                                    timestamp=timestamp)
        signed = pades.sign(pdf_bytes, **options)
    except Exception as error:
        meaning = refusal(error, certificate=certificate, field_name=field_name)
        if meaning is error:
            raise
        raise meaning from error
    return Signed(pdf=signed, certificate=certificate, field_name=field_name,
                  input_sha256=hashlib.sha256(pdf_bytes).hexdigest())


def signature_options(*, certificate: Certificate, field_name: str, box: pades.Box | None, fill: dict | None = None,
                      timestamp: bool = True) -> dict:
    """What ``pades.sign`` is given to sign with ``certificate`` (see :func:`make_signature`); the
    token's errors (no such token…) are the caller's to translate with :func:`refusal`."""
    return {"signer": signers.for_signing_key(certificate.key), "field_name": field_name, "box": box,
            "appearance": _appearance(certificate) if box is not None else None,
            "timestamper": signers.timestamper() if timestamp else None,
            "validation_context": signers.signing_validation_context() if timestamp else None, "fill": fill}


def refusal(error: Exception, *, certificate: Certificate, field_name: str) -> Exception:
    """What a failed signature means for the signer: SigningRefused (revoked, expired),
    SigningUnavailable (token, timestamp or revocation service unreachable), or ``error`` itself."""
    from pyhanko_certvalidator.errors import ExpiredError, NotYetValidError, RevokedError

    # pyHanko wraps what went wrong (SigningError "could not be validated" from a revocation
    # fetch that failed, for example): the cause decides.
    causes = _causes(error)
    if any(isinstance(cause, RevokedError) for cause in causes):
        return SigningRefused(_("The certificate has been revoked."))
    if any(isinstance(cause, (ExpiredError, NotYetValidError)) for cause in causes):
        return SigningRefused(_("The certificate is not valid at this time (expired or not yet valid)."))
    if any(isinstance(cause, _unavailable_errors()) for cause in causes):
        logger.warning("signing unavailable (%s, key %s): %r", field_name, certificate.key, error)
        return SigningUnavailable()
    return error


def record_signature(signed: Signed, *, user, dossier_file=None, batch=None) -> SignatureRecord:
    """Record (and audit) a signature, in the caller's transaction."""
    certificate = signed.certificate
    row = SignatureRecord.objects.create(
        certificate=certificate, signer=user, kind=certificate.kind, field_name=signed.field_name,
        input_sha256=signed.input_sha256, output_sha256=signed.sha256, dossier_file=dossier_file, batch=batch)
    summary = {"event": "signed", "field": signed.field_name, "certificate": certificate.serial,
               "kind": certificate.kind, "sha256": row.output_sha256}
    if signed.authority:
        summary["authority"] = " / ".join(signed.authority)
    if signed.delegation_id is not None:  # signed in someone else's place (directory.delegations)
        summary["delegation"] = signed.delegation_id
    record(action="create", obj=row, agency_id=certificate.agency_id, summary=summary)
    return row


def sign_document(*, pdf_bytes: bytes, signer_user, field_name: str, box: pades.Box | None,
                  confirmation: Confirmation, timestamp: bool = True) -> bytes:
    """The official signs with their own certificate (PAdES B-LT, visible at ``box``)."""
    check_confirmation(signer_user, confirmation)
    certificate = current_certificate(holder=signer_user, kind=CertificateKind.PERSONAL)
    signed = make_signature(pdf_bytes=pdf_bytes, certificate=certificate, field_name=field_name, box=box,
                            timestamp=timestamp)
    with transaction.atomic():
        record_signature(signed, user=signer_user)
    return signed.pdf


# One rule for where the seal goes, used when the official's signature declares the seal's field and
# when the clerk seals (signing.placement.seal_box).
seal_box = pades.seal_box


def seal_signature(*, pdf_bytes: bytes, agency, number: str, issued_on: dt.date, official_box: pades.Box,
                   field_name: str = "DauCoQuan") -> Signed:
    """The agency's seal signature over a document the competent official has signed, filling its
    number and date in the same incremental update, which leaves the official's signature valid
    (Decree 30/2020/NĐ-CP, art. 15, 22). Writes nothing (see :func:`make_signature`)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    if not list(PdfFileReader(io.BytesIO(pdf_bytes), strict=False).embedded_regular_signatures):
        raise SigningRefused(_("The competent official has not signed this document yet."))
    certificate = current_certificate(agency=agency, kind=CertificateKind.SEAL)
    fill = {pades.NUMBER_FIELD: number,
            pades.DATE_FIELD: pades.date_text(issued_on)}
    return make_signature(pdf_bytes=pdf_bytes, certificate=certificate, field_name=field_name,
                          box=seal_box(official_box), fill=fill)


def issue_with_seal(*, pdf_bytes: bytes, clerk, agency, number: str, issued_on: dt.date,
                    official_box: pades.Box, field_name: str = "DauCoQuan") -> bytes:
    """The clerk (văn thư) issues a document outside the dossier flow: :func:`seal_signature`,
    recorded. Dossier results are issued by ``dossiers.results.issue_result``."""
    signed = seal_signature(pdf_bytes=pdf_bytes, agency=agency, number=number, issued_on=issued_on,
                            official_box=official_box, field_name=field_name)
    with transaction.atomic():
        record_signature(signed, user=clerk)
    return signed.pdf


# --- dossier results ------------------------------------------------------------------------------

RESULT_BOX = pades.Box(-1, 330, 90, 520, 175)
RESULT_FIELD = "ChuKyLanhDao"


def verification_url(sha256: str) -> str:
    return f"{settings.EGOV_PUBLIC_URL}/verify/?h={sha256}"


def result_signature(*, pdf_bytes: bytes, signer, confirmation: Confirmation, authority: tuple[str, ...] = (),
                     delegation_id: int | None = None) -> Signed:
    """The competent official's signature on a dossier's result: the QR code and link to its
    verification page, the empty number/date fields and the signer's ``authority`` (printed over
    the document's placeholder "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", the signature right under it, the
    signer's full name under that;
    without the placeholder, at ``RESULT_BOX``) are added, then signed (B-LT). Writes nothing:
    ``dossiers.results.sign_current_result`` is the door that checks, stores and records."""
    import dataclasses

    check_confirmation(signer, confirmation)
    certificate = current_certificate(holder=signer, kind=CertificateKind.PERSONAL)
    prepared, box = prepare_result(pdf_bytes, signer=signer, authority=authority)
    signed = make_signature(pdf_bytes=prepared, certificate=certificate, field_name=RESULT_FIELD, box=box)
    return dataclasses.replace(signed, authority=tuple(authority), delegation_id=delegation_id)


def prepare_result(pdf_bytes: bytes, *, signer, authority) -> tuple[bytes, pades.Box]:
    """The result ready for its signature (see :func:`result_signature`) and the signature's box."""
    placeholder = placement.locate_authority(pdf_bytes)
    box = placement.signature_box_under(placeholder) if placeholder is not None else RESULT_BOX
    prepared = pades.prepare(pdf_bytes, verification_url=verification_url(hashlib.sha256(pdf_bytes).hexdigest()),
                             authority=authority, authority_box=placeholder,
                             signer_name=signer.get_full_name() if placeholder is not None else "",
                             name_box=placement.name_box_under(box))
    return prepared, box


def is_signed(result_file) -> bool:
    return SignatureRecord.objects.filter(dossier_file=result_file).exists()
