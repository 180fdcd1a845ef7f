"""Scenarios for the work tests: the demo's Sở Tư pháp, a task given by its director to the
"Phòng Hành chính tư pháp" (in charge) with chuyenvien2.stp cooperating, put in any state."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from directory.models import OrgUnit
from work.models import AssigneeRole, ExtensionRequest, Task, TaskAssignee, TaskStatus

UNIT = "Phòng Hành chính tư pháp"


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def stp(demo):
    return demo.agencies["STP"]


@pytest.fixture
def unit(stp):
    return OrgUnit.objects.get(agency=stp, name=UNIT)


@pytest.fixture
def make_task(stp, unit):
    def _make(state="open", *, due_on=None, by="giamdoc.stp", title="Rà soát thủ tục", agency=None,
              main_unit=True, main_person=None, parent=None):
        task = Task.objects.create(agency=agency or stp, title=title, assigned_by=user(by), parent=parent,
                                   due_on=due_on or timezone.localdate() + dt.timedelta(days=14))
        if main_unit:
            TaskAssignee.objects.create(task=task, unit=unit, role=AssigneeRole.MAIN)
        if main_person:
            TaskAssignee.objects.create(task=task, person=user(main_person), role=AssigneeRole.MAIN)
        TaskAssignee.objects.create(task=task, person=user("chuyenvien2.stp"), role=AssigneeRole.COOPERATE)
        if state == "extension_pending":
            task.status = TaskStatus.IN_PROGRESS
            ExtensionRequest.objects.create(task=task, requested_by=user("chuyenvien.stp"),
                                            new_due_on=task.due_on + dt.timedelta(days=7), reason="Chờ ý kiến")
        else:
            task.status = state
        if state in (TaskStatus.AWAITING_APPROVAL, TaskStatus.DONE):
            task.completed_at = timezone.now()
        task.save()
        return task

    return _make
