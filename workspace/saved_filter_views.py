"""The doors of the saved filters on the list pages: save the filters shown, delete one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.access import official_required

from . import saved_filters


@login_required
@official_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    query = request.POST.get("query", "")
    if page not in saved_filters.PAGES:
        return redirect("workspace:home")
    back = reverse(page)
    try:
        saved = saved_filters.save_filter(user=request.user, page=page, name=request.POST.get("name", ""),
                                          query=query)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        clean = _clean_or_empty(query)
        return redirect(back + (f"?{clean}" if clean else ""))
    messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
    return redirect(saved_filters.url_of(saved))


def _clean_or_empty(query: str) -> str:
    try:
        return saved_filters.clean_query(query)
    except ValidationError:
        return ""


@login_required
@official_required
@require_POST
def delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    saved = saved_filters.own_filter(user=request.user, pk=pk)
    name = saved.name
    page = saved_filters.delete_filter(saved=saved)
    messages.success(request, _("Filter “%(name)s” deleted.") % {"name": name})
    return redirect(page)
