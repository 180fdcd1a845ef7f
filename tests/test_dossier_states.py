"""The dossier state machine: each transition belongs to exactly one door, the generic change of
state is private and refuses every other door, final states have no way out, and no public
function lets a desk officer settle a dossier without the approving step."""

import inspect
import itertools

import pytest

from dossiers import policy, services, states, workflow
from dossiers.models import Dossier
from dossiers.states import Status
from tests.dossier_scenarios import DESK, DOORS, SCENARIOS, birth_procedure, confirmation, try_door

DOOR_NAMES = sorted(set(states.TRANSITIONS.values()))


@pytest.fixture
def procedure(demo):
    return birth_procedure(demo)


def test_every_transition_has_one_door_that_policy_or_the_applicant_owns():
    for (source, target), door in states.TRANSITIONS.items():
        assert door in policy.ACTIONS or door == "submit", (source, target, door)
        assert (door in states.APPLICANT_DOORS) == (states.allowed(source, target) == states.APPLICANT)
    assert set(states.TRANSITIONS.values()) - states.APPLICANT_DOORS <= set(policy.OFFICE_ACTIONS)


def test_the_generic_transition_is_not_public():
    assert not hasattr(services, "transition") and not hasattr(workflow, "transition")
    for module in (services, workflow):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                assert "to" not in inspect.signature(function).parameters, f"{module.__name__}.{name}"


@pytest.mark.parametrize("source, target", list(itertools.product(Status.values, Status.values)))
def test_a_move_is_made_only_by_its_own_door(demo, procedure, source, target):
    dossier = SCENARIOS["submitted"](demo, procedure)
    desk = demo.users[DESK]
    for door in DOOR_NAMES:
        Dossier.objects.filter(pk=dossier.pk).update(status=source)
        try:
            moved = services._transition(dossier=dossier, to=target, acting_user=desk, via=door).status == target
        except services.TransitionRefused:
            moved = False
        assert moved is (states.door(source, target) == door), (source, target, door)


def test_final_states_have_no_way_out():
    for final in states.FINAL:
        assert not [t for (s, t) in states.TRANSITIONS if s == final]


def test_a_stale_revision_loses_with_a_clear_message(demo, procedure):
    dossier = SCENARIOS["submitted"](demo, procedure)
    seen = Dossier.objects.get(pk=dossier.pk).revision
    desk = demo.users[DESK]
    workflow.accept(dossier=dossier, acting_user=desk, expected_revision=seen,
                    unit=demo.units[("01840", "Tư pháp - Hộ tịch")])
    with pytest.raises(services.StaleDossier, match="vừa được người khác thay đổi|just changed"):
        workflow.request_supplement(dossier=dossier, acting_user=desk, missing=["x"], expected_revision=seen)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS


SETTLED = {Status.RESULT_READY, Status.REFUSED, Status.COMPLETED}


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if not s.startswith("result")])
def test_a_desk_officer_never_settles_a_dossier_without_the_approving_step(demo, procedure, scenario):
    """The desk refuses at intake (Mẫu 03) and returns an approved result; nothing else of theirs
    leads to a settled dossier — whatever door they try, in whatever state."""
    dossier = SCENARIOS[scenario](demo, procedure)
    for username in (DESK, "motcua.backan", "motcua.stp"):
        for name in DOORS:
            opened, status = try_door(name, demo.users[username], dossier, demo, confirmation)
            if opened and status in SETTLED and status != dossier.status:
                assert (dossier.status, status, name) in {
                    (Status.SUBMITTED, Status.REFUSED, "refuse_intake"),
                    (Status.RESULT_READY, Status.COMPLETED, "return_result"),
                }, (username, name)
