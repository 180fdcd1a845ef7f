"""The citizen's page "Kho dữ liệu của tôi": the items with their validity, download, removal from reuse."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.http import private_file

from . import policy, selectors, services
from .models import StoredItem


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [{"item": item, "validity": selectors.validity(item, today),
             "withdrawable": policy.may_withdraw(request.user, item)}
            for item in selectors.store_of(request.user)]
    return render(request, "datastore/mine.html", {"rows": rows})


def _readable(request: HttpRequest, pk: int) -> StoredItem:
    item = get_object_or_404(StoredItem, pk=pk)
    if not policy.may_read(request.user, item):
        raise Http404  # someone else's item: as if it did not exist
    return item


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    item = _readable(request, pk)
    filename = f"{item.title[:80]}.{item.extension}" if item.extension else item.title[:80]
    return private_file(item.file, content_type=item.content_type or "application/octet-stream",
                        filename=filename)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = _readable(request, pk)
    try:
        services.withdraw_from_reuse(item=item, acting_user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The item will no longer be offered when you apply; it stays in your store."))
    return redirect("datastore:mine")
