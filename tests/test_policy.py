"""One place decides who may do what on a dossier (dossiers.policy). The central check: for every
demo user and a dossier in every state, the dossier's page offers exactly the actions whose door
opens for that user — each door is really called, inside a savepoint rolled back after it."""

import re

import pytest
from django.test import Client

from directory.demo import OFFICIALS, PORTAL_USERS
from dossiers import policy, states
from dossiers.models import Dossier
from dossiers.states import Status
from tests.dossier_scenarios import (
    DESK,
    DOORS,
    NEEDS_PKI,
    SCENARIOS,
    birth_procedure,
    confirmation,
    try_door,
)

USERS = [username for username, *_rest in OFFICIALS] + [email for email, *_rest in PORTAL_USERS]
QUEUE = "/workspace/dossiers/"


@pytest.fixture
def procedure(demo):
    return birth_procedure(demo)


def page_client(user) -> Client:
    """Signed in without the password round trip (the login itself is tested in test_accounts)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["egov_second_factor_checked"] = True
    session.save()
    return client


def offered_on_page(client: Client, dossier: Dossier) -> set[str]:
    response = client.get(f"{QUEUE}{dossier.pk}/")
    if response.status_code != 200:  # not an official, or not one who may read the dossier
        return set()
    urls = re.findall(rf'action="{QUEUE}{dossier.pk}/([a-z-]+)/"', response.content.decode())
    return {url.replace("-", "_") for url in urls} - {"control_slip"}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_page_offers_exactly_the_doors_that_open(scenario, test_pki, demo, procedure, request):
    # ``test_pki`` (session) is set up before the test's settings overrides, ``registered`` only
    # where signatures are made: real signatures and seals.
    if scenario in NEEDS_PKI or scenario == "result drafted":
        request.getfixturevalue("registered")
    dossier = SCENARIOS[scenario](demo, procedure)
    wrong = []
    for username in USERS:
        user = demo.users[username]
        offered = offered_on_page(page_client(user), dossier)
        assert offered == set(policy.available_actions(user, dossier)), username
        opened = set()
        for name in DOORS:
            succeeded, status = try_door(name, user, dossier, demo, confirmation)
            if succeeded:
                opened.add(name)
                # Each state is reached only through its own door.
                assert status == dossier.status or states.door(dossier.status, status) == name, (username, name)
        if offered != opened:
            wrong.append((username, sorted(offered - opened), sorted(opened - offered)))
    assert not wrong, f"{scenario}: (user, offered but refused, allowed but not offered): {wrong}"


def test_every_scenario_is_in_the_state_it_says(demo, procedure, registered):
    expected = {
        "submitted": Status.SUBMITTED, "supplement at intake": Status.SUPPLEMENT_REQUESTED,
        "examining": Status.IN_PROGRESS, "examining, assigned": Status.IN_PROGRESS,
        "supplement in processing": Status.SUPPLEMENT_REQUESTED, "paused": Status.PAUSED,
        "approving": Status.IN_PROGRESS, "near due": Status.IN_PROGRESS, "apology waiting": Status.IN_PROGRESS,
        "approved on paper": Status.RESULT_READY, "result drafted": Status.RESULT_READY,
        "result signed": Status.RESULT_READY, "result issued": Status.RESULT_READY,
        "completed": Status.COMPLETED, "refused at intake": Status.REFUSED, "withdrawn": Status.WITHDRAWN,
        "stopped": Status.STOPPED,
    }
    assert set(expected) == set(SCENARIOS)
    assert {s for s in Status.values if s != Status.DRAFT} <= set(expected.values())
    stages = {"approved on paper": "none", "result drafted": "draft", "result signed": "signed",
              "result issued": "issued"}
    for name, build in SCENARIOS.items():
        dossier = build(demo, procedure)
        assert dossier.status == expected[name], name
        if name in stages:
            assert policy.result_stage(dossier) == stages[name], name


# --- who acts next ------------------------------------------------------------------------------


def test_each_step_names_who_acts_next(demo, procedure, registered):
    ducxuan = demo.agencies["01840"]
    cases = {
        "submitted": ("desk_officer", ducxuan),
        "supplement at intake": ("applicant", None),
        "examining": ("specialist", ducxuan),
        "approving": ("agency_leader", ducxuan),
        "result drafted": ("agency_leader", ducxuan),  # the issuing agency's leader signs
        "result signed": ("clerk", ducxuan),  # its clerk issues
        "result issued": ("desk_officer", ducxuan),  # the receiving desk returns it
        "approved on paper": ("desk_officer", ducxuan),
        "completed": None,
        "stopped": None,
    }
    for name, expected in cases.items():
        actor = policy.next_actor(SCENARIOS[name](demo, procedure))
        assert (None if actor is None else (actor.role, actor.agency)) == expected, name


def test_the_desk_and_the_leader_are_not_offered_to_return_an_unissued_result(demo, procedure, registered):
    for name in ("result drafted", "result signed"):
        dossier = SCENARIOS[name](demo, procedure)
        for username in (DESK, "chutich.ducxuan"):
            assert "return_result" not in policy.available_actions(demo.users[username], dossier), (name, username)
    dossier = SCENARIOS["result issued"](demo, procedure)
    assert "return_result" in policy.available_actions(demo.users[DESK], dossier)
    assert "return_result" not in policy.available_actions(demo.users["chutich.ducxuan"], dossier)


def test_a_refusal_says_why(demo, procedure):
    dossier = SCENARIOS["examining"](demo, procedure)
    decision = policy.decide(demo.users[DESK], dossier, "approve")
    assert not decision and decision.reason
    assert policy.decide(demo.users["tuphap.ducxuan"], dossier, "forward")
