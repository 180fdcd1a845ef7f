"""Bulk actions of the queue, where the law allows one decision for many dossiers: assigning the
"to assign" tab's dossiers to one official, and returning electronically issued results (the
applicant downloads them) from the "results to return" tab.

Each dossier goes through its own door (``dossiers.workflow``), which asks ``dossiers.policy``
and writes in its own transaction with the revision its row showed: one dossier refused or
changed meanwhile is reported and left as it was, and does not stop the others."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import selectors, workflow
from ..office_forms import BulkAssignForm
from ..services import StaleDossier
from .common import office, reason, safe_next


def _selected(request: HttpRequest) -> list[tuple]:
    """The chosen dossiers the user reads, each with the revision its row showed (-1: none given,
    which the door refuses as stale)."""
    chosen = [int(pk) for pk in request.POST.getlist("dossier") if pk.isdigit()]
    visible = {d.pk: d for d in selectors.dossiers_for_official(request.user).filter(pk__in=chosen)}
    picked = []
    for pk in dict.fromkeys(chosen):
        if pk in visible:
            revision = request.POST.get(f"revision-{pk}", "")
            picked.append((visible[pk], int(revision) if revision.isdigit() else -1))
    return picked


def run_each(picked: list[tuple], door) -> tuple[list[str], list[str]]:
    """Call ``door(dossier, revision)`` for each dossier: (codes done, "code: reason" refused)."""
    done, refused = [], []
    for dossier, revision in picked:
        try:
            door(dossier, revision)
            done.append(dossier.code)
        except (ValidationError, PermissionDenied, StaleDossier) as error:
            refused.append(f"{dossier.code}: {reason(error)}")
    return done, refused


@office
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign several dossiers of the "to assign" tab to one official."""
    form = BulkAssignForm(request.POST, user=request.user)
    back = safe_next(request, reverse("office:queue") + "?tab=assign")
    picked = _selected(request)
    if not form.is_valid() or not request.POST.getlist("dossier"):
        messages.error(request, _("Choose the dossiers and the official to assign them to."))
        return redirect(back)
    done, refused = run_each(picked, lambda dossier, revision: workflow.assign(
        dossier=dossier, acting_user=request.user, assignee=form.cleaned_data["assignee"],
        note=form.cleaned_data["note"], expected_revision=revision))
    if done:
        messages.success(request, ngettext("%(n)d dossier assigned: %(codes)s", "%(n)d dossiers assigned: %(codes)s",
                                           len(done)) % {"n": len(done), "codes": ", ".join(done)})
    for line in refused:
        messages.error(request, _("Not assigned: %(reason)s") % {"reason": line})
    return redirect(back)


@office
@require_POST
def bulk_return(request: HttpRequest) -> HttpResponse:
    """Trả kết quả điện tử: mark the chosen issued results as returned electronically, the
    applicant downloading them from the portal (decision 0025). A result on paper is handed over
    at the counter, one dossier at a time, from the dossier's page."""
    back = safe_next(request, reverse("office:queue") + "?tab=results")
    picked = _selected(request)
    if not request.POST.getlist("dossier"):
        messages.error(request, _("Choose the results to return."))
        return redirect(back)
    done, refused = run_each(picked, lambda dossier, revision: workflow.return_result(
        dossier=dossier, acting_user=request.user, at_counter=False, expected_revision=revision))
    if done:
        messages.success(request, ngettext(
            "%(n)d result returned electronically: %(codes)s", "%(n)d results returned electronically: %(codes)s",
            len(done)) % {"n": len(done), "codes": ", ".join(done)})
    for line in refused:
        messages.error(request, _("Not returned: %(reason)s") % {"reason": line})
    return redirect(back)
