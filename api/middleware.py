"""Under ``/api/`` every error is a problem document (RFC 9457), whoever answered it.

The API's handlers (:mod:`api.errors`) answer its own exceptions. What goes wrong outside them —
a method the address does not take (405), an exception no handler knows (500, after Django has
logged it), an error page of another middleware, a URL too long — would otherwise get Django's
HTML page, which an integrating system cannot read. Sits after ``LocaleMiddleware`` so the
messages are in the client's language.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .errors import MEDIA_TYPE, problem, title

PREFIX = "/api/"

# Longer request targets are refused with 414. Below gunicorn's own limit (4094 bytes for the
# whole request line, which it refuses with an HTML 414 of its own) and far above the longest
# valid URL: a search of 200 accented characters is about 1,900 bytes once percent-encoded.
MAX_TARGET_BYTES = 4000

# Headers of the original answer that tell the client what to do next.
_KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def _detail(status: int) -> str:
    return {
        400: _("The request could not be read."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This address does not accept this method; the Allow header lists those it accepts."),
        413: _("The request body is too large."),
        414: _("The address is too long."),
        429: _("Too many requests. Wait a moment and try again."),
    }.get(status) or (_("Something went wrong on our side. Try again later.") if status >= 500 else title(status))


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        if len(request.get_full_path().encode()) > MAX_TARGET_BYTES:
            return problem(414, _detail(414))
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith(MEDIA_TYPE):
            return response
        status = response.status_code if response.status_code < 600 else 500
        headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
        return problem(status, _detail(status), headers=headers)
