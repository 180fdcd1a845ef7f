"""The e-office's tasks, read-only, for the token's user: the same rule of who sees which task
(work.selectors.visible_tasks) and the same due state (work.selectors.due_state) as the task pages."""

from typing import Annotated, Literal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from documents.selectors import visible_documents
from work.models import UNFINISHED, TaskAssignee, TaskStatus
from work.selectors import due_state, visible_tasks

from .. import inputs
from ..auth import bearer
from ..errors import ApiError, Problem
from ..task_schemas import TaskDetailOut, TaskPageOut, extension_out, report_out, task_out
from .documents import AUTH_ERRORS

router = Router(tags=["tasks"], auth=bearer)


def _listed(tasks: QuerySet) -> QuerySet:
    return tasks.select_related("agency", "assigned_by").prefetch_related("assignees__unit", "assignees__person")


def _due(tasks: QuerySet, due: str) -> QuerySet:
    """The tasks whose due state (the badge of the task pages) is ``due``."""
    today = timezone.localdate()
    unfinished = tasks.filter(status__in=UNFINISHED).only("pk", "status", "due_on")
    return tasks.filter(pk__in=[task.pk for task in unfinished if due_state(task, today) == due])


@router.get("/tasks", operation_id="listTasks", response={200: TaskPageOut, 422: Problem, **AUTH_ERRORS},
            summary="Công việc · Tasks",
            description="Công việc người dùng của mã truy cập được xem (như trên trang Công việc: việc mình giao, "
                        "việc giao cho mình hoặc đơn vị mình, mọi việc của cơ quan mình lãnh đạo), lọc theo trạng "
                        "thái, đơn vị hoặc người được giao, quá hạn (`overdue`) hoặc sắp đến hạn trong một ngày "
                        "làm việc (`due_soon`).\n\n"
                        "The tasks the token's user may see (as on the task pages: those they gave, those given to "
                        "them or their unit, every task of an agency they lead), filtered by status, by the unit or "
                        "the person assigned, overdue or due within one working day (`due_soon`).")
def list_tasks(request, status: TaskStatus | None = None, unit: Annotated[int | None, Query(ge=1)] = None,
               assignee: Annotated[int | None, Query(ge=1)] = None, due: Literal["overdue", "due_soon"] | None = None,
               page: Annotated[int, Query(ge=1)] = 1, page_size: Annotated[int, Query(ge=1, le=100)] = 20):
    tasks = visible_tasks(request.auth.user)
    if status:
        tasks = tasks.filter(status=status)
    if unit:
        tasks = tasks.filter(pk__in=TaskAssignee.objects.filter(unit_id=unit).values("task_id"))
    if assignee:
        tasks = tasks.filter(pk__in=TaskAssignee.objects.filter(person_id=assignee).values("task_id"))
    if due:
        tasks = _due(tasks, due)
    today = timezone.localdate()
    return inputs.page_of(_listed(tasks).order_by("due_on", "pk"), page, page_size,
                          lambda task: task_out(task, due_state(task, today)))


@router.get("/tasks/{task_id}", url_name="task", operation_id="getTask",
            response={200: TaskDetailOut, 404: Problem, 422: Problem, **AUTH_ERRORS},
            summary="Chi tiết công việc · Task details",
            description="Công việc với các việc con bạn được xem, báo cáo tiến độ (tệp đính kèm chỉ có tên và dung "
                        "lượng), đề nghị gia hạn và hạn xử lý. 404 nếu công việc không có hoặc bạn không được xem.\n\n"
                        "The task with the sub-tasks you may see, its progress reports (an attachment by name and "
                        "size only), extension requests and due date. 404 when the task does not exist or you may "
                        "not see it.")
def get_task(request, task_id: int):
    user = request.auth.user
    task = _listed(visible_tasks(user)).filter(pk=task_id).first()
    if task is None:
        raise ApiError(404, _("No task with this id is open to you."))
    today = timezone.localdate()
    readable_document = task.document_id and visible_documents(user).filter(pk=task.document_id).exists()
    return {
        **task_out(task, due_state(task, today)),
        "description": task.description, "meeting": task.meeting,
        "document_id": task.document_id if readable_document else None,
        "subtasks": [task_out(sub, due_state(sub, today))
                     for sub in _listed(visible_tasks(user, task.subtasks.all())).order_by("due_on", "pk")],
        "progress_reports": [report_out(r) for r in task.reports.select_related("author")],
        "extension_requests": [extension_out(e) for e in task.extensions.select_related("requested_by", "decided_by")],
    }
