"""Nhắc bồi dưỡng: each official is told in the app, once, when a mandatory course is missing
(once per course and calendar year) or when their certificate lapses within 30 days (once per
certificate). The notice's key carries the official, the course and the period, and
``notifications`` keeps one notice per user and key, so running the sweep again — or twice at
once — tells nobody twice. Decision 0035.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import Notification

from .selectors import MISSING, VALID, obligations

LAPSE_WARNING_DAYS = 30


def _notice(item, today: dt.date) -> tuple[str, str, str] | None:
    """(key, title, body) of the reminder ``item`` calls for on ``today``, or None."""
    course = item.course
    if item.status == VALID:
        valid_until = item.certificate.valid_until
        if valid_until is None or (valid_until - today).days > LAPSE_WARNING_DAYS:
            return None
        return (f"training:lapse:{course.pk}:{item.certificate.pk}",
                _("Your training certificate lapses soon: %(course)s") % {"course": course.title},
                _("Your certificate %(number)s of the course \u201c%(course)s\u201d is valid until %(day)s. "
                  "Enrol in a session or take the test again to renew it.")
                % {"number": item.certificate.number, "course": course.title, "day": f"{valid_until:%d/%m/%Y}"})
    key = f"training:{'missing' if item.status == MISSING else 'lapsed'}:{course.pk}:{today.year}"
    return (key, _("Mandatory training to take: %(course)s") % {"course": course.title},
            _("The course \u201c%(course)s\u201d is mandatory for your position and you hold no valid certificate "
              "of it. Enrol in a session from the training catalogue.") % {"course": course.title})


def remind(today: dt.date | None = None) -> int:
    """Tell every official what they must take or renew; returns how many notices were created."""
    today = today or timezone.localdate()
    wanted: dict[tuple[int, str], tuple[str, str]] = {}
    with translation.override("vi"):
        for item in obligations(on=today):
            notice = _notice(item, today)
            if notice is not None:
                key, title, body = notice
                wanted.setdefault((item.official_id, key), (title, body))
    if not wanted:
        return 0
    told = set(Notification.objects.filter(user_id__in={user for user, _key in wanted}, key__startswith="training:")
               .values_list("user_id", "key"))
    new = [Notification(user_id=user_id, title=title[:200], body=body, key=key)
           for (user_id, key), (title, body) in wanted.items() if (user_id, key) not in told]
    with transaction.atomic():
        created = Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(created)
