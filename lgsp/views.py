"""The integration pages of the workspace (``/workspace/integration/``): client systems and their
calls, for the administrators ``lgsp.policy`` names; and the public developer portal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dossiers.office.common import office

from . import categories, demo, policy, selectors, services
from .forms import CallFilterForm, ClientForm
from .models import Client
from .scopes import SCOPES

BUTTONS = ("rotate", "suspend", "resume", "revoke")
DOORS = {"rotate": services.rotate_secret, "suspend": services.suspend, "resume": services.resume,
         "revoke": services.revoke}


def _manager(request: HttpRequest) -> None:
    if not policy.is_manager(request.user):
        raise PermissionDenied(_("The integration platform is managed by the administrators."))


def _client(request: HttpRequest, pk: int) -> Client:
    """The client ``pk`` if the reader manages it, else 404 (whether or not it exists)."""
    return get_object_or_404(policy.visible_clients(request.user).select_related("agency", "application",
                                                                                  "acting_user"), pk=pk)


@office
@require_GET
def clients(request: HttpRequest) -> HttpResponse:
    _manager(request)
    rows = [(client, [a for a in policy.offered(request.user, client) if a in BUTTONS])
            for client in policy.visible_clients(request.user).select_related("agency", "application")]
    return render(request, "lgsp/clients.html", {"rows": rows})


def _detail(request: HttpRequest, client: Client, secret: str | None = None, status: int = 200) -> HttpResponse:
    return render(request, "lgsp/client.html", {
        "client": client, "secret": secret, "scopes": [(s, SCOPES.get(s, s)) for s in client.scopes],
        "actions": [a for a in policy.offered(request.user, client) if a in BUTTONS],
        "calls": selectors.calls(request.user, selectors.CallFilter(client_id=client.pk))[:20],
        "token_url": request.build_absolute_uri(reverse("lgsp:token")),
    }, status=status)


@office
def client_new(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = ClientForm(request.POST or None, agencies=policy.manageable_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, secret = services.create_client(
                user=request.user, agency=data["agency"], name=data["name"], scopes=data["scopes"],
                per_minute=data["per_minute"], per_day=data["per_day"], allowed_ips=data["allowed_ips"],
                acting_user=data["acting_username"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else ("acting_username" if field == "acting_user"
                                                                   else None), errors)
        else:
            messages.success(request, _("The client system is registered. Copy its secret now: it is not shown "
                                        "again."))
            return _detail(request, client, secret=secret)
    return render(request, "lgsp/client_form.html", {"form": form})


@office
@require_GET
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _client(request, pk))


@office
@require_POST
def client_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    client = _client(request, pk)
    door = DOORS.get(action)
    if door is None:
        raise Http404
    secret: str | None = None
    try:
        result = door(user=request.user, client=client)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("This action is not allowed now."))
        return _detail(request, client, status=403)
    if action == "rotate":
        client, secret = result  # type: ignore[misc]  # rotate_secret answers (client, secret)
        messages.success(request, _("New secret issued; the old one and its tokens no longer work. Copy it now."))
        return _detail(request, client, secret=secret)
    messages.success(request, {"suspend": _("Suspended: its tokens no longer work."),
                               "resume": _("Resumed: it may ask for a token again."),
                               "revoke": _("Revoked for good.")}[action])
    return redirect("lgsp_office:client", pk=client.pk)


def _usage_chart(usage: selectors.Usage) -> dict:
    categories_ = [day.strftime("%d/%m") for day in usage.days]
    series = [{"name": c.name, "data": [usage.counts.get((c.pk, day), 0) for day in usage.days]}
              for c in usage.clients]
    title = _("Calls per day and client system, last %(n)d days") % {"n": len(usage.days)}
    return {"id": "usage", "title": title, "unit": "", "series": series,
            "data": {"type": "line", "title": title, "categories": categories_, "series": series, "unit": ""},
            "rows": [(category, [s["data"][i] for s in series]) for i, category in enumerate(categories_)]}


@office
@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    _manager(request)
    visible = policy.visible_clients(request.user)
    form = CallFilterForm(request.GET or None, clients=visible)
    filters = selectors.CallFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CallFilter(client_id=data["client"].pk if data["client"] else None,
                                       service=data["service"].strip(), failed=data["failed"],
                                       since=data["since"], until=data["until"])
    page = Paginator(selectors.calls(request.user, filters), 50).get_page(request.GET.get("page"))
    usage = selectors.usage(request.user, client_id=filters.client_id)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "lgsp/calls.html", {
        "form": form, "page": page, "query": query.urlencode(), "totals": usage.totals,
        "charts": [_usage_chart(usage)] if usage.clients else []})


@require_GET
def developers(request: HttpRequest) -> HttpResponse:
    """Cổng thông tin cho nhà phát triển: public."""
    base = request.build_absolute_uri("/")[:-1]
    return render(request, "lgsp/developers.html", {
        "base": base, "categories": categories.CATEGORIES.values(), "scopes": SCOPES.items(), "sandbox": demo.sandbox_credentials(),
        "token_url": base + reverse("lgsp:token"), "dmdc_openapi": reverse("lgsp_dmdc:openapi"),
    })
