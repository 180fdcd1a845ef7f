from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from accounts.models import PortalProfile
from audit.services import record
from support import selectors as support_selectors

from . import my_data as my_data_module
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


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    """What the platform holds about me: who looked at my dossiers, and everything as one download."""
    return render(request, "portal/my_data.html", {"looks": my_data_module.who_looked(request.user)})


@login_required
@require_safe
def my_data_download(request: HttpRequest) -> HttpResponse:
    content = my_data_module.archive(request.user)
    record(action="export", obj=request.user, summary={"what": "personal data archive", "bytes": len(content)})
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{timezone.localdate():%Y%m%d}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; the icon itself is a static file."""
    return redirect(static("egov/favicon.ico"))
