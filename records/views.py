"""The files and archive pages: the year's files with their counts, a file with its documents and
the actions ``records.policy`` offers, the form to open a file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from directory.models import Agency, Membership
from documents.selectors import visible_documents
from dossiers.office.common import office, reason

from . import policy, services
from .forms import AttachForm, OpenFileForm
from .models import CaseFile, FileStatus
from .selectors import files_of_year, readable_files

CANDIDATES = 200  # the newest documents offered to attach; search finds older ones


def _home_agency(user) -> Agency | None:
    membership = Membership.objects.valid_on().filter(official=user).select_related("agency").first()
    return membership.agency if membership else None


@office
def files(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year_files = files_of_year(request.user, year)
    counts = dict(year_files.order_by().values_list("status").annotate(n=Count("id")))
    agency = _home_agency(request.user)
    return render(request, "records/files.html", {
        "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        "files": year_files, "counts": [(label, counts.get(value, 0)) for value, label in FileStatus.choices],
        "can_open": agency is not None and policy.may_open(request.user, agency.pk)})


@office
def open_file(request: HttpRequest) -> HttpResponse:
    agency = _home_agency(request.user)
    if agency is None or not policy.may_open(request.user, agency.pk):
        raise Http404
    form = OpenFileForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_file = services.open_file(user=request.user, agency=agency, year=timezone.localdate().year,
                                           code=data["code"], title=data["title"], unit=data["unit"],
                                           retention_years=data["retention_years"])
        except ValidationError as error:
            form.add_error(None, error)  # a dict of fields goes to its fields
        except PermissionDenied as error:
            form.add_error(None, reason(error))
        else:
            return redirect("records:file", case_file.pk)
    return render(request, "records/open.html", {"form": form, "agency": agency})


def _readable(request: HttpRequest, pk: int) -> CaseFile:
    return get_object_or_404(readable_files(request.user).select_related("file_list__agency", "unit", "keeper"),
                             pk=pk)


@office
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    record = _readable(request, pk)
    actions = policy.available_actions(request.user, record)
    items = record.items.select_related("document__document_type", "added_by")
    # The documents of the file the reader may read; the others are counted, never named.
    shown = visible_documents(request.user).filter(case_file_items__case_file=record)
    listed = [i for i in items if i.document_id in set(shown.values_list("pk", flat=True))]
    attach = None
    if "attach" in actions:
        candidates = (visible_documents(request.user).filter(agency_id=record.agency_id)
                      .exclude(case_file_items__case_file=record).order_by("-created_at")[:CANDIDATES])
        attach = AttachForm(documents=visible_documents(request.user).filter(
            pk__in=list(candidates.values_list("pk", flat=True))))
    entry = getattr(record, "archive_entry", None) if record.status == FileStatus.TRANSFERRED else None
    return render(request, "records/file.html", {
        "file": record, "items": listed, "hidden": len(items) - len(listed), "actions": actions,
        "attach": attach, "entry": entry,
        "close_reason": policy.decide(request.user, record, "close").reason if record.status == "open" else ""})


@office
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    record = _readable(request, pk)
    try:
        if action == "attach":
            form = AttachForm(request.POST, documents=visible_documents(request.user))
            if not form.is_valid():
                raise ValidationError(list(form.errors["document"]))
            services.attach(user=request.user, case_file=record, document=form.cleaned_data["document"])
        elif action == "close":
            services.close(user=request.user, case_file=record)
        elif action == "transfer":
            services.transfer(user=request.user, case_file=record)
        else:
            raise Http404
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, reason(error))
    return redirect("records:file", record.pk)
