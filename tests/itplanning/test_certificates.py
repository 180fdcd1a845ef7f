"""The signing certificates are listed in the inventory as read-only copies, and alerted."""

import datetime as dt

from django.utils import timezone

from itplanning import certificates, policy
from itplanning.models import Asset, AssetKind
from signing.models import Certificate, CertificateKind


def test_a_seal_certificate_is_listed_for_its_agency_and_refreshed_not_duplicated(demo):
    now = timezone.now()
    certificate = Certificate.objects.create(
        kind=CertificateKind.SEAL, agency=demo.agencies["STP"], subject="CN=Sở Tư pháp", common_name="Sở Tư pháp",
        issuer="CN=CA thử nghiệm", serial="0A1B", fingerprint="f" * 64, not_before=now - dt.timedelta(days=300),
        not_after=now + dt.timedelta(days=20), der=b"\x30\x00")
    assert certificates.synchronise() == 1
    asset = Asset.objects.get(signing_certificate=certificate)
    assert (asset.kind, asset.agency, asset.expires_on) == (
        AssetKind.CERTIFICATE, demo.agencies["STP"], timezone.localtime(certificate.not_after).date())
    assert certificates.synchronise() == 0
    certificate.not_after = now + dt.timedelta(days=400)
    certificate.save()
    assert certificates.synchronise() == 1
    asset.refresh_from_db()
    assert asset.expires_on == timezone.localtime(certificate.not_after).date()
    assert Asset.objects.filter(signing_certificate=certificate).count() == 1
    assert not policy.decide_asset(demo.users["quantri.stp"], asset)  # changed in the signing app only
