"""An official's figures for a month or a quarter, the evidence shown beside their assessment
(never a rating): each counted by the rule of the app that owns it.

- dossiers: the steps of the one-stop process the official handed on in the period
  (``DossierStep.handed_at``), on time (early or on time) or late by the step's own
  ``timeliness`` (set by ``dossiers`` when the step is handed on);
- documents: the document assignments given to the official by name and done in the period,
  on time or late against their deadline (``documents.statistics`` judges them);
- tasks: the tasks (``work``) the official is in charge of that were completed in the period,
  on time or late (``work.followup.category``);
- citizens' ratings: ``feedback.selectors.official_satisfaction``, hidden below the feedback app's
  minimum count (anonymity).

A unit's figures are the sums of its current members'.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from directory.models import Membership

KEYS = ("dossiers_on_time", "dossiers_late", "documents_on_time", "documents_late", "tasks_on_time", "tasks_late")


def _dossiers(official_id: int, period) -> dict[str, int]:
    from dossiers.models import DossierStep

    steps = DossierStep.objects.filter(assignee_id=official_id, handed_at__gte=period.start,
                                       handed_at__lt=period.end)
    on_time = steps.filter(timeliness__in=[DossierStep.Timeliness.EARLY, DossierStep.Timeliness.ON_TIME]).count()
    late = steps.filter(timeliness=DossierStep.Timeliness.LATE).count()
    return {"dossiers_on_time": on_time, "dossiers_late": late}


def _documents(official_id: int, period) -> dict[str, int]:
    from documents.models import Assignment
    from documents.statistics import Timeliness, judge

    tally = Timeliness()
    today = timezone.localdate()
    for done_at, due_on in Assignment.objects.filter(person_id=official_id, done_at__gte=period.start,
                                                     done_at__lt=period.end).values_list("done_at", "due_on"):
        judge(tally, done_at, due_on, today)
    return {"documents_on_time": tally.on_time, "documents_late": tally.late}


def _tasks(official_id: int, period) -> dict[str, int]:
    from work.followup import category
    from work.models import AssigneeRole, Task, TaskStatus

    counts = {"tasks_on_time": 0, "tasks_late": 0}
    tasks = Task.objects.filter(Q(assignees__person_id=official_id, assignees__role=AssigneeRole.MAIN),
                                status=TaskStatus.DONE, completed_at__gte=period.start,
                                completed_at__lt=period.end).distinct()
    for task in tasks:
        counts[f"tasks_{category(task, timezone.localdate())}"] += 1
    return counts


def _ratings(official_ids: list[int], period) -> dict:
    from feedback.selectors import official_satisfaction

    found = official_satisfaction(official_ids, period.first_day, period.last_day)
    if found is None:
        return {"ratings_missing": gettext("Too few citizens rated this work in the period to show it.")}
    return {"ratings_count": found.count, "ratings_satisfied": found.satisfied_share}


def of_official(official_id: int, period) -> dict:
    """The figures of one official, JSON-ready (stored with each step of the assessment)."""
    figures: dict = {}
    figures.update(_dossiers(official_id, period))
    figures.update(_documents(official_id, period))
    figures.update(_tasks(official_id, period))
    figures.update(_ratings([official_id], period))
    figures["computed_on"] = dt.date.isoformat(timezone.localdate())
    return figures


def of_unit(unit_id: int, period) -> dict[str, int]:
    """The sums over the unit's current members."""
    totals = dict.fromkeys(KEYS, 0)
    for official_id in set(Membership.objects.valid_on().filter(unit_id=unit_id)
                           .values_list("official_id", flat=True)):
        mine = of_official(official_id, period)
        for key in KEYS:
            totals[key] += mine[key]
    return totals
