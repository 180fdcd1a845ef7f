"""The dossier state machine: every allowed transition works for the right actor, every other
transition is refused for everyone; concurrent officials cannot both win."""

import itertools

import pytest

from dossiers import services, states
from dossiers.models import Dossier
from dossiers.states import Status
from tests.factories import BIRTH_VALUES, make_procedure


@pytest.fixture
def dossier(demo):
    birth = make_procedure(agencies=[demo.agencies["01840"]])
    citizen = demo.users["congdan@example.vn"]
    draft = services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
    return draft


ACTORS = {
    "applicant": "congdan@example.vn",
    "other citizen": "doanhnghiep@example.vn",
    "desk officer in scope": "motcua.ducxuan",
    "desk officer of another agency": "motcua.backan",
    "specialist of another agency": "chuyenvien.stp",
    "province administrator": "quantri.tinh",
}


def _expected(source, target, actor_name):
    who = states.allowed(source, target)
    if who is None:
        return False
    if who == states.APPLICANT:
        return actor_name == "applicant"
    return actor_name == "desk officer in scope"


@pytest.mark.parametrize("source, target", list(itertools.product(Status.values, Status.values)))
def test_transition_table(dossier, demo, source, target):
    if source == Status.DRAFT and target == Status.SUBMITTED:
        pytest.skip("submission has its own door (services.submit), tested in test_dossiers_submit")
    for actor_name, username in ACTORS.items():
        Dossier.objects.filter(pk=dossier.pk).update(status=source)
        expected = _expected(source, target, actor_name)
        try:
            result = services.transition(dossier=dossier, to=target, actor=demo.users[username])
            done = result.status == target
        except services.TransitionRefused:
            done = False
        assert done is expected, (source, target, actor_name)


def test_final_states_have_no_way_out():
    for final in states.FINAL:
        assert not [t for (s, t) in states.TRANSITIONS if s == final]


def test_a_stale_revision_loses_with_a_clear_message(dossier, demo):
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.SUBMITTED)
    seen = Dossier.objects.get(pk=dossier.pk).revision
    officer = demo.users["motcua.ducxuan"]
    services.transition(dossier=dossier, to=Status.IN_PROGRESS, actor=officer, expected_revision=seen)
    with pytest.raises(services.StaleDossier, match="vừa được người khác thay đổi|just changed"):
        services.transition(dossier=dossier, to=Status.SUPPLEMENT_REQUESTED, actor=officer, expected_revision=seen)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROGRESS
