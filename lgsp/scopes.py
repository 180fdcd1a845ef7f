"""The services a client system may be granted (phạm vi truy cập), and which scope each route of
``/api/v1`` asks of a client's token. A route not listed here is refused to every client: a new
route is closed until someone decides its scope (ADR 0043)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SCOPES = {
    "dmdc.read": _("Read the shared categories (/dmdc)"),
    "dmdc.write": _("Add rows to the shared categories (/dmdc)"),
    "dossiers.read": _("Read dossiers through /api/v1"),
    "dossiers.write": _("Submit and act on dossiers through /api/v1"),
    "documents.read": _("Read documents and registers through /api/v1"),
    "tasks.read": _("Read tasks through /api/v1"),
}

# The scopes that need the client to act as an account (the /api/v1 routes read what an account may).
ACCOUNT_SCOPES = frozenset({"dossiers.read", "dossiers.write", "documents.read", "tasks.read"})
READ_ONLY = frozenset({"dmdc.read", "dossiers.read", "documents.read", "tasks.read"})

# (method, first segment of the path under /api/v1/, scope)
API_ROUTES: tuple[tuple[str, str, str], ...] = (
    ("GET", "dossiers", "dossiers.read"),
    ("POST", "dossiers", "dossiers.write"),
    ("GET", "documents", "documents.read"),
    ("GET", "document-registers", "documents.read"),
    ("GET", "tasks", "tasks.read"),
)


def api_scope(method: str, path: str) -> str | None:
    """The scope a client needs for ``method path`` of ``/api/v1``, or None (closed to clients)."""
    method = "GET" if method.upper() == "HEAD" else method.upper()
    tail = path.split("/api/v1/", 1)[-1].strip("/")
    first = tail.split("/", 1)[0]
    for route_method, segment, scope in API_ROUTES:
        if route_method == method and segment == first:
            return scope
    return None


def service_of(path: str) -> str:
    """The service a call is logged under: ``dmdc:<category>`` or ``api:<first segment>``; never the
    rest of the path, which may hold a dossier code or an identifier."""
    parts = [p for p in path.split("/") if p]
    if parts[:1] == ["dmdc"] and len(parts) >= 3:
        return f"dmdc:{parts[1].lower()}:{parts[2][:40]}"
    if parts[:2] == ["api", "v1"] and len(parts) >= 3:
        return f"api:{parts[2][:40]}"
    return parts[0][:40] if parts else ""
