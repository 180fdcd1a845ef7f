from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from accounts.models import PortalProfile
from support import selectors as support_selectors

from . import selectors
from .life_events import BY_SLUG, LIFE_EVENTS


def home(request: HttpRequest) -> HttpResponse:
    events = [(event, selectors.procedures_for(event).count()) for event in LIFE_EVENTS]
    context = {
        "popular": selectors.popular_procedures(),
        "life_events": [(event, count) for event, count in events if count],
        "agencies": selectors.agencies_in_force(),
        "figures": selectors.service_figures(),
        "announcements": support_selectors.current_announcements(request.user),
    }
    return render(request, "portal/home.html", context)


def life_event(request: HttpRequest, slug: str) -> HttpResponse:
    event = BY_SLUG.get(slug)
    if event is None:
        raise Http404
    return render(request, "portal/life_event.html",
                  {"event": event, "procedures": selectors.procedures_for(event)})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    profile = PortalProfile.objects.filter(user=request.user).first()
    return render(request, "portal/account.html", {"profile": profile})


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; the icon itself is a static file."""
    return redirect(static("egov/favicon.ico"))
