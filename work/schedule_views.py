"""The weekly work schedule page (lịch công tác tuần): week by week, the published entries for
every official of the agency; its leaders and clerks also see drafts, add, edit and publish."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy, schedule
from .forms import ScheduleEntryForm
from .models import ScheduleEntry
from .views import office, reason


def _week(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return schedule.monday_of(day)


def _url(agency_id: int, monday: dt.date) -> str:
    return f"{reverse('work:schedule')}?agency={agency_id}&week={monday.isoformat()}"


@office
def week(request: HttpRequest) -> HttpResponse:
    agencies = list(schedule.agencies_of(request.user))
    if not agencies:
        raise Http404
    chosen = request.GET.get("agency") or request.POST.get("agency")
    agency = next((a for a in agencies if str(a.pk) == chosen), agencies[0])
    monday = _week(request)
    editor = policy.may_edit_schedule(request.user, agency.pk)
    form = ScheduleEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            if request.POST.get("publish"):
                count = schedule.publish_week(acting_user=request.user, agency=agency, monday=monday)
                messages.success(request, _("%(n)d entries published.") % {"n": count})
                return redirect(_url(agency.pk, monday))
            if form.is_valid():
                entry = schedule.add_entry(acting_user=request.user, agency=agency, **form.cleaned_data)
                messages.success(request, _("The entry has been added."))
                return redirect(_url(agency.pk, schedule.monday_of(timezone.localtime(entry.starts_at).date())))
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, reason(error))
    entries = list(schedule.week_entries(request.user, agency, monday))
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        days.append({"day": day, "entries": [e for e in entries if timezone.localtime(e.starts_at).date() == day]})
    return render(request, "work/schedule.html", {
        "agency": agency, "agencies": agencies, "monday": monday, "sunday": monday + dt.timedelta(days=6),
        "previous": _url(agency.pk, monday - dt.timedelta(days=7)), "next": _url(agency.pk, monday + dt.timedelta(days=7)),
        "days": days, "editor": editor, "form": form if editor else None,
        "drafts": any(not e.published for e in entries),
    })


@office
def edit_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(ScheduleEntry, pk=pk)
    if not policy.may_edit_schedule(request.user, entry.agency_id):
        raise Http404
    back = _url(entry.agency_id, schedule.monday_of(timezone.localtime(entry.starts_at).date()))
    if request.method == "POST" and request.POST.get("delete"):
        schedule.delete_entry(acting_user=request.user, entry=entry)
        messages.success(request, _("The entry has been deleted."))
        return redirect(back)
    initial = {name: getattr(entry, name) for name in schedule.FIELDS}
    form = ScheduleEntryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            schedule.update_entry(acting_user=request.user, entry=entry, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            form.add_error(None, reason(error))
        else:
            messages.success(request, _("The entry has been saved."))
            return redirect(back)
    return render(request, "work/entry.html", {"entry": entry, "form": form, "back": back})
