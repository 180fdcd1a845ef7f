"""Keep what an official typed into an action form that failed (someone acted first, a field was
wrong), so the page can show it again. Only free text is kept — notes, reasons, what to
supplement —, never a password or a one-time code: the session is stored server-side, but a
secret kept there outlives its use and would be printed back on the page."""

from django.http import HttpRequest

from ..models import Dossier

SESSION_KEY = "office-pending"
KEPT_FIELDS = frozenset({"note", "reasons", "reason", "missing"})


def keep(request: HttpRequest, dossier: Dossier, action: str) -> None:
    data = {f"{action}-{field}": request.POST.getlist(f"{action}-{field}")
            for field in sorted(KEPT_FIELDS) if f"{action}-{field}" in request.POST}
    request.session[SESSION_KEY] = {"dossier": dossier.pk, "action": action, "data": data}


def pending_for(request: HttpRequest, dossier: Dossier) -> dict | None:
    """What was kept for this dossier (read once)."""
    pending = request.session.pop(SESSION_KEY, None)
    return pending if pending and pending.get("dossier") == dossier.pk else None
