"""Every error of the API is a problem document (RFC 9457, ``application/problem+json``), in the
language the client asked for::

    {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "...",
     "errors": {"field": ["message", ...]}}

``errors`` only where fields are at fault. The handlers below answer the API's own exceptions;
:mod:`api.middleware` turns whatever else goes wrong under ``/api/`` (unknown address, method not
allowed, a crash, an error answered by another middleware) into the same shape."""

import json
import logging
from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestValidationError

from dossiers.services import StaleDossier, TransitionRefused

MEDIA_TYPE = "application/problem+json"

# The status phrases of RFC 9110, localised as RFC 9457 §4.2.1 allows for "about:blank".
TITLES = {
    400: gettext_lazy("Bad Request"),
    401: gettext_lazy("Unauthorized"),
    403: gettext_lazy("Forbidden"),
    404: gettext_lazy("Not Found"),
    405: gettext_lazy("Method Not Allowed"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Content Too Large"),
    414: gettext_lazy("URI Too Long"),
    422: gettext_lazy("Unprocessable Content"),
    429: gettext_lazy("Too Many Requests"),
    500: gettext_lazy("Internal Server Error"),
    503: gettext_lazy("Service Unavailable"),
}


class Problem(Schema):
    """A problem document (RFC 9457); ``errors`` lists the messages of each field at fault."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None


def title(status: int) -> str:
    if status in TITLES:
        return str(TITLES[status])
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(status)


def problem(status: int, detail: str, errors: dict[str, list[str]] | None = None,
            headers: dict[str, str] | None = None) -> HttpResponse:
    """The one place an error answer of the API is made."""
    body = {"type": "about:blank", "title": title(status), "status": status, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE)
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def invalid(errors: dict[str, list[str]], detail: str | None = None) -> ApiError:
    return ApiError(422, detail or _("The request was not accepted: correct the errors listed."), errors)


def messages_by_field(error: DjangoValidationError, default_field: str = NON_FIELD_ERRORS) -> dict[str, list[str]]:
    """A service's ValidationError as field -> messages; a message without a field goes to
    ``default_field``."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {default_field: [str(m) for m in error.messages]}


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind.startswith(("greater_than", "less_than")) or kind in {"too_long", "too_short", "string_too_long",
                                                                 "string_too_short"}:
        return _("The value is out of the allowed range.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of the allowed values.")
    if kind in {"json_invalid", "json_type", "model_attributes_type", "dict_type", "model_type"}:
        return _("The body must be a JSON object.")
    if kind in {"string_type", "string_pattern_mismatch"}:
        return _("Enter a text value.")
    return _("This value is not valid.")


def _field_of(loc: tuple) -> str:
    parts = [str(p) for p in loc[1:]]  # drop the source: query, path, header, body
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]  # and the name of the body parameter
    return ".".join(parts) or NON_FIELD_ERRORS


def install(api) -> None:
    def on_api_error(request, exc: ApiError):
        return problem(exc.status, exc.detail, exc.errors)

    def on_request_invalid(request, exc: RequestValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_of(tuple(error.get("loc", ()))), []).append(_pydantic_message(error))
        return problem(422, _("The request was not accepted: correct the errors listed."), errors)

    def on_unauthenticated(request, exc: AuthenticationError):
        detail = exc.message if exc.message != "Unauthorized" else _(
            "Sign in with an access token: send the header 'Authorization: Bearer <token>'.")
        return problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="api"'})

    def on_throttled(request, exc: Throttled):
        return problem(429, _("Too many requests. Wait a moment and try again."))

    def on_http_error(request, exc: HttpError):
        if exc.status_code == 400:  # ninja could not parse the body ("Cannot parse request body")
            return problem(400, _("The request body could not be read: send valid JSON."))
        return problem(exc.status_code, exc.message)

    def on_suspicious(request, exc: SuspiciousOperation):
        # Logged as Django logs it when no handler answers (django.security.<name>).
        too_big = isinstance(exc, RequestDataTooBig)
        status = 413 if too_big else 400
        logging.getLogger(f"django.security.{exc.__class__.__name__}").error(
            str(exc), extra={"status_code": status, "request": request})
        if too_big:
            return problem(413, _("The request body is too large."))
        return problem(400, _("The request could not be read."))

    def on_unreadable(request, exc: MultiPartParserError):
        return problem(400, _("The request body could not be read: send valid multipart/form-data."))

    def on_not_found(request, exc: Http404):
        return problem(404, _("Not found."))

    def on_service_refusal(request, exc: DjangoValidationError):
        return problem(422, _("The request was not accepted: correct the errors listed."), messages_by_field(exc))

    def on_conflict(request, exc: Exception):
        return problem(409, str(exc) or _("This action is not allowed for this dossier now."))

    def on_forbidden(request, exc: PermissionDenied):
        return problem(403, _("You may not do this."))

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(RequestValidationError, on_request_invalid)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(Throttled, on_throttled)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(MultiPartParserError, on_unreadable)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(DjangoValidationError, on_service_refusal)
    api.add_exception_handler(TransitionRefused, on_conflict)
    api.add_exception_handler(StaleDossier, on_conflict)
    api.add_exception_handler(PermissionDenied, on_forbidden)
