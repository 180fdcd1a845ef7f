"""The IT asset inventory: filters, what expires within 90 days, the asset form, and the
province admin's button that copies the signing certificates in; and the reports: spending by
agency, source and year against plan (page and Excel), and the duplicate investments."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Agency
from egov.text import fold

from . import certificates, exports, figures, policy, services
from .forms import AssetFilterForm, AssetForm
from .models import Asset
from .selectors import readable_assets, readable_projects
from .views import _form_errors, planners_only

SOON = dt.timedelta(days=90)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@planners_only
def assets(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    visible = readable_assets(request.user)
    agencies = Agency.objects.filter(pk__in=visible.values("agency_id")).order_by("name")
    form = AssetFilterForm(request.GET or None, agencies=agencies)
    found = visible
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            found = found.filter(kind=data["kind"])
        if data["agency"]:
            found = found.filter(agency=data["agency"])
        if data["expiring"]:
            found = found.filter(expires_on__gte=today, expires_on__lte=today + SOON)
    rows = list(found)
    if form.is_valid() and form.cleaned_data["q"]:
        needle = fold(form.cleaned_data["q"])
        rows = [a for a in rows if needle in fold(f"{a.name} {a.supplier} {a.contract_number} {a.identifier}")]
    expiring = list(visible.filter(active=True, expires_on__gte=today, expires_on__lte=today + SOON)
                    .order_by("expires_on"))
    return render(request, "itplanning/assets.html", {
        "form": form,
        "assets": [(a, a.days_left(today), bool(policy.decide_asset(request.user, a))) for a in rows],
        "expiring": [(a, a.days_left(today)) for a in expiring],
        "can_create": policy.editable_agencies(request.user).exists(),
        "can_sync": policy.may_synchronise_certificates(request.user)})


def _asset_form(request: HttpRequest, instance: Asset | None = None) -> AssetForm:
    agencies = policy.editable_agencies(request.user)
    projects = readable_projects(request.user).filter(agency__in=agencies)
    return AssetForm(request.POST or None, instance=instance, agencies=agencies, projects=projects)


@planners_only
def asset_new(request: HttpRequest) -> HttpResponse:
    if not policy.editable_agencies(request.user).exists():
        raise Http404
    form = _asset_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_asset(user=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The asset is listed."))
            return redirect("itplanning:assets")
    return render(request, "itplanning/form.html", {"form": form, "title": _("New IT asset"),
                                                    "cancel": "itplanning:assets"})


@planners_only
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(readable_assets(request.user), pk=pk)
    if not policy.decide_asset(request.user, record):
        raise Http404
    form = _asset_form(request, record)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_asset(user=request.user, asset=record, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("itplanning:assets")
    return render(request, "itplanning/form.html", {"form": form, "title": _("Edit the asset"),
                                                    "cancel": "itplanning:assets"})


@planners_only
def assets_sync(request: HttpRequest) -> HttpResponse:
    if request.method != "POST" or not policy.may_synchronise_certificates(request.user):
        raise Http404
    changed = certificates.synchronise()
    messages.success(request, _("Signing certificates listed or refreshed: %(n)d.") % {"n": changed})
    return redirect("itplanning:assets")


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@planners_only
def spending(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    report = figures.spending(readable_projects(request.user), year)
    title = _("Year %(year)d") % {"year": year} if year else _("All years")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(exports.spending_excel(report, title=title), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="chi-cntt-{year or "tat-ca"}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
    this_year = timezone.localdate().year
    return render(request, "itplanning/spending.html", {
        "report": report, "year": year, "title": title,
        "years": range(this_year - 2, this_year + 5)})


@planners_only
def duplicates(request: HttpRequest) -> HttpResponse:
    pairs = figures.duplicates(readable_projects(request.user).select_related("plan__agency"))
    return render(request, "itplanning/duplicates.html", {"pairs": pairs})
