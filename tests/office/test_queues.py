"""dossiers.office.queues: each role's work list, including the clerk's issuance step; another
agency's dossiers are neither listed nor assignable."""

from dossiers.models import Dossier
from tests.dossier_scenarios import CLERK, DESK, LEADER, SCENARIOS

QUEUE = "/workspace/dossiers/"


def test_the_clerk_finds_the_signed_result_waiting_for_issuance(demo, procedure, sign_in, registered):
    signed = SCENARIOS["result signed"](demo, procedure)
    drafted = SCENARIOS["result drafted"](demo, procedure)
    clerk = sign_in(CLERK)
    listing = clerk.get(QUEUE).content.decode()
    assert 'href="?tab=issue"' in listing
    issue = clerk.get(QUEUE + "?tab=issue").content.decode()
    assert signed.code in issue and drafted.code not in issue  # not signed yet: the leader's turn
    assert 'href="?tab=issue"' not in sign_in(DESK).get(QUEUE).content.decode()
    # The desk returns only what can be returned: not a result still to sign or issue.
    results = sign_in(DESK).get(QUEUE + "?tab=results").content.decode()
    assert signed.code not in results and drafted.code not in results


def test_the_desk_lists_an_issued_result_to_return(demo, procedure, sign_in, registered):
    desk, clerk = sign_in(DESK), sign_in(CLERK)  # before the clerk's one-time code is used to issue
    issued = SCENARIOS["result issued"](demo, procedure)
    assert issued.code in desk.get(QUEUE + "?tab=results").content.decode()
    assert issued.code not in clerk.get(QUEUE + "?tab=issue").content.decode()


def test_another_agencys_dossier_is_neither_listed_nor_assignable(demo, procedure, sign_in):
    dossier = SCENARIOS["examining"](demo, procedure)
    other = sign_in("motcua.backan")
    assert dossier.code not in other.get(QUEUE + "?tab=all").content.decode()
    leader = sign_in(LEADER)
    assert dossier.code in leader.get(QUEUE + "?tab=assign").content.decode()
    other.post(QUEUE + "assign/", {"dossier": [dossier.pk], "assignee": demo.users["tuphap.ducxuan"].pk,
                                   f"revision-{dossier.pk}": dossier.revision})
    assert Dossier.objects.get(pk=dossier.pk).current_step.assignee_id is None
