"""The doors of work.services: extensions, completion approval, sub-tasks, giving tasks."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.models import Document
from work import services
from work.models import ExtensionState, Source, TaskStatus

from .conftest import user


def test_an_approved_extension_moves_the_due_date(make_task):
    task = make_task("in_progress")
    new_due = task.due_on + dt.timedelta(days=10)
    services.request_extension(task=task, acting_user=user("chuyenvien.stp"), new_due_on=new_due, reason="Chờ số liệu")
    request = services.decide_extension(task=task, acting_user=user("giamdoc.stp"), approve=True)
    task.refresh_from_db()
    assert request.state == ExtensionState.APPROVED and task.due_on == new_due


def test_a_refused_extension_keeps_the_due_date(make_task):
    task = make_task("in_progress")
    before = task.due_on
    services.request_extension(task=task, acting_user=user("chuyenvien.stp"), new_due_on=before + dt.timedelta(days=3),
                               reason="Chờ số liệu")
    request = services.decide_extension(task=task, acting_user=user("giamdoc.stp"), approve=False)
    task.refresh_from_db()
    assert request.state == ExtensionState.REFUSED and task.due_on == before


def test_an_extension_must_move_the_date_later(make_task):
    task = make_task("in_progress")
    with pytest.raises(ValidationError):
        services.request_extension(task=task, acting_user=user("chuyenvien.stp"), new_due_on=task.due_on, reason="x")


def test_completion_needs_the_approval_of_whoever_gave_the_task(make_task):
    task = make_task("open", by="truongphong.stp", main_unit=False, main_person="chuyenvien.stp")
    services.submit_completion(task=task, acting_user=user("chuyenvien.stp"), text="Đã xong")
    task.refresh_from_db()
    assert task.status == TaskStatus.AWAITING_APPROVAL
    for someone_else in ("chuyenvien.stp", "giamdoc.stp", "chuyenvien2.stp"):
        with pytest.raises(PermissionDenied):
            services.approve_completion(task=task, acting_user=user(someone_else))
    services.approve_completion(task=task, acting_user=user("truongphong.stp"))
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.approved_by == user("truongphong.stp")


def test_a_returned_completion_is_worked_on_again(make_task):
    task = make_task("awaiting_approval")
    services.reopen(task=task, acting_user=user("giamdoc.stp"), reason="Bổ sung số liệu")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.completed_at is None


def test_a_stale_form_is_refused(make_task):
    task = make_task("in_progress")
    with pytest.raises(services.StaleTask):
        services.report_progress(task=task, acting_user=user("chuyenvien.stp"), percent=10, text="x",
                                 expected_revision=task.revision - 1)


def test_progress_is_between_0_and_100(make_task):
    task = make_task("open")
    with pytest.raises(ValidationError):
        services.report_progress(task=task, acting_user=user("chuyenvien.stp"), percent=101, text="x")
    services.report_progress(task=task, acting_user=user("chuyenvien.stp"), percent=100, text="x")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


def test_the_leader_gives_a_task_from_a_meeting(stp, unit):
    task = services.create_task(acting_user=user("giamdoc.stp"), agency=stp, title="Chuẩn bị báo cáo quý",
                                due_on=timezone.localdate() + dt.timedelta(days=5), source=Source.MEETING,
                                meeting="Giao ban tuần", units_in_charge=[unit],
                                people_cooperating=[user("chuyenvien2.stp")])
    assert task.meeting == "Giao ban tuần" and task.assignees.count() == 2


def test_a_unit_head_gives_tasks_only_inside_the_unit(stp, unit):
    due = timezone.localdate() + dt.timedelta(days=5)
    services.create_task(acting_user=user("truongphong.stp"), agency=stp, title="Trong phòng", due_on=due,
                         people_in_charge=[user("chuyenvien.stp")])
    with pytest.raises(PermissionDenied):  # chuyenvien2 belongs to another unit
        services.create_task(acting_user=user("truongphong.stp"), agency=stp, title="Ngoài phòng", due_on=due,
                             people_in_charge=[user("chuyenvien2.stp")])


def test_specialists_do_not_give_tasks(stp, unit):
    with pytest.raises(PermissionDenied):
        services.create_task(acting_user=user("chuyenvien.stp"), agency=stp, title="x",
                             due_on=timezone.localdate(), units_in_charge=[unit])


def test_a_sub_task_is_not_due_after_its_task(make_task, unit):
    task = make_task("in_progress")
    with pytest.raises(ValidationError):
        services.create_task(acting_user=user("truongphong.stp"), agency=task.agency, parent=task, title="con",
                             due_on=task.due_on + dt.timedelta(days=1), people_in_charge=[user("chuyenvien.stp")])
    sub = services.create_task(acting_user=user("truongphong.stp"), agency=task.agency, parent=task, title="con",
                               due_on=task.due_on, people_in_charge=[user("chuyenvien.stp")])
    assert sub.parent == task and sub.agency == task.agency


def _document(agency, abstract):
    from documents.models import DocumentType, Register

    return Document.objects.create(
        agency=agency, direction="incoming", status="registered", source="paper", abstract=abstract,
        document_type=DocumentType.objects.first(), created_by=user("giamdoc.stp"),
        register=Register.objects.filter(agency=agency).first())


def test_the_source_document_must_be_one_the_leader_reads(stp, unit, demo):
    foreign = _document(demo.agencies["01840"], "Văn bản của phường")
    with pytest.raises(ValidationError):
        services.create_task(acting_user=user("giamdoc.stp"), agency=stp, title="x", source=Source.DOCUMENT,
                             document=foreign, due_on=timezone.localdate(), units_in_charge=[unit])
    own = _document(stp, "Văn bản của Sở")
    task = services.create_task(acting_user=user("giamdoc.stp"), agency=stp, title="x", source=Source.DOCUMENT,
                                document=own, due_on=timezone.localdate(), units_in_charge=[unit])
    assert task.document == own


def test_a_document_source_needs_a_document(stp, unit):
    with pytest.raises(ValidationError):
        services.create_task(acting_user=user("giamdoc.stp"), agency=stp, title="x", source=Source.DOCUMENT,
                             due_on=timezone.localdate(), units_in_charge=[unit])
