"""The tasks API: exactly the tasks the task pages show the token's user (work.selectors), filtered
and paged; a task's detail with the sub-tasks the user may see, its progress reports (an attachment
by name and size, never its body), extension requests and due date; someone else's task is 404.

Officials cannot hold API tokens today (api.services refuses them). As for the documents API, the
official's view is tested with the token check answering for an official (``bearer`` of
tests/test_api_documents.py); the real token of a citizen sees no task at all."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from work import services

from .. import test_api_documents
from .conftest import user

bearer = test_api_documents.bearer  # the same principals as the documents API

TODAY = timezone.localdate


def ids(answer) -> list[int]:
    return [item["id"] for item in answer["items"]]


def test_the_list_has_the_tasks_the_pages_show(client, make_task, demo, bearer):
    ours = make_task("open", title="Rà soát thủ tục")
    elsewhere = make_task("open", title="Việc của xã", agency=demo.agencies["01840"], by="chutich.ducxuan",
                          main_unit=False, main_person="vanthu.ducxuan")
    answer = client.get("/api/v1/tasks", **bearer("chuyenvien.stp"))
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    item = answer.json()["items"][0]
    assert ids(answer.json()) == [ours.pk]
    assert item["title"] == "Rà soát thủ tục" and item["assigned_by"] == str(user("giamdoc.stp"))
    assert {(a["role"], a["unit_name"] or a["person_name"]) for a in item["assignees"]} == {
        ("main", "Phòng Hành chính tư pháp"), ("cooperate", str(user("chuyenvien2.stp")))}
    assert ids(client.get("/api/v1/tasks", **bearer("chutich.ducxuan")).json()) == [elsewhere.pk]


def test_filters_by_status_unit_assignee_and_due_state(client, make_task, unit, bearer):
    overdue = make_task("open", due_on=TODAY() - dt.timedelta(days=1), title="Quá hạn")
    due_today = make_task("in_progress", due_on=TODAY(), title="Đến hạn hôm nay")
    later = make_task("open", due_on=TODAY() + dt.timedelta(days=21), title="Còn lâu", main_unit=False,
                      main_person="chuyenvien.stp")
    done = make_task("done", due_on=TODAY() - dt.timedelta(days=3), title="Đã xong")
    headers = bearer("giamdoc.stp")

    def listed(**query):
        return ids(client.get("/api/v1/tasks", query, **headers).json())

    assert listed() == [done.pk, overdue.pk, due_today.pk, later.pk]  # by due date
    assert listed(status="open") == [overdue.pk, later.pk]
    assert listed(due="overdue") == [overdue.pk]  # a task done late is no longer overdue
    assert listed(due="due_soon") == [due_today.pk]
    assert listed(unit=unit.pk) == [done.pk, overdue.pk, due_today.pk]
    assert listed(assignee=user("chuyenvien.stp").pk) == [later.pk]
    first = client.get("/api/v1/tasks", {"page_size": 3, "page": 2}, **headers).json()
    assert (first["count"], first["pages"], ids(first)) == (4, 2, [later.pk])
    badges = {item["id"]: item["due_state"] for item in client.get("/api/v1/tasks", **headers).json()["items"]}
    assert badges == {done.pk: "", overdue.pk: "overdue", due_today.pk: "due_soon", later.pk: ""}
    assert client.get("/api/v1/tasks", {"due": "someday"}, **headers).status_code == 422


def test_the_detail_has_subtasks_progress_and_extensions(client, make_task, bearer):
    task = make_task("extension_pending")
    services.report_progress(task=task, acting_user=user("chuyenvien.stp"), percent=40, text="Đã thu thập số liệu",
                             attachment=SimpleUploadedFile("so-lieu.pdf", b"%PDF-1.4 bang so lieu"),
                             expected_revision=task.revision)
    shared = make_task("open", parent=task, title="Việc con của phòng")
    private = make_task("open", parent=task, title="Việc con riêng", main_unit=False, main_person="truongphong.stp")
    detail = client.get(f"/api/v1/tasks/{task.pk}", **bearer("chuyenvien.stp")).json()
    assert detail["due_on"] == task.due_on.isoformat() and detail["status"] == "in_progress"
    assert [sub["id"] for sub in detail["subtasks"]] == [shared.pk]  # only the sub-tasks they may see
    [report] = detail["progress_reports"]
    assert (report["percent"], report["text"]) == (40, "Đã thu thập số liệu")
    assert report["attachment"]["name"].startswith("so-lieu") and report["attachment"]["size"] == 21
    assert set(report["attachment"]) == {"name", "size"}  # no body, no address to fetch it from
    [extension] = detail["extension_requests"]
    assert extension["state"] == "pending" and extension["new_due_on"] == (task.due_on + dt.timedelta(days=7)).isoformat()
    leader = client.get(f"/api/v1/tasks/{task.pk}", **bearer("giamdoc.stp")).json()
    assert [sub["id"] for sub in leader["subtasks"]] == [shared.pk, private.pk]


def test_another_agencys_task_is_404_like_a_missing_one(client, make_task, bearer):
    task = make_task("open")
    headers = bearer("chutich.ducxuan")  # a leader, of another agency
    hidden = client.get(f"/api/v1/tasks/{task.pk}", **headers)
    missing = client.get(f"/api/v1/tasks/{task.pk + 1000}", **headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert client.get(f"/api/v1/tasks/{task.pk}", **bearer("chuyenvien.stp")).status_code == 200


def test_a_citizens_token_sees_no_task(client, make_task, bearer):
    task = make_task("open")
    headers = bearer("congdan@example.vn")
    assert client.get("/api/v1/tasks", **headers).json()["count"] == 0
    assert client.get(f"/api/v1/tasks/{task.pk}", **headers).status_code == 404


def test_a_token_is_required(client, make_task):
    task = make_task("open")
    for path in ("/api/v1/tasks", f"/api/v1/tasks/{task.pk}"):
        answer = client.get(path)
        assert answer.status_code == 401 and answer["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION="Bearer egov_not-a-token").status_code == 401
