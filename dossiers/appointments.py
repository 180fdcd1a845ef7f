"""A new appointment (hẹn lại) for a dossier whose due moment moved after its receipt: the applicant's
answer to a request to supplement (decision 0016), a change of the working calendar (decision 0017).

:func:`new_appointment` issues a new receipt and appointment slip (Mẫu 01, ``Slip.Form.RECEIPT`` with
``content["new_appointment"]``, rendered by ``dossiers.slips``) and returns the note for the dossier's
timeline, which the caller writes with ``services._event`` so that the applicant is notified. Slips are
official documents: what they say is in Vietnamese, whatever the reader's language.
"""

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.tasks import enqueue
from workdays import calendar

from . import deadlines
from .models import Dossier, Slip

# Moments are compared to the minute: the stored stop and the event recording it differ by microseconds.
TOLERANCE = dt.timedelta(minutes=1)
SLIP_LANGUAGE = "vi"
SUPPLEMENTED = "supplemented"
CALENDAR_CHANGED = "calendar"
CAUSES = {
    (SUPPLEMENTED, deadlines.PAUSE): gettext_lazy("The dossier was supplemented; the time limit runs on from where "
                                                  "it stopped."),
    (SUPPLEMENTED, deadlines.RESTART): gettext_lazy("The dossier was supplemented; the time limit counts again from "
                                                    "the complete dossier."),
    (CALENDAR_CHANGED, None): gettext_lazy("The province's working calendar changed."),
}


def moved(before: dt.datetime | None, after: dt.datetime | None) -> bool:
    if before is None or after is None:
        return before is not after
    return abs(after - before) >= TOLERANCE


def iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment, calendar.VN_TZ).isoformat()


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment, calendar.VN_TZ).strftime("%H:%M %d/%m/%Y")


def new_appointment(dossier: Dossier, *, previous_due: dt.datetime | None, cause: str, by=None) -> str | None:
    """In the caller's transaction: when ``dossier.due_at`` is no longer ``previous_due``, issue the new
    receipt and appointment and return the timeline note telling the applicant (``cause``:
    SUPPLEMENTED or CALENDAR_CHANGED); None when the date did not move."""
    if dossier.due_at is None or not moved(previous_due, dossier.due_at):
        return None
    with translation.override(SLIP_LANGUAGE):
        reason = str(CAUSES[cause, deadlines.supplement_clock() if cause == SUPPLEMENTED else None])
        slip = Slip.objects.create(dossier=dossier, form=Slip.Form.RECEIPT, created_by=by, content={
            "due_at": iso(dossier.due_at),
            "new_appointment": True,
            "previous_due_at": iso(previous_due) if previous_due else None,
            "reason": reason,
            "time_limit": deadlines.limit_text_for(dossier, SLIP_LANGUAGE),
        })
        note = _("New appointment: %(at)s (was %(before)s). %(reason)s") % {
            "at": _when(dossier.due_at), "before": _when(previous_due) if previous_due else "—", "reason": reason}
    enqueue("dossiers.render_slip", slip.pk)
    return note
