"""The dashboards' alerts, raised once per rule, subject and month however often the periodic task
runs (the ``Alert`` row is written first under a unique constraint) and told in the app to the
leaders of the agency concerned:

- ``on_time_below``: an agency's on-time rate of dossiers settled this month is under the threshold (%);
- ``on_time_drop``: it fell by at least the threshold (points) from last month's;
- ``overdue_rise``: an official's overdue tasks today outnumber those at the end of last month by at
  least the threshold.

On-time rates are the dossiers settled early or on time over those settled in the month, from the
indices' daily roll-ups (``dashboards.selectors.settled_by_agency``: the one rule of on time and late,
``dossiers.deadlines``, counted once per day; never a scan of the dossiers).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from directory.models import Agency, Membership, Role
from notifications.services import notify_officials
from work.models import TaskAssignee, TaskStatus
from workdays.report_periods import Period, local_midnight

from .models import Alert, AlertKind, AlertRule
from .selectors import settled_by_agency

logger = logging.getLogger(__name__)


def _previous(month: Period) -> Period:
    before = month.first_day - dt.timedelta(days=1)
    return Period.month(before.year, before.month)


def _rates(period: Period) -> dict[int, Decimal]:
    return {pk: done.on_time_rate for pk, done in settled_by_agency(period).items() if done.on_time_rate is not None}


def overdue_by_official(moment: dt.datetime) -> Counter[int]:
    """{official id: tasks given to them that were overdue at ``moment``}."""
    day = timezone.localdate(moment)
    rows = (TaskAssignee.objects.filter(person__isnull=False, task__due_on__lt=day, task__created_at__lt=moment)
            .exclude(task__status=TaskStatus.CANCELLED)
            .filter(Q(task__completed_at__isnull=True) | Q(task__completed_at__gte=moment))
            .values_list("person_id", "task_id").distinct())
    return Counter(person for person, _task in rows)


def _raise(rule: AlertRule, *, agency_id: int, official_id: int | None, period: Period, value: Decimal,
           message: str) -> bool:
    subject = f"official:{official_id}" if official_id else f"agency:{agency_id}"
    try:
        with transaction.atomic():
            alert = Alert.objects.create(rule=rule, agency_id=agency_id, official_id=official_id, subject=subject,
                                         period=period.slug, value=value, message=message[:500])
            notify_officials(agency_id=agency_id, role=Role.AGENCY_LEADER, title=_("Dashboard alert"),
                             body=message, key=f"dashboards-alert:{alert.pk}")
    except IntegrityError:
        return False  # raised already for this month
    return True


def check(today: dt.date | None = None) -> int:
    """Raise this month's alerts not raised yet; returns how many were raised."""
    today = today or timezone.localdate()
    month = Period.month(today.year, today.month)
    before = _previous(month)
    rules = {rule.kind: rule for rule in AlertRule.objects.filter(active=True)}
    raised = 0
    if AlertKind.ON_TIME_BELOW in rules or AlertKind.ON_TIME_DROP in rules:
        now, then = _rates(month), _rates(before)
        names = dict(Agency.objects.filter(pk__in=now).values_list("pk", "name"))
        for agency_id, rate in now.items():
            rule = rules.get(AlertKind.ON_TIME_BELOW)
            if rule and rate < rule.threshold:
                raised += _raise(rule, agency_id=agency_id, official_id=None, period=month, value=rate, message=_(
                    "%(agency)s: on-time rate %(rate)s%% in %(period)s, under the threshold of %(threshold)s%%.") % {
                    "agency": names[agency_id], "rate": rate, "period": month.name, "threshold": rule.threshold})
            rule = rules.get(AlertKind.ON_TIME_DROP)
            if rule and agency_id in then and then[agency_id] - rate >= rule.threshold:
                raised += _raise(rule, agency_id=agency_id, official_id=None, period=month, value=rate, message=_(
                    "%(agency)s: on-time rate fell from %(before)s%% to %(rate)s%% in %(period)s.") % {
                    "agency": names[agency_id], "before": then[agency_id], "rate": rate, "period": month.name})
    rule = rules.get(AlertKind.OVERDUE_RISE)
    if rule:
        now_overdue = overdue_by_official(timezone.now())
        then_overdue = overdue_by_official(local_midnight(month.first_day))
        places: dict[int, int] = {}
        for official_id, agency_id in (Membership.objects.valid_on().filter(official_id__in=now_overdue)
                                       .order_by("pk").values_list("official_id", "agency_id")):
            places.setdefault(official_id, agency_id)
        names = dict(User.objects.filter(pk__in=now_overdue).values_list("pk", "full_name"))
        for official_id, count in now_overdue.items():
            rise = count - then_overdue.get(official_id, 0)
            if official_id in places and rise >= rule.threshold:
                raised += _raise(rule, agency_id=places[official_id], official_id=official_id, period=month,
                                 value=Decimal(count), message=_(
                                     "%(official)s has %(count)d overdue tasks, %(rise)d more than at the end of "
                                     "last month.") % {"official": names.get(official_id, ""), "count": count,
                                                       "rise": rise})
    logger.info("dashboard alerts", extra={"count": raised})
    return raised
