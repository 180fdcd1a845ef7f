"""After signing in, the applicant lands where they were going (issue 10): the procedure's "Apply
online" button posts to a POST-only address, so a logged-out applicant is sent to the login with
the procedure's page as ``next``, never to the POST-only address (a blank 405); and ``next`` never
leads off the platform (no open redirect)."""

import pytest
from django.urls import reverse

from directory.demo import DEMO_PASSWORD
from dossiers.models import Dossier
from tests.factories import make_procedure

CITIZEN = "congdan@example.vn"


@pytest.fixture
def procedure(demo):
    return make_procedure(agencies=[demo.agencies["01840"]], code="9.000101")


def _apply(client, procedure, demo):
    return client.post(reverse("dossiers:start", args=[procedure.code]), {"agency": demo.agencies["01840"].pk})


def test_applying_logged_out_then_signing_in_lands_on_the_procedure_and_applies(client, demo, procedure):
    page = reverse("procedures:detail", args=[procedure.code])
    response = _apply(client, procedure, demo)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={page}"  # the page, not /dossiers/apply/…
    assert not Dossier.objects.exists()

    login_page = client.get(response.url)
    assert f'name="next" value="{page}"' in login_page.content.decode()
    signed_in = client.post(response.url, {"username": CITIZEN, "password": DEMO_PASSWORD, "next": page})
    assert signed_in.status_code == 302 and signed_in.url == page
    landed = client.get(signed_in.url)
    assert landed.status_code == 200
    assert "Nộp hồ sơ trực tuyến" in landed.content.decode()  # the button, one click away

    applied = _apply(client, procedure, demo)
    draft = Dossier.objects.get(applicant__email=CITIZEN)
    assert applied.status_code == 302 and applied.url == reverse("dossiers:draft", args=[draft.pk])


def test_apply_address_still_refuses_a_get(client, demo, procedure):
    assert client.get(reverse("dossiers:start", args=[procedure.code])).status_code == 405


def test_an_unknown_procedure_is_not_found_even_when_logged_out(client, demo):
    assert client.post(reverse("dossiers:start", args=["9.999999"])).status_code == 404


@pytest.mark.parametrize("target", [
    "https://evil.example/phishing",
    "//evil.example/phishing",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    "\\\\evil.example",
])
def test_next_never_leads_off_the_platform(client, demo, target):
    response = client.post(f"{reverse('accounts:login')}?next={target}",
                           {"username": CITIZEN, "password": DEMO_PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.url == reverse("portal:account")  # the citizen's own landing page instead


def test_next_on_the_platform_is_followed_through_the_second_factor(sign_in, demo, client):
    """A leader signs in with a one-time code: ``next`` survives the extra step."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import current_code

    target = reverse("workspace:home") + "?tab=mine"
    response = client.post(f"{reverse('accounts:login')}?next={target}",
                           {"username": "chutich.ducxuan", "password": DEMO_PASSWORD, "next": target})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/otp/")
    device = TOTPDevice.objects.get(user__username="chutich.ducxuan", confirmed=True)
    finished = client.post("/accounts/login/otp/", {"otp_token": current_code(device)})
    assert finished.status_code == 302 and finished.url == target
