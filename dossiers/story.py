"""The dossier's history told as a story (diễn biến hồ sơ): its changes of state, the hand-overs
between steps, the slips drawn up and the result drafted, signed and issued, merged into one
chronological list of sentences ("08:15 02/12/2026 — Hà Thị Phương (Bộ phận Một cửa, UBND phường
Đức Xuân) tiếp nhận hồ sơ, chuyển Tư pháp - Hộ tịch xử lý; hẹn trả 16:30 04/12/2026.").

Officials read all of it, internal notes marked as such. Told to the applicant (``for_applicant``)
it keeps what the applicant's own timeline shows: the changes of state with the notes meant for
them (``DossierEvent.applicant_note``) and the issuance of the result, with the agency acting
instead of the official's name; the internal steps, slips and drafts are left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership

from .models import Dossier, DossierFile, FilePurpose, Slip
from .states import Status

TIME = "%H:%M %d/%m/%Y"


@dataclass(frozen=True)
class Line:
    at: dt.datetime
    text: str  # one sentence, ending with a full stop
    note: str = ""  # what the actor wrote, shown after the sentence
    internal: bool = False  # an internal note: for officials only

    @property
    def when(self) -> str:
        return timezone.localtime(self.at).strftime(TIME)

    def __str__(self) -> str:
        return f"{self.when} — {self.text}" + (f" {self.note}" if self.note else "")


def _time(value) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return timezone.localtime(value).strftime(TIME)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _line(at, text: str, note: str = "", *, internal: bool = False) -> Line:
    """A sentence, followed by its note after a colon when there is one."""
    text = text.strip().rstrip(":")
    if not note:
        return Line(at, _sentence(text))
    return Line(at, text + ":", _sentence(note), internal=internal)


class _Teller:
    def __init__(self, dossier: Dossier, for_applicant: bool):
        self.dossier, self.for_applicant = dossier, for_applicant
        self.places: dict[int, str] = {}

    def load_places(self, users: set[int]) -> None:
        """Where each official acting on the dossier works: their place at one of the dossier's
        agencies when they have one, else their first."""
        agencies = {self.dossier.agency_id, self.dossier.current_agency_id}
        agencies |= {line.agency_id for line in self.dossier.steps.all()}
        memberships = (Membership.objects.valid_on().filter(official_id__in=users)
                       .select_related("agency", "unit").order_by("official_id", "pk"))
        for m in memberships:
            place = f"{m.unit.name}, {m.agency.name}" if m.unit else m.agency.name
            if m.official_id not in self.places or m.agency_id in agencies:
                self.places[m.official_id] = place

    def who(self, user) -> str:
        if user is None:
            return _("The system")
        if user.pk == self.dossier.applicant_id or not user.is_official:
            # the applicant, or someone acting for them (their organisation's staff)
            if self.for_applicant:
                return _("The applicant")
            return _("%(name)s (the applicant)") % {"name": user.get_full_name()}
        place = self.places.get(user.pk)
        if self.for_applicant:  # the agency acts; officials' names stay inside
            return place or self.dossier.agency.name
        return f"{user.get_full_name()} ({place})" if place else user.get_full_name()


def _step_place(line) -> str:
    return line.unit.name if line.unit else line.agency.name


def _event_text(teller: _Teller, event, receipt: Slip | None, first_step) -> tuple[str, bool]:
    """The sentence of a change of state, and whether the event's note belongs after it."""
    who = teller.who(event.actor)
    to, came_from = event.status, event.from_status
    if came_from == Status.DRAFT:
        return _("%(who)s submitted the dossier") % {"who": who}, True
    if came_from == Status.SUBMITTED and to == Status.IN_PROGRESS:
        due = (receipt.content.get("due_at") if receipt else None) or teller.dossier.due_at
        parts = {"who": who, "due": _time(due) if due else "—"}
        if first_step is not None:
            return _("%(who)s accepted the dossier and handed it to %(holder)s; result due %(due)s") % {
                **parts, "holder": _step_place(first_step)}, False
        return _("%(who)s accepted the dossier; result due %(due)s") % parts, False
    if to == Status.SUPPLEMENT_REQUESTED:
        return _("%(who)s asked for the dossier to be supplemented:") % {"who": who}, True
    if came_from == Status.SUPPLEMENT_REQUESTED and to in (Status.SUBMITTED, Status.IN_PROGRESS):
        return _("%(who)s supplemented the dossier") % {"who": who}, True
    if came_from == Status.SUBMITTED and to == Status.REFUSED:
        return _("%(who)s refused to accept the dossier:") % {"who": who}, True
    if to == Status.REFUSED:
        return _("%(who)s refused to settle the dossier:") % {"who": who}, True
    if to == Status.PAUSED:
        return _("%(who)s paused the processing:") % {"who": who}, True
    if came_from == Status.PAUSED and to == Status.IN_PROGRESS:
        return _("%(who)s resumed the processing") % {"who": who}, False
    if to == Status.RESULT_READY:
        return _("%(who)s approved the result") % {"who": who}, True
    if to == Status.COMPLETED:
        return _("%(who)s returned the result:") % {"who": who}, True
    if to == Status.WITHDRAWN:
        return _("%(who)s withdrew the dossier:") % {"who": who}, True
    if to == Status.STOPPED:
        return _("%(who)s stopped the processing of the dossier:") % {"who": who}, True
    if to == came_from:  # a note without a change of state (an apology letter approved)
        return f"{who}:", True
    return _("%(who)s: %(status)s") % {"who": who, "status": event.get_status_display()}, True


