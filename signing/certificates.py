"""The certificates the platform signs with: registering one (and where its key lives) and telling
holders ahead of expiry that it must be renewed."""

from __future__ import annotations

import datetime as dt

from asn1crypto import pem
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from . import signers
from .models import Certificate, SigningKey


def import_certificate(*, cert_pem: bytes, chain_pem: bytes = b"", kind: str, holder=None, agency=None,
                       token_label: str = "", key_label: str = "", reissued: bool = False) -> Certificate:
    """Register a certificate (and where its key lives); refuses expired ones. A certificate with
    the issuer and serial number of a registered one but other contents is refused, unless
    ``reissued`` (the test PKI issues its certificates again when its responder moves to another
    port): the registered one is then replaced in place."""
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
    fingerprint = cert.sha256.hex()
    with transaction.atomic():
        same_serial = Certificate.objects.filter(issuer=values["issuer"], serial=values["serial"]).exclude(
            fingerprint=fingerprint).select_for_update().first()
        if same_serial is not None and not reissued:
            raise ValidationError(_("Another certificate with this issuer and serial number is already registered."))
        if same_serial is not None:
            Certificate.objects.filter(pk=same_serial.pk).update(fingerprint=fingerprint)
        certificate, created = Certificate.objects.update_or_create(fingerprint=fingerprint, defaults=values)
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
    from egov.tasks import enqueue

    at = at or timezone.now()
    warned = 0
    for certificate in certificates_expiring(at).filter(expiry_warned_at__isnull=True).select_related("agency"):
        if Certificate.objects.filter(pk=certificate.pk, expiry_warned_at__isnull=True).update(expiry_warned_at=at) != 1:
            continue
        title = _("Your signing certificate expires on %(date)s") % {
            "date": timezone.localtime(certificate.not_after).strftime("%d/%m/%Y")}
        body = _("Ask the certification authority to renew “%(name)s” before it expires: an expired "
                 "certificate cannot sign.") % {"name": certificate.common_name}
        # By the task's name (notifications sits above signing, decision 0010), with the flag above.
        notice = {"dossier_id": None, "unit_id": None, "title": title, "body": body,
                  "key": f"certificate-expiry:{certificate.pk}"}
        if certificate.holder_id:
            enqueue("notifications.notify_officials", agency_id=None, role=None,
                    assignee_id=certificate.holder_id, **notice)
        elif certificate.agency_id:
            for role in ("agency_admin", "clerk"):
                enqueue("notifications.notify_officials", agency_id=certificate.agency_id, role=role,
                        assignee_id=None, **notice)
        warned += 1
    return warned
