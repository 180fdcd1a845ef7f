"""The work pages: my tasks (Công việc của tôi), the leader's follow-up board, a task's page and
the form that gives a task (Giao việc). Every read goes through ``work.selectors``; every change
through ``work.services``; the page offers exactly ``work.policy.available_actions``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Agency
from dossiers.office.common import office

from . import followup, policy, selectors, services
from .forms import ACTION_FORMS, TaskForm
from .models import UNFINISHED, Task


def readable(request: HttpRequest, pk: int) -> Task:
    """The task ``pk`` if the official may see it, else 404 (whether or not it exists)."""
    task = get_object_or_404(Task.objects.select_related("agency", "assigned_by", "document", "parent"), pk=pk)
    if not selectors.can_see(request.user, task):
        raise Http404
    return task


def reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("This action is not allowed for this task now.")


def _badged(tasks):
    today = timezone.localdate()
    for task in tasks:
        task.due_state = selectors.due_state(task, today)
    return tasks


TABS = {"mine": selectors.my_tasks, "given": selectors.given_by}


@office
def board(request: HttpRequest) -> HttpResponse:
    """Công việc của tôi: the tasks given to me or my unit, and those I gave; counts and badges."""
    tab = request.GET.get("tab", "mine")
    if tab not in TABS:
        tab = "mine"
    show_all = request.GET.get("all") == "1"
    today = timezone.localdate()
    tabs = []
    for name, label in (("mine", _("Assigned to me")), ("given", _("Assigned by me"))):
        unfinished = TABS[name](request.user).filter(status__in=UNFINISHED)
        tabs.append({"name": name, "label": label, "count": unfinished.count(), "url": f"?tab={name}"})
    tasks = TABS[tab](request.user).select_related("agency", "assigned_by").order_by("due_on", "pk")
    if not show_all:
        tasks = tasks.filter(status__in=UNFINISHED)
    open_ones = list(TABS[tab](request.user).filter(status__in=UNFINISHED))
    overdue = sum(1 for task in open_ones if task.due_on < today)
    due_soon = sum(1 for task in open_ones if selectors.due_state(task, today) == "due_soon")
    page = Paginator(tasks, 25).get_page(request.GET.get("page"))
    _badged(page.object_list)
    return render(request, "work/board.html", {
        "tab": tab, "tabs": tabs, "page_obj": page, "overdue": overdue, "due_soon": due_soon, "show_all": show_all,
        "may_assign": bool(policy.assigning_agencies(request.user)),
        "leads": [a for a in policy.assigning_agencies(request.user) if policy.leads(request.user, a)],
    })


@office
def follow_up(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The leader's follow-up board: per unit, open, overdue, done on time and late; drill down."""
    agency = get_object_or_404(Agency, pk=agency_id)
    if not policy.leads(request.user, agency.pk):
        raise Http404
    rows = followup.board(agency.pk)
    tasks, unit_id, kind = None, request.GET.get("unit"), request.GET.get("kind") or None
    if unit_id and unit_id.isdigit():
        tasks = _badged(list(followup.drill_down(agency.pk, int(unit_id), kind)))
    return render(request, "work/follow_up.html", {"agency": agency, "rows": rows, "tasks": tasks,
                                                   "unit": unit_id, "kind": kind})


@office
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = readable(request, pk)
    actions = policy.available_actions(request.user, task)
    forms = {name: ACTION_FORMS[name](initial={"revision": task.revision}, prefix=name)
             for name in sorted(actions) if name in ACTION_FORMS}
    return render(request, "work/task.html", {
        "task": task, "actions": actions, "forms": forms,
        "assignees": task.assignees.select_related("unit", "person"),
        "reports": task.reports.select_related("author"),
        "extensions": task.extensions.select_related("requested_by", "decided_by"),
        "pending": task.extensions.filter(state="pending").first(),
        "subtasks": _badged(list(selectors.visible_tasks(request.user, task.subtasks.all()))),
        "due_state": selectors.due_state(task, timezone.localdate()),
    })


def _perform(request: HttpRequest, task: Task, action: str, data: dict):
    rev = data["revision"]
    user = request.user
    if action == "report_progress":
        return services.report_progress(task=task, acting_user=user, percent=data["percent"], text=data["text"],
                                        attachment=data.get("attachment"), expected_revision=rev)
    if action == "request_extension":
        return services.request_extension(task=task, acting_user=user, new_due_on=data["new_due_on"],
                                          reason=data["reason"], expected_revision=rev)
    if action == "decide_extension":
        return services.decide_extension(task=task, acting_user=user, approve=data["decision"] == "approve",
                                         note=data["note"], expected_revision=rev)
    if action == "submit_completion":
        return services.submit_completion(task=task, acting_user=user, text=data["text"], expected_revision=rev)
    if action == "approve_completion":
        return services.approve_completion(task=task, acting_user=user, expected_revision=rev)
    if action == "reopen":
        return services.reopen(task=task, acting_user=user, reason=data["reason"], expected_revision=rev)
    return services.cancel(task=task, acting_user=user, reason=data["reason"], expected_revision=rev)


@office
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST" or action not in ACTION_FORMS:
        raise Http404
    task = readable(request, pk)
    form = ACTION_FORMS[action](request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, errors)
        return redirect("work:task", pk=task.pk)
    try:
        _perform(request, task, action, form.cleaned_data)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, reason(error))
    else:
        messages.success(request, _("Done."))
    return redirect("work:task", pk=task.pk)


def _task_form(request: HttpRequest, agency_id: int, data=None) -> TaskForm:
    from documents.models import Document
    from documents.selectors import visible_documents

    documents = visible_documents(request.user, Document.objects.filter(agency_id=agency_id)).order_by("-pk")
    return TaskForm(data, units=policy.assignable_units(request.user, agency_id),
                    people=policy.assignable_people(request.user, agency_id), documents=documents)


@office
def new_task(request: HttpRequest) -> HttpResponse:
    """Giao việc: a new task, or with ``?parent=`` a sub-task of one in the official's charge."""
    parent = None
    if request.GET.get("parent", "").isdigit():
        parent = readable(request, int(request.GET["parent"]))
        if not policy.decide(request.user, parent, "add_subtask"):
            raise PermissionDenied
        agency_id = parent.agency_id
    else:
        agencies = policy.assigning_agencies(request.user)
        if not agencies:
            raise PermissionDenied
        agency_id = agencies[0]
    form = _task_form(request, agency_id, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                acting_user=request.user, agency=Agency.objects.get(pk=agency_id), parent=parent,
                title=data["title"], description=data["description"], source=data["source"],
                document=data["document"], meeting=data["meeting"], priority=data["priority"],
                due_on=data["due_on"], units_in_charge=data["units_in_charge"],
                people_in_charge=data["people_in_charge"], units_cooperating=data["units_cooperating"],
                people_cooperating=data["people_cooperating"])
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, reason(error))
        else:
            messages.success(request, _("The task has been given."))
            return redirect(reverse("work:task", args=[task.pk]))
    return render(request, "work/new.html", {"form": form, "parent": parent})
