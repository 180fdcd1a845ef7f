"""An official's overdue tasks rising by the threshold raises one alert in the month, told once
to the agency's leaders in the app, however often the periodic task runs; next month the same
overdue tasks are no rise."""

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import timezone

from dashboards.models import Alert, AlertKind, AlertRule
from dashboards.tasks import check_alerts
from notifications.models import Notification
from work.models import AssigneeRole, Task, TaskAssignee


def _at(day: dt.date):
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))), tick=False)


def _overdue_task(demo, created: dt.date, due: dt.date) -> Task:
    with _at(created):
        task = Task.objects.create(agency=demo.agencies["STP"], title="Rà soát", due_on=due,
                                   assigned_by=demo.users["giamdoc.stp"])
    TaskAssignee.objects.create(task=task, person=demo.users["chuyenvien.stp"], role=AssigneeRole.MAIN)
    return task


def _told():
    return Notification.objects.filter(user__username="giamdoc.stp", key__startswith="dashboards-alert:").count()


def test_an_overdue_rise_alerts_once_per_month(demo):
    AlertRule.objects.create(kind=AlertKind.OVERDUE_RISE, threshold=Decimal(2))
    _overdue_task(demo, dt.date(2026, 11, 2), dt.date(2026, 11, 9))
    with _at(dt.date(2026, 11, 20)):
        assert check_alerts() == 0  # one overdue, none at the start of the month: a rise of 1 < 2
    _overdue_task(demo, dt.date(2026, 11, 3), dt.date(2026, 11, 10))
    with _at(dt.date(2026, 11, 20)):
        assert check_alerts() == 1  # two overdue now, none on 1 November: a rise of 2
        assert check_alerts() == 0  # the same condition in the same month: not again
    alert = Alert.objects.get()
    assert (alert.official.username, alert.period, alert.value) == ("chuyenvien.stp", "2026-11", Decimal(2))
    assert _told() == 1
    with _at(dt.date(2026, 12, 5)):
        assert check_alerts() == 0  # still two overdue, as on 1 December: no rise
    assert _told() == 1


def test_an_inactive_rule_raises_nothing(demo):
    AlertRule.objects.create(kind=AlertKind.OVERDUE_RISE, threshold=Decimal(1), active=False)
    _overdue_task(demo, dt.date(2026, 11, 2), dt.date(2026, 11, 9))
    with _at(dt.date(2026, 11, 20)):
        assert check_alerts() == 0
