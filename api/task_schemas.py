"""What the tasks API answers: a task with its assignees and due state; the detail adds its visible
sub-tasks, progress reports and extension requests. A report's attachment is named and sized
only: the e-office has no authorised download for it to link to."""

import datetime as dt
import posixpath

from ninja import Schema

from work.models import ExtensionRequest, ProgressReport, Task


class AssigneeOut(Schema):
    role: str
    unit_id: int | None
    unit_name: str | None
    person_id: int | None
    person_name: str | None


class TaskOut(Schema):
    id: int
    agency_code: str
    title: str
    source: str
    priority: str
    status: str
    status_label: str
    due_on: dt.date
    # "overdue", "due_soon" (within one working day) or "" (work.selectors.due_state).
    due_state: str
    created_at: dt.datetime
    completed_at: dt.datetime | None
    parent_id: int | None
    assigned_by: str
    assignees: list[AssigneeOut]


class TaskPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[TaskOut]


class AttachmentOut(Schema):
    name: str
    size: int | None


class ProgressReportOut(Schema):
    id: int
    author: str
    percent: int
    text: str
    created_at: dt.datetime
    attachment: AttachmentOut | None


class ExtensionOut(Schema):
    id: int
    requested_by: str
    requested_at: dt.datetime
    new_due_on: dt.date
    reason: str
    state: str
    decided_by: str | None
    decided_at: dt.datetime | None


class TaskDetailOut(TaskOut):
    description: str
    meeting: str
    document_id: int | None  # null unless the token's user may read the document
    subtasks: list[TaskOut]
    progress_reports: list[ProgressReportOut]
    extension_requests: list[ExtensionOut]


def task_out(task: Task, due_state: str) -> dict:
    return {
        "id": task.pk, "agency_code": task.agency.code, "title": task.title, "source": task.source,
        "priority": task.priority, "status": task.status, "status_label": str(task.get_status_display()),
        "due_on": task.due_on, "due_state": due_state, "created_at": task.created_at,
        "completed_at": task.completed_at, "parent_id": task.parent_id, "assigned_by": str(task.assigned_by),
        "assignees": [{"role": a.role, "unit_id": a.unit_id, "unit_name": a.unit.name if a.unit else None,
                       "person_id": a.person_id, "person_name": str(a.person) if a.person else None}
                      for a in task.assignees.all()],
    }


def _attachment(report: ProgressReport) -> dict | None:
    if not report.attachment:
        return None
    try:
        size = report.attachment.size
    except OSError:  # the stored file is gone: still say there was one
        size = None
    return {"name": posixpath.basename(report.attachment.name or ""), "size": size}


def report_out(report: ProgressReport) -> dict:
    return {"id": report.pk, "author": str(report.author), "percent": report.percent, "text": report.text,
            "created_at": report.created_at, "attachment": _attachment(report)}


def extension_out(extension: ExtensionRequest) -> dict:
    return {"id": extension.pk, "requested_by": str(extension.requested_by), "requested_at": extension.requested_at,
            "new_due_on": extension.new_due_on, "reason": extension.reason, "state": extension.state,
            "decided_by": str(extension.decided_by) if extension.decided_by else None,
            "decided_at": extension.decided_at}
