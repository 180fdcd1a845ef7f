"""The applicant gets the result document only once it is issued and returned (COMPLETED):
never the unsigned draft or the merely signed copy, neither on the web nor through the API."""

import pytest
from django.test import Client

from api import services as tokens
from dossiers import workflow
from dossiers.models import DossierFile, FilePurpose
from tests.dossier_scenarios import DESK, SCENARIOS, birth_procedure

API = "/api/v1"
CITIZEN = "congdan@example.vn"


@pytest.fixture
def procedure(demo):
    return birth_procedure(demo)


def _api(demo):
    _token, secret = tokens.create_token(user=demo.users[CITIZEN], name="Ứng dụng thử")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _result(dossier) -> DossierFile:
    return DossierFile.objects.get(dossier=dossier, purpose=FilePurpose.RESULT, replaced=False)


@pytest.mark.parametrize("scenario", ["examining", "result drafted"])
def test_the_applicant_cannot_download_the_draft_result(demo, procedure, sign_in, scenario):
    dossier = SCENARIOS[scenario](demo, procedure)
    if scenario == "examining":
        from dossiers.results import prepare_result

        prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    draft = _result(dossier)
    citizen = sign_in(CITIZEN)
    assert citizen.get(f"/dossiers/files/{draft.pk}/").status_code == 404
    assert f"/dossiers/files/{draft.pk}/" not in citizen.get(f"/dossiers/my/{dossier.pk}/").content.decode()
    auth = _api(demo)
    detail = Client().get(f"{API}/dossiers/{dossier.code}", **auth).json()
    assert draft.pk not in [f["id"] for f in detail["files"]]
    assert Client().get(f"{API}/dossiers/{dossier.code}/files/{draft.pk}", **auth).status_code == 404
    assert sign_in("tuphap.ducxuan").get(f"/dossiers/files/{draft.pk}/").status_code == 200  # who prepared it


def test_the_applicant_downloads_the_issued_result_once_returned(demo, procedure, sign_in, registered):
    dossier = SCENARIOS["result issued"](demo, procedure)
    issued = _result(dossier)
    citizen, auth = sign_in(CITIZEN), _api(demo)
    assert citizen.get(f"/dossiers/files/{issued.pk}/").status_code == 404  # issued, not returned yet
    workflow.return_result(dossier=dossier, acting_user=demo.users[DESK])
    assert citizen.get(f"/dossiers/files/{issued.pk}/").status_code == 200
    detail = Client().get(f"{API}/dossiers/{dossier.code}", **auth).json()
    assert issued.pk in [f["id"] for f in detail["files"]]
    assert Client().get(f"{API}/dossiers/{dossier.code}/files/{issued.pk}", **auth).status_code == 200
