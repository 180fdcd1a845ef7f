"""Every change of state of the signing subsystem: importing certificates, confirming, signing
(one document, the agency's seal at issuance, batches) and the dossier-result integration.

Signing by an official needs a fresh confirmation (xác nhận ký): password and one-time code, or
the one-time code alone shortly after a full confirmation. Every signature is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from asn1crypto import pem
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from . import pades, signers
from .models import BatchSigning, Certificate, CertificateKind, SignatureRecord, SigningKey


class SigningRefused(ValidationError):
    """The signature cannot be made (certificate, confirmation, document); shown to the user."""


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
    ``SIGNING_CONFIRMATION_MINUTES`` (5)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not totp:
        raise PermissionDenied(_("The one-time code is required to sign."))
    full_key = f"signing:full:{user.pk}"
    if password is not None:
        if not user.check_password(password):
            raise PermissionDenied(_("Wrong password."))
    elif not cache.get(full_key):
        raise PermissionDenied(_("Enter your password and one-time code to sign."))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(totp):
        raise PermissionDenied(_("Wrong or already used one-time code."))
    if password is not None:
        cache.set(full_key, True, _minutes("SIGNING_TOTP_ONLY_WINDOW_MINUTES", 15) * 60)
    minutes = _minutes("SIGNING_CONFIRMATION_MINUTES", 5)
    confirmation = Confirmation(user_id=user.pk, token=secrets.token_urlsafe(24),
                                expires_at=timezone.now() + dt.timedelta(minutes=minutes))
    cache.set(f"signing:confirm:{user.pk}:{confirmation.token}", True, minutes * 60)
    return confirmation


def _check_confirmation(user, confirmation: Confirmation | None) -> None:
    if (confirmation is None or confirmation.user_id != user.pk or confirmation.expires_at < timezone.now()
            or not cache.get(f"signing:confirm:{user.pk}:{confirmation.token}")):
        raise PermissionDenied(_("Signing needs a fresh confirmation (password and one-time code)."))


# --- certificates -------------------------------------------------------------------------------

def import_certificate(*, cert_pem: bytes, chain_pem: bytes = b"", kind: str, holder=None, agency=None,
                       token_label: str = "", key_label: str = "") -> Certificate:
    """Register a certificate (and where its key lives); refuses expired ones."""
    cert = signers.load_cert(cert_pem)
    not_before, not_after = cert["tbs_certificate"]["validity"]["not_before"].native, \
        cert["tbs_certificate"]["validity"]["not_after"].native
    if not_after < timezone.now():
        raise ValidationError(_("The certificate has expired."))
    chain = signers.load_chain(chain_pem)
    values = {
        "kind": kind, "holder": holder, "agency": agency, "subject": cert.subject.human_friendly[:500],
        "common_name": cert.subject.native.get("common_name", "")[:255], "issuer": cert.issuer.human_friendly[:500],
        "serial": format(cert.serial_number, "x"), "not_before": not_before, "not_after": not_after,
        "der": cert.dump(), "chain_pem": "".join(pem.armor("CERTIFICATE", c.dump()).decode() for c in chain),
    }
    with transaction.atomic():
        certificate, created = Certificate.objects.update_or_create(fingerprint=cert.sha256.hex(), defaults=values)
        if token_label and key_label:
            SigningKey.objects.update_or_create(certificate=certificate,
                                                defaults={"token_label": token_label, "key_label": key_label})
        record(action="create" if created else "update", obj=certificate,
               summary={"event": "certificate_imported", "serial": values["serial"], "kind": kind})
    return certificate


def certificates_expiring(at: dt.datetime | None = None):
    """Valid certificates that expire within ``SIGNING_EXPIRY_WARNING_DAYS`` (30)."""
    at = at or timezone.now()
    days = getattr(settings, "SIGNING_EXPIRY_WARNING_DAYS", 30)
    return Certificate.objects.filter(status="valid", not_after__gte=at, not_after__lte=at + dt.timedelta(days=days))


def warn_expiring(at: dt.datetime | None = None) -> int:
    """Tell the holder (or, for a seal, the agency's administrators and clerks) once, ahead of
    the expiry, that the certificate must be renewed with the CA."""
    from notifications.services import notify_officials

    at = at or timezone.now()
    warned = 0
    for certificate in certificates_expiring(at).filter(expiry_warned_at__isnull=True).select_related("agency"):
        if Certificate.objects.filter(pk=certificate.pk, expiry_warned_at__isnull=True).update(expiry_warned_at=at) != 1:
            continue
        title = _("Your signing certificate expires on %(date)s") % {
            "date": timezone.localtime(certificate.not_after).strftime("%d/%m/%Y")}
        body = _("Ask the certification authority to renew “%(name)s” before it expires: an expired "
                 "certificate cannot sign.") % {"name": certificate.common_name}
        if certificate.holder_id:
            notify_officials(agency_id=None, assignee=certificate.holder, title=title, body=body)
        elif certificate.agency_id:
            for role in ("agency_admin", "clerk"):
                notify_officials(agency_id=certificate.agency_id, role=role, title=title, body=body)
        warned += 1
    return warned


def current_certificate(*, holder=None, agency=None, kind: str) -> Certificate:
    qs = Certificate.objects.filter(kind=kind, key__active=True).select_related("key").order_by("-not_after")
    qs = qs.filter(holder=holder) if holder is not None else qs.filter(agency=agency)
    for certificate in qs:
        if not certificate.problem():
            return certificate
    found = qs.first()
    raise SigningRefused(found.problem() if found else _("No usable certificate is registered."))


# --- signing ------------------------------------------------------------------------------------

def _appearance(certificate: Certificate) -> pades.Appearance:
    key = certificate.key
    image = None
    if key.appearance_image:
        from PIL import Image

        with key.appearance_image.open("rb") as handle:
            image = Image.open(handle).convert("RGBA")
    if certificate.kind == CertificateKind.SEAL:
        agency = certificate.agency
        image = image or pades.default_seal_image(agency.name if agency else certificate.common_name,
                                                  agency.code if agency else "")
        return pades.Appearance(name=certificate.common_name, image=image, seal=True)
    return pades.Appearance(name=certificate.common_name, image=image or pades.default_signature_image(""))


def _sign(*, pdf_bytes: bytes, certificate: Certificate, user, field_name: str, box: pades.Box | None,
          fill: dict | None = None, dossier_file=None, batch=None, timestamp: bool = True) -> tuple[bytes, SignatureRecord]:
    problem = certificate.problem()
    if problem:
        raise SigningRefused(problem)
    signed = pades.sign(
        pdf_bytes, signer=signers.for_signing_key(certificate.key), field_name=field_name, box=box,
        appearance=_appearance(certificate) if box is not None else None,
        timestamper=signers.timestamper() if timestamp else None,
        validation_context=signers.signing_validation_context() if timestamp else None, fill=fill)
    row = SignatureRecord.objects.create(
        certificate=certificate, signer=user, kind=certificate.kind, field_name=field_name,
        input_sha256=hashlib.sha256(pdf_bytes).hexdigest(), output_sha256=hashlib.sha256(signed).hexdigest(),
        dossier_file=dossier_file, batch=batch)
    record(action="create", obj=row, agency_id=certificate.agency_id,
           summary={"event": "signed", "field": field_name, "certificate": certificate.serial,
                    "kind": certificate.kind, "sha256": row.output_sha256})
    return signed, row


def sign_document(*, pdf_bytes: bytes, signer_user, field_name: str, box: pades.Box | None,
                  confirmation: Confirmation, timestamp: bool = True) -> bytes:
    """The official signs with their own certificate (PAdES B-LT, visible at ``box``)."""
    _check_confirmation(signer_user, confirmation)
    certificate = current_certificate(holder=signer_user, kind=CertificateKind.PERSONAL)
    with transaction.atomic():
        signed, _row = _sign(pdf_bytes=pdf_bytes, certificate=certificate, user=signer_user,
                             field_name=field_name, box=box, timestamp=timestamp)
    return signed


def seal_box(official_box: pades.Box) -> pades.Box:
    """The seal overlaps the left third of the official's signature (Decree 30/2020, Appendix I)."""
    size = official_box.height * 1.15
    right = official_box.x1 + official_box.width / 3
    bottom = official_box.y1 + (official_box.height - size) / 2
    return pades.Box(official_box.page, right - size, bottom, right, bottom + size)


def issue_with_seal(*, pdf_bytes: bytes, clerk, agency, number: str, issued_on: dt.date,
                    official_box: pades.Box, field_name: str = "DauCoQuan") -> bytes:
    """The clerk (văn thư) issues a document already signed by the competent official: fills the
    number and date and applies the agency's seal signature in one incremental update, which
    leaves the official's signature valid (Decree 30/2020/NĐ-CP, art. 15, 22)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    if not list(PdfFileReader(io.BytesIO(pdf_bytes), strict=False).embedded_regular_signatures):
        raise SigningRefused(_("The competent official has not signed this document yet."))
    certificate = current_certificate(agency=agency, kind=CertificateKind.SEAL)
    fill = {pades.NUMBER_FIELD: number,
            pades.DATE_FIELD: f"ngày {issued_on.day:02d} tháng {issued_on.month:02d} năm {issued_on.year}"}
    with transaction.atomic():
        signed, _row = _sign(pdf_bytes=pdf_bytes, certificate=certificate, user=clerk, field_name=field_name,
                             box=seal_box(official_box), fill=fill)
    return signed


# --- dossier results ------------------------------------------------------------------------------

RESULT_BOX = pades.Box(-1, 330, 90, 520, 175)


def verification_url(sha256: str) -> str:
    base = getattr(settings, "SIGNING_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/verify/?h={sha256}"


def sign_dossier_result(*, result_file, signer, confirmation: Confirmation, batch=None):
    """Sign a dossier's result (DossierFile, purpose RESULT, PDF) for ``signer``: stamp the QR
    code and add the number/date fields, sign (B-LT), store a new RESULT file and mark the old one
    replaced. Returns the new DossierFile."""
    from django.core.files.base import ContentFile

    from dossiers.models import DossierFile, FilePurpose

    _check_confirmation(signer, confirmation)
    if result_file.purpose != FilePurpose.RESULT or result_file.extension.lower() != "pdf":
        raise SigningRefused(_("Only a result document in PDF can be signed."))
    if result_file.replaced:
        raise SigningRefused(_("This result has been replaced by a newer one."))
    certificate = current_certificate(holder=signer, kind=CertificateKind.PERSONAL)
    with result_file.file.open("rb") as handle:
        original = handle.read()
    prepared = pades.prepare(original, verification_url=verification_url(hashlib.sha256(original).hexdigest()))
    with transaction.atomic():
        signed, row = _sign(pdf_bytes=prepared, certificate=certificate, user=signer, field_name="ChuKyLanhDao",
                            box=RESULT_BOX, dossier_file=result_file, batch=batch)
        new = DossierFile(
            dossier_id=result_file.dossier_id, purpose=FilePurpose.RESULT, original_name=result_file.original_name,
            extension="pdf", content_type="application/pdf", size=len(signed),
            sha256=hashlib.sha256(signed).hexdigest(), uploaded_by=signer, uploaded_at=timezone.now())
        new.file.save(result_file.original_name, ContentFile(signed), save=False)
        new.save()
        DossierFile.objects.filter(pk=result_file.pk).update(replaced=True)
        row.dossier_file = new
        row.save(update_fields=["dossier_file"])
    return new


def is_signed(result_file) -> bool:
    return SignatureRecord.objects.filter(dossier_file=result_file).exists()


# --- batches ------------------------------------------------------------------------------------------

def batch_sign(*, result_files, signer, confirmation: Confirmation) -> BatchSigning:
    """Sign many results after one confirmation, each its own signature, in the background."""
    from .tasks import run_batch

    _check_confirmation(signer, confirmation)
    current_certificate(holder=signer, kind=CertificateKind.PERSONAL)
    ids = [f.pk for f in result_files]
    batch = BatchSigning.objects.create(created_by=signer, file_ids=ids, total=len(ids))
    record(action="create", obj=batch, summary={"event": "batch_signing_started", "total": len(ids)})
    from egov.tasks import enqueue

    enqueue(run_batch, batch.pk, confirmation.token, confirmation.expires_at.isoformat())
    return batch


def run_batch(batch_id: int, token: str, expires_at: str) -> BatchSigning:
    from dossiers.models import DossierFile

    batch = BatchSigning.objects.select_related("created_by").get(pk=batch_id)
    confirmation = Confirmation(user_id=batch.created_by_id, token=token,
                                expires_at=dt.datetime.fromisoformat(expires_at))
    BatchSigning.objects.filter(pk=batch.pk).update(status=BatchSigning.Status.RUNNING)
    errors = dict(batch.errors)
    for file_id in batch.file_ids:
        try:
            result_file = DossierFile.objects.get(pk=file_id)
            sign_dossier_result(result_file=result_file, signer=batch.created_by, confirmation=confirmation,
                                batch=batch)
            BatchSigning.objects.filter(pk=batch.pk).update(done=models_f("done") + 1)
        except Exception as exc:  # noqa: BLE001 - one failure must not stop the batch
            errors[str(file_id)] = str(exc)[:300]
            BatchSigning.objects.filter(pk=batch.pk).update(failed=models_f("failed") + 1, errors=errors)
    BatchSigning.objects.filter(pk=batch.pk).update(status=BatchSigning.Status.DONE, finished_at=timezone.now())
    batch.refresh_from_db()
    record(action="update", obj=batch, summary={"event": "batch_signing_finished", "done": batch.done,
                                                "failed": batch.failed})
    return batch


def models_f(name: str):
    from django.db.models import F

    return F(name)
