"""What the back office's views share: the sign-in guard, reading a dossier or 404, deadlines
and who acts next as shown in lists and on the dossier's page."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from directory.access import official_required
from workdays.calendar import working_hours_per_day
from workdays.years import is_provisional

from .. import deadlines, policy, selectors
from ..models import Dossier
from ..states import Status

STALE = gettext_lazy("Someone else has just changed this dossier. Reload it and try again.")
PERSONAL_FIELDS = ["applicant_id_number", "applicant_phone", "applicant_email", "applicant_address"]


def office(view):
    return login_required(official_required(view))


def readable(request: HttpRequest, pk: int) -> Dossier:
    """The dossier ``pk`` if the official may read it, else 404 (whether or not it exists)."""
    dossier = get_object_or_404(
        Dossier.objects.exclude(status=Status.DRAFT).select_related(
            "procedure_version__procedure", "agency", "current_agency", "process", "current_step__step",
            "current_step__assignee", "current_step__unit", "current_step__agency", "unit", "assignee"),
        pk=pk)
    if not selectors.can_read(request.user, dossier):
        raise Http404
    return dossier


def reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("This action is not allowed for this dossier now.")


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith(reverse("office:queue")) else fallback


# --- deadlines and holders as shown -----------------------------------------------------------


def _span(delta: dt.timedelta) -> str:
    hours_per_day = float(working_hours_per_day()) or 8.0
    total = abs(delta.total_seconds()) / 3600
    days, hours = int(total // hours_per_day), int(round(total % hours_per_day))
    parts = []
    if days:
        parts.append(ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days})
    if hours or not days:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    return " ".join(parts)


def _intake_deadline(dossier: Dossier, now: dt.datetime) -> dict:
    """An online dossier waiting for the desk: its intake time limit (decision 0013)."""
    by = timezone.localtime(dossier.intake_due_at).strftime("%H:%M %d/%m/%Y")
    if dossier.intake_due_at < now:
        return {"state": "overdue", "label": _("intake overdue"), "text": _("intake due %(at)s") % {"at": by}}
    left = deadlines.remaining(dossier.intake_due_at, now)
    state = "due_soon" if left <= dt.timedelta(hours=2) else "running"
    return {"state": state, "label": _("intake due soon") if state == "due_soon" else "",
            "text": _("intake due %(at)s") % {"at": by}}


def deadline_of(dossier: Dossier, now: dt.datetime) -> dict | None:
    """State (overdue, due soon, clock stopped, running) and working time left, for display."""
    if dossier.status == Status.SUBMITTED and dossier.intake_due_at:
        return _intake_deadline(dossier, now)
    if not dossier.due_at or dossier.status not in (Status.IN_PROGRESS, Status.PAUSED, Status.SUPPLEMENT_REQUESTED):
        return None
    provisional = is_provisional(dossier.due_at)
    if dossier.status != Status.IN_PROGRESS:
        if dossier.clock_stopped_at and dossier.due_at < dossier.clock_stopped_at:  # stopped once already late
            return {"state": "overdue", "label": _("overdue"), "text": _("clock stopped"), "provisional": provisional}
        return {"state": "stopped", "label": _("clock stopped"), "text": "", "provisional": provisional}
    left = deadlines.remaining(dossier.due_at, now)
    if left < dt.timedelta(0) or dossier.due_at < now:
        return {"state": "overdue", "label": _("overdue"), "text": _("%(time)s overdue") % {"time": _span(left)},
                "provisional": provisional}
    state = "due_soon" if left <= dt.timedelta(hours=float(working_hours_per_day())) else "running"
    return {"state": state, "label": _("due soon") if state == "due_soon" else "",
            "text": _("%(time)s left") % {"time": _span(left)}, "provisional": provisional}


def next_actor_text(dossier: Dossier) -> str:
    """Who acts next, in words: the named official, or the role at its agency (and unit)."""
    actor = policy.next_actor(dossier)
    if actor is None:
        return ""
    if actor.person is not None:
        return actor.person.get_full_name()
    places = [place.name for place in (actor.unit, actor.agency) if place is not None]
    where = ", ".join(places)
    if dossier.status == Status.IN_PROGRESS and dossier.current_step_id:
        return _("not assigned yet: %(role)s") % {"role": f"{actor.role_label}, {where}" if where else actor.role_label}
    return f"{actor.role_label} – {where}" if where else actor.role_label
