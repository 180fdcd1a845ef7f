"""The signing certificates listed in the IT asset inventory: a read-only copy of each
``signing.models.Certificate``'s holder agency and validity, so that its expiry is alerted with the
other assets. The signing app stays the source: the copy is refreshed here, never edited.

A seal certificate belongs to its agency; an official's certificate to the agency of the official's
current membership (the first, when several); a certificate with neither is left out.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership
from signing.models import Certificate, CertificateKind, CertificateStatus

from .models import Asset, AssetKind


def _agency_of(certificate: Certificate) -> int | None:
    if certificate.agency_id:
        return certificate.agency_id
    if certificate.holder_id:
        return (Membership.objects.valid_on().filter(official_id=certificate.holder_id).order_by("pk")
                .values_list("agency_id", flat=True).first())
    return None


@transaction.atomic
def synchronise() -> int:
    """Create or refresh the asset of every signing certificate; returns how many changed."""
    changed = 0
    for certificate in Certificate.objects.all():
        agency_id = _agency_of(certificate)
        if agency_id is None:
            continue
        label = _("Seal certificate") if certificate.kind == CertificateKind.SEAL else _("Signing certificate")
        values = {
            "kind": AssetKind.CERTIFICATE, "name": f"{label}: {certificate.common_name}"[:300],
            "agency_id": agency_id, "identifier": certificate.serial, "supplier": certificate.issuer[:255],
            "starts_on": timezone.localtime(certificate.not_before).date(),
            "expires_on": timezone.localtime(certificate.not_after).date(),
            "active": certificate.status == CertificateStatus.VALID,
        }
        asset = Asset.objects.filter(signing_certificate=certificate).first()
        if asset is None:
            Asset.objects.create(signing_certificate=certificate, **values)
            changed += 1
        elif any(getattr(asset, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(asset, name, value)
            asset.save()
            changed += 1
    return changed
