"""The work pages: my tasks, a task's page (offers exactly the allowed actions, 404 outside),
giving a task, the follow-up board and the weekly schedule."""

import datetime as dt

from django.utils import timezone

from work.models import ScheduleEntry, Task, TaskStatus

from .conftest import user


def test_my_tasks_shows_counts_and_badges(make_task, sign_in):
    make_task("open", due_on=timezone.localdate() - dt.timedelta(days=1), title="Quá hạn rồi")
    make_task("open", title="Còn thời gian")
    make_task("done", title="Đã xong")
    page = sign_in("chuyenvien.stp").get("/workspace/tasks/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Quá hạn rồi" in html and "Còn thời gian" in html and "Đã xong" not in html
    assert 'data-count="mine">2<' in html and 'data-count="overdue">1 ' in html


def test_an_official_of_another_agency_gets_404(make_task, sign_in):
    task = make_task("open")
    outsider = sign_in("chutich.ducxuan")  # a leader, of another agency
    assert outsider.get(f"/workspace/tasks/{task.pk}/").status_code == 404
    assert sign_in("chuyenvien.stp").get(f"/workspace/tasks/{task.pk}/").status_code == 200
    response = outsider.post(f"/workspace/tasks/{task.pk}/cancel/",
                                               {"cancel-revision": task.revision, "cancel-reason": "x"})
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_the_task_page_offers_exactly_the_allowed_actions(make_task, sign_in):
    task = make_task("awaiting_approval")
    html = sign_in("giamdoc.stp").get(f"/workspace/tasks/{task.pk}/").content.decode()
    assert {a for a in ("approve_completion", "reopen", "cancel", "report_progress") if f'data-action="{a}"' in html} \
        == {"approve_completion", "reopen", "cancel"}
    html = sign_in("chuyenvien.stp").get(f"/workspace/tasks/{task.pk}/").content.decode()
    assert "data-action=" not in html


def test_progress_reported_through_the_page(make_task, sign_in):
    task = make_task("open")
    client = sign_in("chuyenvien.stp")
    response = client.post(f"/workspace/tasks/{task.pk}/report_progress/", {
        "report_progress-revision": task.revision, "report_progress-percent": 30,
        "report_progress-text": "Đã thu thập số liệu"})
    assert response.status_code == 302
    assert "Đã thu thập số liệu" in client.get(f"/workspace/tasks/{task.pk}/").content.decode()
    stale = client.post(f"/workspace/tasks/{task.pk}/report_progress/", {
        "report_progress-revision": task.revision, "report_progress-percent": 50, "report_progress-text": "cũ"},
        follow=True)
    assert task.reports.count() == 1
    assert "tải lại trang" in stale.content.decode()


def test_the_leader_gives_a_task_with_the_form(sign_in, unit):
    client = sign_in("giamdoc.stp")
    form = client.get("/workspace/tasks/new/").content.decode()
    assert "Phòng Bổ trợ tư pháp" in form
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = client.post("/workspace/tasks/new/", {"title": "Tổng hợp báo cáo", "source": "ad_hoc",
                                                    "priority": "high", "due_on": due,
                                                    "units_in_charge": [unit.pk]})
    task = Task.objects.get(title="Tổng hợp báo cáo")
    assert response.status_code == 302 and task.assigned_by == user("giamdoc.stp")
    assert sign_in("chuyenvien.stp").get("/workspace/tasks/new/").status_code == 403


def test_the_follow_up_board_is_the_leaders(make_task, sign_in, stp, unit):
    make_task("open", due_on=timezone.localdate() - dt.timedelta(days=1))
    html = sign_in("giamdoc.stp").get(f"/workspace/tasks/follow-up/{stp.pk}/?unit={unit.pk}&kind=overdue")
    assert html.status_code == 200 and 'data-kind="overdue"><a' in html.content.decode()
    assert sign_in("truongphong.stp").get(f"/workspace/tasks/follow-up/{stp.pk}/").status_code == 404


def test_the_weekly_schedule_shows_staff_only_published_entries(stp, sign_in):
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    at = dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(8), tzinfo=timezone.get_current_timezone())
    ScheduleEntry.objects.create(agency=stp, starts_at=at, title="Họp giao ban", published=True,
                                 created_by=user("vanthu.stp"))
    ScheduleEntry.objects.create(agency=stp, starts_at=at, title="Dự thảo chưa công bố", published=False,
                                 created_by=user("vanthu.stp"))
    staff = sign_in("chuyenvien.stp").get(f"/workspace/tasks/schedule/?week={monday.isoformat()}").content.decode()
    assert "Họp giao ban" in staff and "Dự thảo chưa công bố" not in staff and "Add an activity" not in staff
    clerk = sign_in("vanthu.stp").get(f"/workspace/tasks/schedule/?week={monday.isoformat()}").content.decode()
    assert "Dự thảo chưa công bố" in clerk
    other = sign_in("tuphap.ducxuan").get(f"/workspace/tasks/schedule/?week={monday.isoformat()}").content.decode()
    assert "Họp giao ban" not in other
    next_week = (monday + dt.timedelta(days=7)).isoformat()
    assert "Họp giao ban" not in sign_in("chuyenvien.stp").get(f"/workspace/tasks/schedule/?week={next_week}").content.decode()


def test_the_clerk_adds_and_publishes_the_week(stp, sign_in):
    clerk = sign_in("vanthu.stp")
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    url = f"/workspace/tasks/schedule/?agency={stp.pk}&week={monday.isoformat()}"
    clerk.post(url, {"agency": stp.pk, "starts_at": f"{monday.isoformat()}T14:00", "title": "Tiếp công dân"})
    entry = ScheduleEntry.objects.get(title="Tiếp công dân")
    assert not entry.published
    clerk.post(url, {"agency": stp.pk, "publish": "1"})
    entry.refresh_from_db()
    assert entry.published
    staff = sign_in("chuyenvien.stp")
    staff.post(url, {"agency": stp.pk, "starts_at": f"{monday.isoformat()}T15:00", "title": "Không được"})
    assert not ScheduleEntry.objects.filter(title="Không được").exists()
