"""The national portal's synchronisation page (/national/) for the province's administrators: the
dossiers taken from the National Public Service Portal (received or refused, with the reason), a
button to fetch the new ones now and one to publish the procedure catalog."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.access import official_required
from national import policy

from . import catalog, services
from .models import NationalDossier


def _guard(request: HttpRequest) -> None:
    if not policy.may_oversee(request.user):
        raise PermissionDenied(_("Only the province's administrators follow the national portal's synchronisation."))


@login_required
@official_required
def overview(request: HttpRequest) -> HttpResponse:
    _guard(request)
    rows = NationalDossier.objects.select_related("dossier").order_by("-received_at", "-id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "nationalsync/overview.html", {"page_obj": page})


@require_POST
@login_required
@official_required
def fetch(request: HttpRequest) -> HttpResponse:
    _guard(request)
    report = services.fetch_now(acting_user=request.user)
    if report.unavailable:
        messages.warning(request, _("The National Public Service Portal is not answering; the dossiers will be "
                                    "fetched automatically when it answers again."))
    else:
        messages.success(request, _("%(fetched)d dossier(s) fetched: %(received)d received, %(refused)d refused.")
                         % {"fetched": report.fetched, "received": report.received, "refused": report.refused})
    return redirect("nationalsync:overview")


@require_POST
@login_required
@official_required
def publish_catalog(request: HttpRequest) -> HttpResponse:
    _guard(request)
    item = catalog.publish(acting_user=request.user)
    messages.success(request, _("The catalog of %(count)d procedure(s) is queued for the national portal.")
                     % {"count": len(item.payload.get("thuTuc", []))})
    return redirect("nationalsync:overview")
