from django.conf import settings

from .context import acting_as


def client_ip(request) -> str | None:
    """The client's address. X-Forwarded-For is believed only behind the province's reverse
    proxy (EGOV_TRUST_PROXY=1), which must overwrite the header: otherwise anyone could
    choose the address that sign-in throttling and the audit trail see."""
    if settings.EGOV_TRUST_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None), client_ip(request)):
            return self.get_response(request)
