"""dossiers.office.actions: one POST view per action; only what the policy allows goes through,
and a failed form keeps the official's text but never a password or one-time code."""

import pytest
from django.contrib.sessions.models import Session

from directory.demo import DEMO_PASSWORD
from dossiers import policy
from dossiers.models import Dossier
from dossiers.states import Status
from tests.dossier_scenarios import DESK, LEADER, SCENARIOS

QUEUE = "/workspace/dossiers/"
SECRET_CODE = "246810"


def _session_text(client) -> str:
    key = client.cookies["sessionid"].value
    return str(Session.objects.get(session_key=key).get_decoded())


@pytest.mark.parametrize("username", [LEADER, DESK])
def test_a_stale_signing_form_keeps_neither_the_password_nor_the_code(demo, procedure, sign_in, username):
    dossier = SCENARIOS["result drafted"](demo, procedure)
    client = sign_in(username)
    url = f"{QUEUE}{dossier.pk}/"
    response = client.post(url + "sign-result/", {
        "sign_result-revision": str(dossier.revision - 1),  # another official acted since the page was shown
        "sign_result-password": DEMO_PASSWORD, "sign_result-otp_token": SECRET_CODE})
    assert response.status_code == 302
    assert DEMO_PASSWORD not in _session_text(client) and SECRET_CODE not in _session_text(client)
    page = client.get(url).content.decode()
    assert DEMO_PASSWORD not in page and SECRET_CODE not in page


def test_a_refused_form_keeps_the_reasons_typed(demo, procedure, sign_in):
    dossier = SCENARIOS["submitted"](demo, procedure)
    client = sign_in(DESK)
    url = f"{QUEUE}{dossier.pk}/"
    client.post(url + "refuse-intake/", {"refuse_intake-revision": str(dossier.revision - 1),
                                         "refuse_intake-reasons": "Thiếu tờ khai có chữ ký"})
    assert "Thiếu tờ khai có chữ ký" in client.get(url).content.decode()


@pytest.mark.parametrize("scenario", ["submitted", "examining", "approving", "paused", "near due"])
def test_a_desk_officer_cannot_settle_a_dossier_through_any_url(demo, procedure, sign_in, scenario):
    dossier = SCENARIOS[scenario](demo, procedure)
    client = sign_in(DESK)
    for name in policy.OFFICE_ACTIONS:
        current = Dossier.objects.get(pk=dossier.pk)
        client.post(f"{QUEUE}{dossier.pk}/{name.replace('_', '-')}/", {
            f"{name}-revision": str(current.revision), f"{name}-note": "x", f"{name}-reasons": "x",
            f"{name}-reason": "x", f"{name}-how": "counter"})
        status = Dossier.objects.get(pk=dossier.pk).status
        assert status not in (Status.RESULT_READY, Status.COMPLETED), (scenario, name)
        assert status != Status.REFUSED or (scenario, name) == ("submitted", "refuse_intake"), (scenario, name)
        if status != current.status:
            break  # an allowed desk action moved it on (intake): the rest is another test


def test_another_agencys_dossier_is_404_for_every_action(demo, procedure, sign_in):
    dossier = SCENARIOS["examining"](demo, procedure)
    other = sign_in("motcua.backan")  # Phường Bắc Kạn's desk
    for name in policy.OFFICE_ACTIONS:
        response = other.post(f"{QUEUE}{dossier.pk}/{name.replace('_', '-')}/", {f"{name}-revision": "1"})
        assert response.status_code == 404, name
