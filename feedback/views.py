"""The public pages of feedback (/feedback/): published answers, sending feedback, the sender's
page, rating a returned dossier online and on the desk's tablet (no sign-in: the single-use link)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from audit.middleware import client_ip
from dossiers.models import Dossier
from dossiers.selectors import TooManyGuesses
from egov import limits
from procedures.models import Procedure

from . import policy, selectors, services
from .forms import ComplaintForm, RatingForm

# Feedback sent from one address (ADR 0052): enough for a family or a desk's shared network, not a flood.
SENDS = limits.Limit("feedback-send", 10, 60 * 60)


def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_answers(), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/home.html", {"page_obj": page})


def send(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    user: Any = request.user if signed_in else None
    initial = {}
    if user is not None:
        initial = {"name": user.get_full_name(), "email": getattr(user, "email", "")}
    initial.update({key: request.GET.get(key, "")[:40] for key in ("dossier", "procedure") if request.GET.get(key)})
    form = ComplaintForm(request.POST or None, initial=initial, signed_in=signed_in)
    if request.method == "POST" and not limits.spend(SENDS, client_ip(request)):
        return limits.refused(request, SENDS)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.verified_dossier(user, data["dossier"].strip(), data["secret"].strip(),
                                                client_address=client_ip(request)) if data["dossier"] else None
            if data["dossier"] and dossier is None:
                raise ValidationError(_("No dossier of yours has this code, or the phone or ID number does not match."))
            procedure = (Procedure.objects.filter(code=data["procedure"].strip()).select_related("current").first()
                         if data["procedure"] else None)
            created = services.send(
                user=user, sender=services.Sender(name=data["name"], email=data["email"], phone=data["phone"],
                                                  address=data["address"]),
                subject=data["subject"], content=data["content"], dossier=dossier, procedure=procedure,
                agency=data["agency"], official_name=data["official_name"],
                consent_to_publish=data["consent_to_publish"])
        except TooManyGuesses:
            form.add_error("secret", _("Too many wrong answers for this dossier. Try again in an hour."))
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("Your feedback has been received. Keep this page's address to follow it."))
            return redirect("feedback_public:complaint", token=created.token)
    return render(request, "feedback/send.html", {"form": form})


@never_cache
def complaint(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.by_token(token)
    if found is None or not policy.owns(request.user, found, token):
        raise Http404
    return render(request, "feedback/complaint.html", {"item": found})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/mine.html", {"items": selectors.my_complaints(request.user)})


@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant rates their returned dossier by the survey's criteria (linked from its page)."""
    dossier = (Dossier.objects.select_related("procedure_version", "agency").filter(pk=pk).first())
    if dossier is None or not policy.may_rate_online(request.user, dossier):
        raise Http404  # someone else's dossier: as if it did not exist
    refusal = policy.rating_refusal(dossier)
    form = RatingForm(request.POST or None, criteria=selectors.active_criteria())
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.rate_online(dossier=dossier, user=request.user, scores=form.scores(),
                                 comment=form.cleaned_data["comment"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Thank you: your rating has been recorded."))
            return redirect("dossiers:detail", pk=dossier.pk)
    return render(request, "feedback/rate.html", {"dossier": dossier, "form": form, "refusal": refusal,
                                                  "kiosk": False})


@never_cache
def kiosk(request: HttpRequest, token: str) -> HttpResponse:
    """The desk's tablet: no sign-in, the link is the permission; used once, then it is gone."""
    link = services.kiosk_link(token)
    if link is None:
        raise Http404
    form = RatingForm(request.POST or None, criteria=selectors.active_criteria())
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_at_kiosk(token=token, scores=form.scores(), comment=form.cleaned_data["comment"])
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            return render(request, "feedback/kiosk_done.html", {})
    return render(request, "feedback/kiosk.html", {"dossier": link.dossier, "form": form, "kiosk": True})
