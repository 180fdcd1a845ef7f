"""The leader's follow-up board (theo dõi, đôn đốc): for each unit of the agency, how many of the
tasks it is in charge of are still open on schedule, overdue, done on time and done late
(done: the completion approved; a submitted one waiting for approval still counts as open or overdue).

A task counts for the unit in charge of it (the unit named, or the unit of the official named);
sub-tasks count inside their task, and cancelled tasks not at all. Done on time: submitted
(``completed_at``, the day in Vietnam) no later than the due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from directory.models import Membership, OrgUnit

from .models import AssigneeRole, Task, TaskStatus

NO_UNIT = 0


@dataclass
class UnitRow:
    unit_id: int
    name: str
    open: int = 0
    overdue: int = 0
    on_time: int = 0
    late: int = 0
    task_ids: dict[str, list[int]] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def total(self) -> int:
        return self.open + self.overdue + self.done


def category(task: Task, today: dt.date) -> str:
    if task.status == TaskStatus.DONE:
        finished = timezone.localtime(task.completed_at).date() if task.completed_at else today
        return "on_time" if finished <= task.due_on else "late"
    return "overdue" if task.due_on < today else "open"


def board(agency_id: int, today: dt.date | None = None) -> list[UnitRow]:
    today = today or timezone.localdate()
    tasks = list(Task.objects.filter(agency_id=agency_id, parent__isnull=True)
                 .exclude(status=TaskStatus.CANCELLED).prefetch_related("assignees"))
    people_units = dict(Membership.objects.valid_on().filter(agency_id=agency_id)
                        .values_list("official_id", "unit_id"))
    names = dict(OrgUnit.objects.filter(agency_id=agency_id).values_list("pk", "name"))
    rows: dict[int, UnitRow] = {}
    for task in tasks:
        main = [a for a in task.assignees.all() if a.role == AssigneeRole.MAIN]
        units = {a.unit_id if a.unit_id else (people_units.get(a.person_id) or NO_UNIT) for a in main} or {NO_UNIT}
        kind = category(task, today)
        for unit_id in units:
            row = rows.setdefault(unit_id, UnitRow(unit_id, names.get(unit_id, "")))
            setattr(row, kind, getattr(row, kind) + 1)
            row.task_ids.setdefault(kind, []).append(task.pk)
    return sorted(rows.values(), key=lambda row: (row.unit_id == NO_UNIT, row.name))


def drill_down(agency_id: int, unit_id: int, kind: str | None, today: dt.date | None = None) -> QuerySet:
    for row in board(agency_id, today):
        if row.unit_id == unit_id:
            ids = row.task_ids.get(kind, []) if kind else [pk for pks in row.task_ids.values() for pk in pks]
            return Task.objects.filter(pk__in=ids).order_by("due_on", "pk")
    return Task.objects.none()
