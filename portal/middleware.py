"""A 405 from a view (``require_POST`` returns a bare ``HttpResponseNotAllowed``) as the styled
error page, for browsers; API clients keep the plain answer (and /api/ its problem+json)."""

from django.http import HttpRequest, HttpResponse

from .errors import render_error


class StyledMethodNotAllowedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.status_code == 405 and not response.content and not request.path.startswith("/api/")
                and request.accepts("text/html")):
            styled = render_error(request, 405)
            if response.has_header("Allow"):
                styled["Allow"] = response["Allow"]
            return styled
        return response
