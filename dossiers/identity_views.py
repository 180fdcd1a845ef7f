"""The applicant's buttons that fill a draft from the national databases, with consent (ADR 0045)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from national import business, population
from national.base import Refused, Unavailable

from . import identity
from .views import _own


def _failed(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    elif isinstance(error, (population.NotFound, business.NotFound, Unavailable)):
        messages.error(request, error.message)
    elif isinstance(error, Refused):
        messages.error(request, _("The national database refused the look-up. Fill in the form yourself."))
    else:
        messages.error(request, str(error) or _("This action is not allowed."))


def _prefill(request: HttpRequest, pk: int, fill, done: str) -> HttpResponse:
    dossier = _own(request, pk)
    try:
        filled = fill(dossier)
    except (PermissionDenied, ValidationError, population.NotFound, business.NotFound, Unavailable,
            Refused) as error:
        _failed(request, error)
    else:
        messages.success(request, done % {"count": len(filled)})
    return redirect("dossiers:draft", pk=dossier.pk)


@login_required
@require_POST
def population_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    return _prefill(request, pk, lambda dossier: identity.prefill_from_population(
        dossier=dossier, user=request.user, number=request.POST.get("id_number", ""),
        consented=request.POST.get("consent") == "yes"),
        _("%(count)d fields were filled in from the national population database. Check them before you "
          "continue."))


@login_required
@require_POST
def business_prefill(request: HttpRequest, pk: int) -> HttpResponse:
    return _prefill(request, pk, lambda dossier: identity.prefill_from_business(
        dossier=dossier, user=request.user, code=request.POST.get("code", "")),
        _("%(count)d fields were filled in from the national business registration database. Check them "
          "before you continue."))
