"""The national systems' status page (/workspace/national/) for the province's administrators:
each system, configured or not, its circuit breaker, and the messages still owed to it, with a
button to send them again."""

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

from . import policy, status
from .base import SYSTEM_NAMES


def _guard(request: HttpRequest) -> None:
    if not policy.may_oversee(request.user):
        raise PermissionDenied(_("Only the province's administrators follow the national systems."))


@login_required
@official_required
def overview(request: HttpRequest) -> HttpResponse:
    _guard(request)
    system = request.GET.get("system", "")
    if system not in SYSTEM_NAMES:
        system = ""
    page = Paginator(status.owed(system), 50).get_page(request.GET.get("page"))
    for item in page:
        item.system_name = SYSTEM_NAMES.get(item.system, item.system)  # type: ignore[attr-defined]
        item.kind_label = status.KINDS.get(item.kind, item.kind)  # type: ignore[attr-defined]
    return render(request, "national/status.html", {
        "systems": status.systems(), "page_obj": page, "system_name": SYSTEM_NAMES.get(system, "")})


@require_POST
@login_required
@official_required
def retry(request: HttpRequest) -> HttpResponse:
    _guard(request)
    system = request.POST.get("system", "")
    item = request.POST.get("item", "")
    count = status.retry(acting_user=request.user, system=system if system in SYSTEM_NAMES else "",
                         item_id=int(item) if item.isdigit() else None)
    messages.success(request, _("%(count)d message(s) will be sent again now.") % {"count": count})
    return redirect("national:status")
