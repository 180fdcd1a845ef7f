"""The officials' support pages (/workspace/support/): the desk's queue, answering with templates,
escalating, the hotline operator's screen, asking for help as an official, statistics with their
Excel export, and campaigns with their progress. Each page offers what ``support.policy`` allows."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.access import official_required

from . import campaigns as campaign_services
from . import policy, selectors, services
from .forms import AnswerForm, AskForm, CampaignForm
from .models import Campaign, Channel, RequestStatus


def _office(view):
    return login_required(official_required(view))


TABS = ("open", "overdue", "answered", "all")


@_office
def queue(request: HttpRequest) -> HttpResponse:
    policy.require_office(request.user, policy.Office.QUEUE)
    tab = request.GET.get("tab", "open")
    tab = tab if tab in TABS else "open"
    requests = selectors.office_requests(request.user)
    now = timezone.now()
    shown = {"open": requests.filter(status=RequestStatus.OPEN),
             "overdue": requests.filter(status=RequestStatus.OPEN, due_at__lte=now),
             "answered": requests.filter(status=RequestStatus.ANSWERED), "all": requests}[tab]
    labels = {"open": _("Waiting for an answer"), "overdue": _("Past their time"), "answered": _("Answered"),
              "all": _("All")}
    tabs = [{"key": key, "label": labels[key], "active": key == tab} for key in TABS]
    page = Paginator(shown.order_by("due_at", "id") if tab != "answered" else shown, 25).get_page(
        request.GET.get("page"))
    return render(request, "support/office/queue.html", {
        "tabs": tabs, "tab": tab, "page_obj": page, "now": now,
        "may_hotline": policy.may(request.user, policy.Office.HOTLINE),
        "may_statistics": policy.may(request.user, policy.Office.STATISTICS),
        "may_campaigns": policy.may(request.user, policy.Office.CAMPAIGNS)})


def _readable(request: HttpRequest, pk: int):
    found = selectors.office_requests(request.user).filter(pk=pk).first()
    if found is None or not policy.allowed(request.user, policy.Do.VIEW, found):
        raise Http404
    return found


@_office
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    may_answer = policy.allowed(request.user, policy.Do.ANSWER, item)
    templates = list(selectors.answer_templates(item)) if may_answer else []
    chosen = next((t for t in templates if str(t.pk) == request.GET.get("template")), None)
    form = AnswerForm(request.POST or None, initial={"answer": chosen.body if chosen else ""})
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.answer(request=item, official=request.user, text=form.cleaned_data["answer"])
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("The answer has been sent to the person who asked."))
                return redirect("support_office:detail", pk=item.pk)
    return render(request, "support/office/detail.html", {
        "item": item, "form": form if may_answer else None, "templates": templates,
        "may_escalate": policy.allowed(request.user, policy.Do.ESCALATE, item)})


@_office
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    services.escalate(request=item, by=request.user)
    messages.success(request, _("The agency's leaders have been told."))
    return redirect("support_office:detail", pk=item.pk)


def _ask(request: HttpRequest, *, hotline: bool) -> HttpResponse:
    initial = {key: request.GET.get(key, "")[:500] for key in ("page", "dossier", "procedure")}
    user: Any = request.user
    if not hotline:
        initial.update(name=user.get_full_name(), email=user.email)
    form = AskForm(request.POST or None, initial=initial, signed_in=not hotline)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        context = services.Context(page=data["page"], dossier=data["dossier"], procedure=data["procedure"])
        try:
            created = services.ask(
                user=None if hotline else request.user, channel=Channel.HOTLINE if hotline else Channel.WORKSPACE,
                name=data["name"], email=data["email"], phone=data["phone"], topic=data["topic"],
                question=data["question"], context=context, recorded_by=request.user if hotline else None)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("Support request #%(id)s has been recorded.") % {"id": created.pk})
            if hotline:
                return redirect("support_office:hotline")
            return redirect("support:request", token=created.token)
    return render(request, "support/office/ask.html", {"form": form, "hotline": hotline})


@_office
def ask(request: HttpRequest) -> HttpResponse:
    return _ask(request, hotline=False)


@_office
def hotline(request: HttpRequest) -> HttpResponse:
    policy.require_office(request.user, policy.Office.HOTLINE)
    return _ask(request, hotline=True)


@_office
def statistics(request: HttpRequest) -> HttpResponse:
    policy.require_office(request.user, policy.Office.STATISTICS)
    return render(request, "support/office/statistics.html", {"tables": selectors.statistics(request.user)})


@_office
def statistics_export(request: HttpRequest) -> HttpResponse:
    policy.require_office(request.user, policy.Office.STATISTICS)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    tables = selectors.statistics(request.user)
    book = Workbook()
    sheets = [("topic", _("By topic")), ("procedure", _("By procedure"))]
    for index, (key, title) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title[:31]
        sheet.append([title, _("Requests"), _("Waiting"), _("Escalated"), _("Average rating")])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in tables[key]:
            sheet.append([row.label, row.total, row.open, row.escalated,
                          round(row.rating, 2) if row.rating is not None else None])
        sheet.column_dimensions["A"].width = 70
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="ho-tro-thong-ke.xlsx"'
    return response


@_office
def campaigns(request: HttpRequest) -> HttpResponse:
    policy.require_office(request.user, policy.Office.CAMPAIGNS)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = form.save(commit=False)
        created.created_by = request.user
        created.save()
        return redirect("support_office:campaign", pk=created.pk)
    return render(request, "support/office/campaigns.html", {"form": form, "campaigns": selectors.campaigns()})


@_office
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require_office(request.user, policy.Office.CAMPAIGNS)
    item = get_object_or_404(Campaign, pk=pk)
    if request.method == "POST":
        try:
            count = campaign_services.start(campaign=item, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Sending to %(n)s subscribers in the background.") % {"n": count})
        return redirect("support_office:campaign", pk=item.pk)
    item.refresh_from_db()
    return render(request, "support/office/campaign.html", {"item": item, "progress": selectors.progress(item)})
