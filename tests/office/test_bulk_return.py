"""Bulk return of issued results (trả kết quả điện tử) from the desk's "results to return" tab:
each dossier through the door dossiers.workflow.return_result, which asks dossiers.policy; one
refused is reported with its reason and left as it was; the checkbox is offered exactly where
the return is allowed."""

import pytest
from django.contrib.messages import get_messages
from django.utils import translation
from django.utils.translation import gettext

from dossiers import policy
from dossiers.models import Dossier
from dossiers.result_state import result_stage
from dossiers.states import Status
from tests.dossier_scenarios import DESK, SCENARIOS

QUEUE = "/workspace/dossiers/"
RETURN = QUEUE + "return-results/"


@pytest.fixture
def results(demo, procedure, registered):
    """Two issued results, a result on paper, a result signed but not issued yet."""
    return {name: SCENARIOS[scenario](demo, procedure) for name, scenario in (
        ("issued", "result issued"), ("issued too", "result issued"), ("paper", "approved on paper"),
        ("signed", "result signed"))}


def _post(client, dossiers: list[Dossier], revisions: dict | None = None):
    revisions = revisions or {}
    data = {"dossier": [d.pk for d in dossiers], "next": QUEUE + "?tab=results"}
    data.update({f"revision-{d.pk}": revisions.get(d.pk, d.revision) for d in dossiers})
    response = client.post(RETURN, data)
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def test_the_desk_returns_the_issued_results_and_hears_why_others_were_not(demo, results, sign_in):
    issued, stale, paper, signed = results["issued"], results["issued too"], results["paper"], results["signed"]
    response, said = _post(sign_in(DESK), [issued, stale, paper, signed], revisions={stale.pk: stale.revision - 1})
    assert response.status_code == 302 and response.url == QUEUE + "?tab=results"
    states = dict(Dossier.objects.filter(pk__in=[d.pk for d in results.values()]).values_list("pk", "status"))
    assert states == {issued.pk: Status.COMPLETED, stale.pk: Status.RESULT_READY, paper.pk: Status.RESULT_READY,
                      signed.pk: Status.RESULT_READY}
    assert said[0] == f"Đã trả kết quả điện tử 1 hồ sơ: {issued.code}"
    refused = said[1:]
    assert len(refused) == 3 and all(line.startswith("Chưa trả được: ") for line in refused)
    assert refused[0].startswith(f"Chưa trả được: {stale.code}: Hồ sơ vừa được người khác thay đổi.")
    with translation.override("vi"):
        on_paper = gettext("There is no electronic result to download: hand the result over at the counter.")
        not_issued = gettext("An electronic result must be signed and issued before it is returned.")
    assert refused[1] == f"Chưa trả được: {paper.code}: {on_paper}"
    assert refused[2] == f"Chưa trả được: {signed.code}: {not_issued}"
    assert Dossier.objects.get(pk=issued.pk).events.last().note == "Đã trả kết quả điện tử"


def test_another_desk_cannot_return_them(demo, results, sign_in):
    _response, said = _post(sign_in("motcua.backan"), [results["issued"]])
    assert Dossier.objects.get(pk=results["issued"].pk).status == Status.RESULT_READY
    assert not any(results["issued"].code in line for line in said)  # not even told it exists


def test_the_checkbox_is_offered_exactly_where_the_return_is_allowed(demo, results, sign_in):
    desk = demo.users[DESK]
    page = sign_in(DESK).get(QUEUE + "?tab=results").content.decode()
    assert f'action="{RETURN}"' in page
    for dossier in results.values():
        fresh = Dossier.objects.get(pk=dossier.pk)
        allowed = bool(policy.decide(desk, fresh, "return_result")) and result_stage(fresh) == "issued"
        assert (f'name="dossier" value="{dossier.pk}"' in page) == allowed, dossier.code
    assert f'name="dossier" value="{results["issued"].pk}"' in page
    assert "kết quả giấy, trả tại quầy" in page  # the paper result: handed over at the counter


def test_nothing_chosen_is_said_so(demo, sign_in):
    _response, said = _post(sign_in(DESK), [])
    assert said == ["Hãy chọn các kết quả cần trả."]
