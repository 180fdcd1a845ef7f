"""What the applicant is told about a dossier event, in Vietnamese, for every channel."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from dossiers.models import DossierEvent
from dossiers.states import Status

from . import sms

# A short phrase per state for subjects and SMS, kept here because it is what a citizen reads
# in a one-line message, not the label used in lists.
HEADLINES = {
    Status.SUBMITTED: pgettext_lazy("dossier notification", "submitted, waiting for intake"),
    Status.SUPPLEMENT_REQUESTED: pgettext_lazy("dossier notification", "supplement requested"),
    Status.IN_PROGRESS: pgettext_lazy("dossier notification", "accepted, being processed"),
    Status.PAUSED: pgettext_lazy("dossier notification", "processing paused"),
    Status.RESULT_READY: pgettext_lazy("dossier notification", "result ready"),
    Status.COMPLETED: pgettext_lazy("dossier notification", "result returned"),
    Status.REFUSED: pgettext_lazy("dossier notification", "refused"),
    Status.WITHDRAWN: pgettext_lazy("dossier notification", "withdrawn"),
    Status.STOPPED: pgettext_lazy("dossier notification", "processing stopped"),
}


@dataclass(frozen=True)
class Message:
    subject: str  # e-mail subject and in-app title
    text: str  # in-app body
    email_body: str
    sms: str  # plain ASCII


def _amount(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # 16.000 – the Vietnamese thousands separator


def compose(event: DossierEvent, language: str = "vi") -> Message:
    dossier = event.dossier
    with translation.override(language):
        headline = str(HEADLINES.get(Status(event.status)) or dossier.get_status_display())
        values = {"code": dossier.code, "procedure": dossier.procedure_version.name, "agency": dossier.agency.name,
                  "status": headline}
        summary = _("Your dossier %(code)s (%(procedure)s) at %(agency)s is now: %(status)s.") % values
        note_label = (_("Supplement requested") if event.status == Status.SUPPLEMENT_REQUESTED else _("Note"))
        note = event.applicant_note.strip()
        text = summary + (f"\n{note_label}: {note}" if note else "")
        short = _("Dossier %(code)s (%(procedure)s): %(status)s.") % values
        sms_text = short + (f" {note_label}: {note}" if note else "")
        context = {**values, "summary": summary, "note": note, "note_label": note_label,
                   "applicant_name": dossier.applicant_name,
                   "fee": _amount(dossier.fee_amount) if dossier.fee_amount else ""}
        body = render_to_string("notifications/email/dossier_body.txt", context)
        subject = " ".join(render_to_string("notifications/email/dossier_subject.txt", context).split())
    return Message(subject=subject[:200], text=text, email_body=body, sms=sms.plain(sms_text))
