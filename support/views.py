"""The public help centre (/help/): guides, FAQ, search, news, asking for help, following one's
requests, subscribing to campaign notices."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.http import private_file
from procedures.models import PaperRequirement

from . import campaigns, policy, selectors, services
from .forms import CONSENT, AskForm, RateForm, SearchForm, SubscribeForm
from .models import Channel, GuideStep


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "support/home.html", {
        "form": SearchForm(), "guides": selectors.published_guides(), "by_topic": selectors.faq_by_topic(),
        "by_event": selectors.faq_by_life_event()})


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    guides, faq = selectors.search(q)
    return render(request, "support/search.html", {"form": form, "q": q, "guides": guides, "faq": faq})


def faq(request: HttpRequest) -> HttpResponse:
    return render(request, "support/faq.html", {"by_topic": selectors.faq_by_topic(),
                                                "by_event": selectors.faq_by_life_event()})


def guide(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.guide_for(code)
    if found is None:
        raise Http404
    version = found.procedure.current
    forms = (PaperRequirement.objects.filter(version=version).exclude(template="").order_by("order")
             if version is not None else [])
    return render(request, "support/guide.html", {
        "guide": found, "procedure": found.procedure, "version": version, "steps": found.steps.all(),
        "forms": forms, "faq": selectors.published_faq().filter(procedure=found.procedure)})


def step_image(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """An image of a published guide's step; a draft guide's images are not served."""
    step = get_object_or_404(GuideStep.objects.select_related("guide__procedure"), pk=pk,
                             guide__procedure__code=code, guide__published=True)
    if not step.image:
        raise Http404
    name = step.image.name or ""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    response = private_file(step.image, content_type=content_type, filename=name.rsplit("/", 1)[-1],
                            attachment=False)
    response["Cache-Control"] = "public, max-age=3600"  # published images are public
    return response


def news(request: HttpRequest) -> HttpResponse:
    return render(request, "support/news.html",
                  {"announcements": selectors.current_announcements(request.user, limit=None)})


def _initial(request: HttpRequest) -> dict:
    user = request.user
    initial = {key: request.GET.get(key, "")[:500] for key in ("page", "dossier", "procedure")}
    if user.is_authenticated:
        initial.update(name=user.get_full_name() or user.get_username(), email=user.email)
    return initial


def _context(data: dict) -> services.Context:
    return services.Context(page=data.get("page", ""), dossier=data.get("dossier", ""),
                            procedure=data.get("procedure", ""))


def ask(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    form = AskForm(request.POST or None, initial=_initial(request), signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.ask(user=request.user if signed_in else None, channel=Channel.PORTAL,
                                   name=data["name"], email=data["email"], phone=data["phone"], topic=data["topic"],
                                   question=data["question"], context=_context(data))
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("Your question has been sent. We will answer by %(due)s.") % {
                "due": created.due_at.astimezone().strftime("%H:%M %d/%m/%Y")})
            return redirect("support:request", token=created.token)
    return render(request, "support/ask.html", {"form": form, "page": form["page"].value(),
                                                "dossier": form["dossier"].value()})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "support/mine.html", {"requests": selectors.my_requests(request.user)})


def _by_token(request: HttpRequest, token: str):
    found = selectors.by_token(token)
    if found is None or not policy.allowed(request.user, policy.Do.VIEW, found, token=token):
        raise Http404
    return found


def detail(request: HttpRequest, token: str) -> HttpResponse:
    found = _by_token(request, token)
    may_rate = policy.allowed(request.user, policy.Do.RATE, found, token=token)
    return render(request, "support/request.html", {"item": found, "rate_form": RateForm() if may_rate else None})


@require_POST
def rate(request: HttpRequest, token: str) -> HttpResponse:
    found = _by_token(request, token)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.rate(request=found, user=request.user, token=token, rating=form.cleaned_data["rating"],
                          comment=form.cleaned_data["comment"])
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, str(error.args[0]) if error.args else _("Not allowed."))
        else:
            messages.success(request, _("Thank you for rating the answer."))
    return redirect("support:request", token=token)


def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.subscribe(channel=form.cleaned_data["channel"], address=form.cleaned_data["address"],
                                consent=form.cleaned_data["consent"], consent_text=str(CONSENT), user=request.user)
        except ValidationError as error:
            form.add_error("address", " ".join(error.messages))
        else:
            messages.success(request, _("You will receive the province's notices. Every notice has a link to stop "
                                        "them."))
            return redirect("support:home")
    return render(request, "support/subscribe.html", {"form": form})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = campaigns.subscription_for(token)
    if subscription is None:
        raise Http404
    if request.method == "POST":
        campaigns.unsubscribe(token)
        return render(request, "support/unsubscribed.html")
    return render(request, "support/unsubscribe.html", {"subscription": subscription})
