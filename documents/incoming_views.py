"""The incoming documents' pages (/workspace/documents/incoming/): the register with its tabs,
registering a document (vào sổ), a document's page with its files, its handling and exactly the
actions ``documents.policy.available_actions`` offers, each posted to its door."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from audit.services import record_read
from directory.models import OrgUnit
from directory.scope import Action, scope_of
from dossiers.office.common import office
from egov.http import private_file
from workdays import calendar

from . import incoming, ocr, policy, routing
from .incoming_forms import ACTION_FORMS, FilterForm, RegisterForm
from .models import Assignment, AssignmentRole, Direction, Document, DocumentFile, Status
from .selectors import can_read, open_assignments, visible_documents

PAGE_SIZE = 25
TABS = [("pending", Status.PENDING), ("registered", Status.REGISTERED), ("in_handling", Status.IN_HANDLING),
        ("handled", Status.HANDLED), ("mine", None)]
INLINE = {"pdf": "application/pdf", "image": "image/png"}


def _tab_labels():
    return {"pending": _("Waiting for acceptance"), "registered": _("Waiting for direction"),
            "in_handling": _("Being handled"), "handled": _("Handled"), "mine": _("Mine")}


def readable(request: HttpRequest, pk: int) -> Document:
    document = get_object_or_404(Document.objects.select_related("document_type", "register", "agency",
                                                                 "answered_by"), pk=pk, direction=Direction.INCOMING)
    if not can_read(request.user, document):
        raise Http404
    return document


def _due_badge(due_on, today) -> str:
    if due_on is None:
        return ""
    if due_on < today:
        return "overdue"
    return "due_soon" if calendar.working_days_between(today, due_on) <= 1 else ""


@office
def register_list(request: HttpRequest) -> HttpResponse:
    documents = visible_documents(request.user, Document.objects.filter(direction=Direction.INCOMING))
    agency_ids = set(documents.values_list("agency_id", flat=True).distinct()) | set(
        scope_of(request.user, Action.ISSUE).agency_ids)
    mine = open_assignments(request.user)
    mine_documents = Document.objects.filter(pk__in=mine.values("document_id"))
    counts = documents.aggregate(**{name: Count("pk", filter=Q(status=status)) for name, status in TABS if status})
    counts["mine"] = visible_documents(request.user, mine_documents).count()
    tab = request.GET.get("tab") or ("pending" if counts.get("pending") and _clerk(request.user) else "registered")
    if tab not in dict(TABS):
        tab = "registered"
    form = FilterForm(request.GET or None, agency_ids=agency_ids)
    listed = visible_documents(request.user, mine_documents) if tab == "mine" else documents.filter(
        status=dict(TABS)[tab])
    if form.is_valid():
        data = form.cleaned_data
        if data.get("register"):
            listed = listed.filter(register=data["register"])
        if data.get("first_day"):
            listed = listed.filter(received_at__date__gte=data["first_day"])
        if data.get("last_day"):
            listed = listed.filter(received_at__date__lte=data["last_day"])
        if data.get("urgency"):
            listed = listed.filter(urgency=data["urgency"])
    listed = listed.select_related("document_type", "register").annotate(
        held=Exists(mine.filter(document=OuterRef("pk")))).order_by("-received_at", "-id")
    page_obj = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    due = {a.document_id: a.due_on for a in mine.filter(document__in=list(page_obj)).order_by("-due_on")}
    for document in page_obj:
        document.due = due.get(document.pk, document.handling_due_on)
        document.badge = _due_badge(document.due, today) if document.status == Status.IN_HANDLING else ""
    labels = _tab_labels()
    kept = {key: str(value) for key, value in request.GET.items() if key != "page" and value}
    return render(request, "documents/incoming/list.html", {
        "tabs": [{"name": name, "label": labels[name], "count": counts.get(name, 0), "active": name == tab,
                  "query": urlencode({**{k: v for k, v in kept.items() if k != "tab"}, "tab": name})}
                 for name, _status in TABS],
        "tab": tab, "form": form, "page_obj": page_obj, "querystring_base": urlencode(kept) + "&" if kept else "",
        "may_register": _clerk(request.user)})


def _clerk(user) -> bool:
    return bool(scope_of(user, Action.ISSUE).agency_ids)


def _clerk_agency_id(user) -> int:
    agency_ids = sorted(scope_of(user, Action.ISSUE).agency_ids)
    if not agency_ids:
        raise PermissionDenied(_("Only the agency's clerk registers incoming documents."))
    return agency_ids[0]


@office
def register_new(request: HttpRequest) -> HttpResponse:
    agency_id = _clerk_agency_id(request.user)
    form = RegisterForm(request.POST or None, request.FILES or None, agency_id=agency_id)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {"agency": data["register"].agency, "register": data["register"], "clerk": request.user,
                  "metadata": form.metadata(), "files": data["files"], "allow_duplicate": data["confirm_duplicate"]}
        try:
            if data["source"] == "email":
                document = incoming.register_email(eml=data["eml"], **common)
            else:
                document = incoming.register_paper(**common)
        except incoming.DuplicateFound as found:
            existing = found.existing if can_read(request.user, found.existing) else None
            form.add_error(None, _("This document seems to be registered already. Check it, then register it "
                                   "again as a duplicate copy or cancel. Choose the files again."))
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _reason(error))
        else:
            messages.success(request, _("Registered as arrival number %(number)s.") % {
                "number": document.register_number})
            return redirect("documents:incoming_detail", pk=document.pk)
    return render(request, "documents/incoming/register.html", {"form": form, "existing": existing})


def _reason(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def _tree(document: Document) -> list[dict]:
    assignments = list(document.assignments.select_related("unit", "person", "assigned_by"))
    children: dict[int | None, list[Assignment]] = {}
    for assignment in assignments:
        children.setdefault(assignment.parent_id, []).append(assignment)

    def walk(parent_id, depth):
        rows = []
        for assignment in children.get(parent_id, []):
            rows.append({"a": assignment, "depth": depth})
            rows.extend(walk(assignment.pk, depth + 1))
        return rows

    return walk(None, 0)


@office
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = readable(request, pk)
    if document.classified:
        record_read(obj=document, fields=["abstract", "files"])
    actions = policy.available_actions(request.user, document)
    held = policy.held_assignment(request.user, document)
    forms = []
    for name, (form_class, label) in ACTION_FORMS.items():
        if name in actions:
            extra = {"held": held} if name == "reassign" else {}
            forms.append({"name": name, "label": label,
                          "form": form_class(document=document, user=request.user, prefix=name, **extra)})
    files = [{"f": record, "preview": _kind(record)} for record in document.files.all()]
    return render(request, "documents/incoming/detail.html", {
        "document": document, "files": files, "forms": forms, "tree": _tree(document),
        "comments": document.comments.select_related("author"), "may_answer": policy.may_answer(request.user, document),
        "duplicates": [d for d in incoming.duplicates_of(document) if can_read(request.user, d)]})


def _kind(record: DocumentFile) -> str:
    """"pdf" or "image" by what the stored bytes are (never the uploader's claim), else ""."""
    with record.file.open("rb") as handle:
        return ocr.kind_of(record.original_name, handle.read(8))


@office
@xframe_options_sameorigin  # framed by the document's own page only
@csp_replace({"frame-ancestors": ["'self'"]})  # type: ignore[arg-type]
def inline_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    record = get_object_or_404(DocumentFile.objects.select_related("document"), pk=pk)
    if record.document.direction != Direction.INCOMING or not can_read(request.user, record.document):
        raise Http404
    kind = _kind(record)
    if not kind:
        raise Http404
    if record.document.classified:
        record_read(obj=record, fields=["file"])
    content_type = INLINE["pdf"] if kind == "pdf" else (record.content_type if record.content_type.startswith(
        "image/") else INLINE["image"])
    return private_file(record.file, content_type=content_type, filename=record.original_name, attachment=False)


def _perform(name: str, request: HttpRequest, document: Document, data: dict) -> None:
    user, revision = request.user, data["revision"]
    if name == "accept":
        incoming.accept(document=document, clerk=user, register=data["register"], expected_revision=revision)
    elif name == "refuse":
        incoming.refuse(document=document, clerk=user, reason=data["reason"], expected_revision=revision)
    elif name == "edit":
        changes = {key: data[key] for key in ("number_symbol", "issued_on", "issuer_name", "abstract", "urgency",
                                              "handling_due_on")}
        incoming.edit(document=document, clerk=user, changes=changes, expected_revision=revision)
    elif name == "direct":
        targets = [_target(AssignmentRole.MAIN, data["main"])] if data["main"] else []
        targets += [_target(AssignmentRole.COOPERATE, value) for value in data["cooperate"]]
        targets += [_target(AssignmentRole.INFORM, value) for value in data["inform"]]
        routing.direct(document=document, leader=user, assignments=targets, note=data["note"], due_on=data["due_on"],
                       expected_revision=revision)
    elif name == "reassign":
        held = policy.held_assignment(user, document)
        if held is None:
            raise PermissionDenied(policy.decide(user, document, name).reason)
        routing.reassign(assignment=held, unit_head=user, person=_person(data["person"]), note=data["note"],
                         due_on=data["due_on"], expected_revision=revision)
    elif name == "complete":
        routing.complete(document=document, user=user, how=data["how"], answered_by=data["answered_by"],
                         note=data["note"], expected_revision=revision)
    elif name == "acknowledge":
        routing.acknowledge(document=document, user=user, note=data["note"], expected_revision=revision)


def _person(value: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=int(value.removeprefix("p:")))


def _target(role: str, value: str) -> routing.Target:
    if value.startswith("u:"):
        return routing.Target(role, unit=OrgUnit.objects.get(pk=int(value[2:])))
    return routing.Target(role, person=_person(value))


@office
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    document = readable(request, pk)
    if name not in ACTION_FORMS:
        raise Http404
    form_class, label = ACTION_FORMS[name]
    extra = {"held": policy.held_assignment(request.user, document)} if name == "reassign" else {}
    form = form_class(request.POST, document=document, user=request.user, prefix=name, **extra)
    try:
        if not form.is_valid():
            errors = [f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".lstrip(": ")
                      for f, e in form.errors.items()]
            raise ValidationError(_("Check what you entered in “%(action)s”.") % {"action": label} + " "
                                  + " ".join(errors))
        if form.cleaned_data["revision"] != document.revision:
            raise incoming.StaleDocument(_("Someone changed this document meanwhile. Reload the page and try again."))
        _perform(name, request, document, form.cleaned_data)
    except (ValidationError, PermissionDenied, incoming.StaleDocument) as error:
        messages.error(request, _reason(error))
        return redirect("documents:incoming_detail", pk=document.pk)
    messages.success(request, _("Done: %(action)s.") % {"action": label})
    if can_read(request.user, document):
        return redirect("documents:incoming_detail", pk=document.pk)
    return redirect("documents:incoming")
