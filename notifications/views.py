"""The applicant's notification list; marking notifications read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification


@login_required
def inbox(request):
    page = Paginator(selectors.for_user(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page, "notifications": page.object_list})


@login_required
@require_POST
def read(request, pk: int):
    try:
        services.mark_read(request.user, pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request):
    if services.mark_all_read(request.user):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")
