"""Reminders: once per official, course and period, in the app."""

import datetime as dt

from notifications.models import Notification
from training import reminders
from training.services import issue_certificate

from .conftest import DAY


def _keys(user):
    return sorted(Notification.objects.filter(user=user, key__startswith="training:").values_list("key", flat=True))


def test_missing_and_lapsed_courses_are_told_once(world, security, one_stop):
    reminders.remind(DAY)
    second = reminders.remind(DAY)
    assert second == 0
    assert _keys(world["dung"]) == [f"training:missing:{security.pk}:2026"]
    assert _keys(world["binh"]) == [f"training:lapsed:{security.pk}:2026", f"training:missing:{one_stop.pk}:2026"]
    assert _keys(world["an"]) == []  # valid beyond 30 days (security until 28/02/2027, one-stop until 31/08/2027)
    assert _keys(world["em"]) == []  # no longer a member


def test_a_certificate_lapsing_within_30_days_is_told_once(world, security):
    # chi's security certificate (issued 10/01/2026) is valid until 09/01/2027: 30 days before is 10/12/2026.
    chi = world["chi"]
    certificate = chi.training_certificates.get(course=security)
    assert reminders.remind(dt.date(2026, 12, 9)) >= 0 and _keys(chi) == []
    reminders.remind(dt.date(2026, 12, 10))
    reminders.remind(dt.date(2026, 12, 20))
    assert _keys(chi) == [f"training:lapse:{security.pk}:{certificate.pk}"]
    notice = Notification.objects.get(user=chi, key__startswith="training:lapse")
    assert "09/01/2027" in notice.body


def test_a_new_year_tells_again_a_course_still_missing(world, security):
    reminders.remind(DAY)
    reminders.remind(dt.date(2027, 1, 5))
    assert _keys(world["dung"]) == [f"training:missing:{security.pk}:2026", f"training:missing:{security.pk}:2027"]


def test_renewed_certificate_is_not_told(world, security):
    issue_certificate(official=world["binh"], course=security, issued_on=DAY)
    reminders.remind(DAY)
    assert all("lapsed" not in key for key in _keys(world["binh"]))
