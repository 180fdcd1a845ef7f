"""Error pages (400, 403, 404, 405, 500 and the CSRF failure) in the shell of the path: the
workspace's for an official under /workspace/, the portal's everywhere else; each with a way back.

Django's defaults are bare English text; these are the root URLconf's handlers
(egov/urls.py), the CSRF failure view (settings.CSRF_FAILURE_VIEW) and, for a 405 returned by
``require_POST`` and the like, :class:`portal.middleware.StyledMethodNotAllowedMiddleware`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

PAGES = {
    400: (_("Bad request"),
          _("The request could not be understood. Check the address, or go back and try again.")),
    403: (_("Access denied"),
          _("You may not open this page. If you think you should, ask the administrator of your agency.")),
    404: (_("Page not found"),
          _("The address may be mistyped, or the page has moved or no longer exists.")),
    405: (_("This action is not available here"),
          _("The page cannot be opened this way. Go back and use the buttons on the page.")),
    500: (_("Something went wrong"),
          _("An error occurred on our side and has been recorded. Try again in a few minutes.")),
}
CSRF_PAGE = (_("The form has expired"),
             _("For your security the form was not sent: it stayed open too long, or your browser blocks "
               "cookies. Go back, reload the page and send it again."))


def in_workspace(request: HttpRequest) -> bool:
    """The workspace shell for an official (or administrator) under /workspace/."""
    user = getattr(request, "user", None)
    official = bool(getattr(user, "is_official", False) or getattr(user, "is_superuser", False))
    return request.path.startswith("/workspace/") and official


def render_error(request: HttpRequest, status: int, *, page: tuple | None = None) -> HttpResponse:
    title, message = page or PAGES[status]
    if status >= 500:
        # No user, no context processors, no database: the page must render whatever broke.
        shell = "workspace" if request.path.startswith("/workspace/") else "portal"
        context = {"status": status, "title": title, "message": message, "shell": shell}
        body = loader.render_to_string("errors/500.html", context)
    else:
        shell = "workspace" if in_workspace(request) else "portal"
        context = {"status": status, "title": title, "message": message, "shell": shell}
        body = loader.render_to_string(f"errors/{shell}.html", context, request=request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render_error(request, 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render_error(request, 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render_error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render_error(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render_error(request, 403, page=CSRF_PAGE)