def _event_lines(teller: _Teller, events, receipt, first_step) -> list[Line]:
    lines = []
    for event in events:
        text, with_note = _event_text(teller, event, receipt, first_step)
        note = event.applicant_note if teller.for_applicant else event.note
        note = note.strip() if with_note else ""
        lines.append(_line(event.at, text, note, internal=bool(note) and event.internal))
    return lines


HANDED = {
    "forward": lambda who, nxt: _("%(who)s handed the dossier on to the step “%(step)s” (%(place)s)") % {
        "who": who, "step": nxt.name, "place": _step_place(nxt)} if nxt else _("%(who)s handed the dossier on") % {
        "who": who},
    "return": lambda who, nxt: _("%(who)s sent the dossier back to the step “%(step)s”") % {
        "who": who, "step": nxt.name} if nxt else _("%(who)s sent the dossier back") % {"who": who},
    "reassign": lambda who, nxt: _("%(who)s gave the step to %(person)s") % {
        "who": who, "person": nxt.assignee.get_full_name() if nxt and nxt.assignee else "—"},
    "propose_refusal": lambda who, nxt: _("%(who)s proposed to refuse the dossier") % {"who": who},
}


def _step_lines(teller: _Teller, steps: list) -> list[Line]:
    """The hand-overs between steps (approving, refusing and stopping are told by their event)."""
    lines = []
    for index, line in enumerate(steps):
        if line.handed_at is None or line.action not in HANDED:
            continue
        following = next((s for s in steps[index + 1:] if s.received_at >= line.handed_at), None)
        text = HANDED[line.action](teller.who(line.handed_by), following)
        lines.append(_line(line.handed_at, text, line.note.strip(), internal=True))
    return lines


def _slip_lines(teller: _Teller, slips: list[Slip]) -> list[Line]:
    """Slips that are not already told by a change of state: the apology letter, the control slip."""
    lines = []
    for slip in slips:
        who = teller.who(slip.created_by)
        if slip.form == Slip.Form.APOLOGY:
            due = slip.content.get("new_due_at")
            lines.append(_line(slip.created_at, _("%(who)s drew up the apology letter with a new appointment on "
                                                  "%(due)s") % {"who": who, "due": _time(due) if due else "—"},
                               slip.content.get("reason", ""), internal=True))
        elif slip.form == Slip.Form.CONTROL:
            lines.append(Line(slip.created_at, _sentence(_("%(who)s printed the process-control slip") % {"who": who})))
    return lines


def _result_lines(teller: _Teller, files: list[DossierFile], signatures: list) -> list[Line]:
    from signing.models import CertificateKind

    lines = []
    produced = {record.dossier_file_id for record in signatures}
    if not teller.for_applicant:  # drafts (a version no signature produced) are the officials' work
        for record in files:
            if record.pk not in produced:
                lines.append(Line(record.uploaded_at, _sentence(
                    _("%(who)s drafted the result document") % {"who": teller.who(record.uploaded_by)})))
    for record in signatures:
        who = teller.who(record.signer)
        if record.kind == CertificateKind.SEAL:
            number = record.dossier_file.issue_number if record.dossier_file else ""
            text = (_("%(who)s issued the result, number %(number)s") % {"who": who, "number": number} if number
                    else _("%(who)s issued the result") % {"who": who})
            lines.append(Line(record.signed_at, _sentence(text)))
        elif not teller.for_applicant:
            lines.append(Line(record.signed_at, _sentence(_("%(who)s digitally signed the result") % {"who": who})))
    return lines


def story(dossier: Dossier, *, for_applicant: bool = False) -> list[Line]:
    """The dossier's history as sentences, oldest first."""
    from signing.models import SignatureRecord

    teller = _Teller(dossier, for_applicant)
    events = list(dossier.events.select_related("actor"))
    steps = list(dossier.steps.select_related("agency", "unit", "assignee", "handed_by").order_by("received_at", "pk"))
    slips = list(dossier.slips.select_related("created_by"))
    files = list(dossier.files.filter(purpose=FilePurpose.RESULT).select_related("uploaded_by"))
    signatures = list(SignatureRecord.objects.filter(dossier_file__dossier=dossier)
                      .select_related("signer", "dossier_file").order_by("signed_at", "pk"))
    actors = {e.actor_id for e in events} | {s.handed_by_id for s in steps} | {s.created_by_id for s in slips}
    actors |= {f.uploaded_by_id for f in files} | {r.signer_id for r in signatures}
    teller.load_places(actors - {None})
    receipt = next((s for s in slips if s.form == Slip.Form.RECEIPT), None)
    lines = _event_lines(teller, events, receipt, steps[0] if steps else None)
    lines += _result_lines(teller, files, signatures)
    if not for_applicant:
        lines += _step_lines(teller, steps) + _slip_lines(teller, slips)
    return sorted(lines, key=lambda line: line.at)  # stable: at the same moment, the change of state first
