"""For every demo role × action × task state: the task page offers an action exactly when its door
succeeds (work.policy is the one door)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from work import policy, services

from .conftest import user

PEOPLE = ["giamdoc.stp", "truongphong.stp", "chuyenvien.stp", "chuyenvien2.stp", "vanthu.stp", "motcua.stp",
          "chutich.ducxuan"]
STATES = ["open", "in_progress", "extension_pending", "awaiting_approval", "done", "cancelled"]


def door(action, task, actor, unit):
    later = task.due_on + dt.timedelta(days=3)
    rev = task.revision
    calls = {
        "report_progress": lambda: services.report_progress(task=task, acting_user=actor, percent=40, text="Đang làm",
                                                            expected_revision=rev),
        "request_extension": lambda: services.request_extension(task=task, acting_user=actor, new_due_on=later,
                                                                reason="Cần thêm thời gian", expected_revision=rev),
        "decide_extension": lambda: services.decide_extension(task=task, acting_user=actor, approve=True,
                                                              expected_revision=rev),
        "submit_completion": lambda: services.submit_completion(task=task, acting_user=actor, text="Xong",
                                                                expected_revision=rev),
        "approve_completion": lambda: services.approve_completion(task=task, acting_user=actor,
                                                                  expected_revision=rev),
        "reopen": lambda: services.reopen(task=task, acting_user=actor, reason="Chưa đạt", expected_revision=rev),
        "cancel": lambda: services.cancel(task=task, acting_user=actor, reason="Không cần nữa", expected_revision=rev),
        "add_subtask": lambda: services.create_task(acting_user=actor, agency=task.agency, parent=task,
                                                    title="Việc con", due_on=task.due_on, units_in_charge=[unit]),
    }
    try:
        with transaction.atomic():
            calls[action]()
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("state", STATES)
def test_offered_exactly_when_the_door_lets_through(state, make_task, unit):
    disagreements = []
    for username in PEOPLE:
        actor = user(username)
        for action in policy.ACTIONS:
            task = make_task(state)
            offered = action in policy.available_actions(actor, task)
            try:
                succeeded = door(action, task, actor, unit)
            except ValidationError as error:  # a valid request must never fail validation when offered
                disagreements.append((username, action, f"validation: {error}"))
                continue
            if offered != succeeded:
                disagreements.append((username, action, offered, succeeded))
    assert disagreements == []


EXPECTED = {  # (state) → who is offered what; everyone else is offered nothing
    "open": {"giamdoc.stp": {"cancel"},
             "truongphong.stp": {"report_progress", "request_extension", "submit_completion", "add_subtask"},
             "chuyenvien.stp": {"report_progress", "request_extension", "submit_completion"},
             "chuyenvien2.stp": {"report_progress"}},
    "extension_pending": {"giamdoc.stp": {"cancel", "decide_extension"},
                          "truongphong.stp": {"report_progress", "submit_completion", "add_subtask"},
                          "chuyenvien.stp": {"report_progress", "submit_completion"},
                          "chuyenvien2.stp": {"report_progress"}},
    "awaiting_approval": {"giamdoc.stp": {"approve_completion", "reopen", "cancel"}},
    "done": {"giamdoc.stp": {"reopen"}},
    "cancelled": {},
}


@pytest.mark.parametrize("state", sorted(EXPECTED))
def test_who_is_offered_what(state, make_task):
    task = make_task(state)
    offered = {name: set(policy.available_actions(user(name), task)) for name in PEOPLE}
    assert {name: actions for name, actions in offered.items() if actions} == EXPECTED[state]


def test_a_task_with_unfinished_sub_tasks_cannot_be_submitted(make_task):
    task = make_task("in_progress")
    make_task("open", parent=task, title="Việc con")
    assert not policy.decide(user("truongphong.stp"), task, "submit_completion")
    with pytest.raises(PermissionDenied):
        services.submit_completion(task=task, acting_user=user("truongphong.stp"))


def test_leaders_of_another_agency_see_nothing(make_task):
    task = make_task("open")
    assert policy.decide(user("chutich.ducxuan"), task, "cancel").allowed is False
    assert policy.available_actions(user("chutich.tinh"), task) == frozenset()
