"""Without the softhsm2 package the demo still signs and issues results: the test PKI's keys stay
files, registered on a pseudo-token (decision 0021). Production mode never signs with such a key."""

import pytest

from dossiers import results
from signing import services as signing
from signing import setup, signers
from signing.models import SigningKey
from tests.test_signing import assert_pdfsig_valid
from tests.test_signing_flow import (  # noqa: F401 (the fixture resets the confirmations between tests)
    DUCXUAN,
    _one_confirmation_per_user,
    approved_at,
    confirmed,
    with_totp,
)

pytestmark = pytest.mark.requires_tools("pdfsig", "certutil")


@pytest.fixture
def software_keys(registered):
    """The demo's certificates registered as ``egov demo`` does on a machine without softhsm2."""
    setup.register_demo(registered, token=signers.SOFTWARE_TOKEN)
    signers.clear()
    yield registered
    signers.clear()


def test_the_demo_signs_and_issues_with_software_keys(software_keys, demo, nss_db, tmp_path):
    assert set(SigningKey.objects.values_list("token_label", flat=True)) == {signers.SOFTWARE_TOKEN}
    leader, clerk = demo.users[DUCXUAN["leader"]], demo.users[DUCXUAN["clerk"]]
    with_totp(clerk)
    dossier = approved_at(demo, DUCXUAN)
    results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=confirmed(leader))
    issued = results.issue_result(dossier=dossier, acting_user=clerk, confirmation=confirmed(clerk))
    assert issued.issue_number
    with issued.file.open("rb") as handle:
        pdf = handle.read()
    assert_pdfsig_valid(pdf, nss_db, tmp_path, 2)  # the leader's signature and the seal, both valid


def test_production_mode_never_signs_with_a_demo_software_key(software_keys, demo, settings):
    leader = demo.users[DUCXUAN["leader"]]
    dossier = approved_at(demo, DUCXUAN)
    confirmation = confirmed(leader)
    settings.PRODUCTION = True
    with pytest.raises(signing.SigningUnavailable):
        results.sign_current_result(dossier=dossier, acting_user=leader, confirmation=confirmation)
    assert not results.is_signed(results.result_for(dossier))
