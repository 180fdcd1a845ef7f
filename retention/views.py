"""The retention page of the workspace (``/workspace/retention/``): the policies in force with their
legal bases, the recent runs and their reports, the legal holds. Thin: ``retention.policy`` decides,
``retention.selectors`` reads, ``retention.services`` acts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import policy, selectors, services
from .forms import HoldForm


def _page(request: HttpRequest, form: HoldForm | None = None, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "retention/index.html", {
        "policies": selectors.policies(request.user, today), "runs": selectors.recent_runs(request.user),
        "holds": selectors.active_holds(request.user), "offered": policy.offered(request.user),
        "form": form or HoldForm(), "today": today}, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.run_for(request.user, pk)
    return render(request, "retention/run.html", {"run": found, "lines": selectors.lines(found)})


@login_required
@require_POST
def dry_run(request: HttpRequest) -> HttpResponse:
    selectors.recent_runs(request.user)  # 404 for those who do not see the page
    report = services.dry_run_now(acting_user=request.user)
    messages.success(request, _("Dry run done: nothing was changed."))
    return redirect("retention:run", report.pk)


@login_required
@require_POST
def hold(request: HttpRequest) -> HttpResponse:
    selectors.recent_runs(request.user)
    policy.require(policy.decide(request.user, "hold"))
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            services.place_hold(acting_user=request.user, reason=form.cleaned_data["reason"],
                                dossier_code=form.cleaned_data["dossier_code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The dossier is held: no retention action touches it until released."))
            return redirect("retention:index")
    return _page(request, form, status=400)


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.hold_for(request.user, pk)
    services.release_hold(acting_user=request.user, hold=found)
    messages.success(request, _("The hold is released."))
    return redirect("retention:index")
