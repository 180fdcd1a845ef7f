"""The leader's follow-up board counts, and the reminders (once per task and day)."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from directory.models import OrgUnit
from notifications.models import Notification
from work import followup
from work.models import TaskStatus
from work.sweeps import remind

from .conftest import user

MONDAY = dt.date(2026, 12, 7)  # an ordinary working week


def _done(task, on):
    task.status = TaskStatus.DONE
    task.completed_at = dt.datetime.combine(on, dt.time(10), tzinfo=timezone.get_current_timezone())
    task.save()


def test_follow_up_board_counts_by_unit(make_task, stp, unit):
    other = OrgUnit.objects.get(agency=stp, name="Phòng Bổ trợ tư pháp")
    today = MONDAY
    make_task("open", due_on=today + dt.timedelta(days=3))  # open, on schedule
    make_task("in_progress", due_on=today - dt.timedelta(days=1))  # overdue
    make_task("awaiting_approval", due_on=today - dt.timedelta(days=2))  # submitted, not approved: overdue
    _done(make_task("open", due_on=today), today - dt.timedelta(days=1))  # done on time
    _done(make_task("open", due_on=today - dt.timedelta(days=5)), today - dt.timedelta(days=2))  # done late
    make_task("cancelled", due_on=today - dt.timedelta(days=5))  # not counted
    parent = make_task("open", due_on=today + dt.timedelta(days=3))
    make_task("open", due_on=today - dt.timedelta(days=1), parent=parent)  # sub-task: not counted
    # chuyenvien2.stp is of the other unit: a task in their charge counts for it
    make_task("open", due_on=today - dt.timedelta(days=3), main_unit=False, main_person="chuyenvien2.stp")
    rows = {row.unit_id: row for row in followup.board(stp.pk, today)}
    mine = rows[unit.pk]
    assert (mine.open, mine.overdue, mine.on_time, mine.late, mine.done) == (2, 2, 1, 1, 2)
    theirs = rows[other.pk]
    assert (theirs.open, theirs.overdue, theirs.on_time, theirs.late) == (0, 1, 0, 0)
    assert len(followup.drill_down(stp.pk, unit.pk, "overdue", today)) == 2


def _notices(task):
    return Notification.objects.filter(key__startswith=f"work-remind:{task.pk}:")


def test_reminders_go_once_per_task_and_day(make_task, django_capture_on_commit_callbacks):
    soon = make_task("in_progress", due_on=MONDAY + dt.timedelta(days=1), main_unit=False,
                     main_person="chuyenvien.stp")
    overdue = make_task("open", due_on=MONDAY - dt.timedelta(days=2), main_unit=False, main_person="chuyenvien.stp")
    later = make_task("open", due_on=MONDAY + dt.timedelta(days=3), main_unit=False, main_person="chuyenvien.stp")
    done = make_task("done", due_on=MONDAY, main_unit=False, main_person="chuyenvien.stp")
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(MONDAY) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(MONDAY) == 0  # the same day: nothing more
    assert _notices(soon).count() == 2  # the official in charge and the cooperating one
    assert _notices(overdue).count() == 2
    assert not _notices(later).exists() and not _notices(done).exists()
    assert len(mail.outbox) == 2
    assert set(mail.outbox[0].bcc) == {user("chuyenvien.stp").email, user("chuyenvien2.stp").email}
    with django_capture_on_commit_callbacks(execute=True):
        assert remind(MONDAY + dt.timedelta(days=1)) == 2  # the next day: again (soon is due today, overdue still)
    assert len(mail.outbox) == 4


def test_a_task_due_on_monday_is_reminded_on_friday(make_task, django_capture_on_commit_callbacks):
    friday = dt.date(2026, 12, 11)
    task = make_task("open", due_on=friday + dt.timedelta(days=3), main_unit=False, main_person="chuyenvien.stp")
    tuesday_task = make_task("open", due_on=friday + dt.timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        remind(friday)
    assert _notices(task).exists() and not _notices(tuesday_task).exists()


def test_a_unit_task_reminds_the_unit_head(make_task, django_capture_on_commit_callbacks):
    task = make_task("open", due_on=MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        remind(MONDAY)
    assert set(_notices(task).values_list("user__username", flat=True)) == {"truongphong.stp", "chuyenvien2.stp"}
