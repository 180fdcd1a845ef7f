"""Steps settled by an agency on another system (liên thông giải quyết thủ tục hành chính giữa
các hệ thống, Decree 118/2025/NĐ-CP art. 22–23).

When a dossier's process has a step at an agency whose officials work in their own software
(``Agency.on_other_system``), nobody here holds that step (``policy.holds_step``): opening it
sends the dossier, its data and papers, through the inter-agency exchange (``exchange.dossiers``,
on :data:`dossiers.signals.step_opened`). The agency's answer comes back the same way and
:func:`answered` takes it: the answer's files join the dossier, the step is closed on the
answer's date, and the dossier goes on to the next step — or back to the step that sent it when
the other agency refused it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from processes.models import StepAction

from . import handover
from .models import Dossier, DossierFile, FilePurpose
from .services import _store, files_or_nothing
from .states import Status
from .workflow import _close_step, _locked, _neighbour, _open_step, _touch


@dataclass(frozen=True)
class AnswerFile:
    name: str
    content: bytes


def waiting_elsewhere(dossier: Dossier) -> bool:
    """Whether the dossier waits at a step of an agency on another system."""
    line = dossier.current_step
    return (dossier.status in (Status.IN_PROGRESS, Status.PAUSED) and line is not None
            and line.agency.on_other_system)


def answered(*, dossier: Dossier, accepted: bool, agency_name: str, reference: str, note: str = "",
             files: Sequence[AnswerFile] = ()) -> Dossier:
    """The agency on another system answered the step it holds: ``accepted`` (settled, its
    opinion or result in ``files``) moves the dossier on; a refusal sends it back to the step
    before, with the reason in ``note``. Raises ValidationError when the dossier no longer waits
    there (an answer that came twice, or after the dossier was withdrawn)."""
    with files_or_nothing() as stored, transaction.atomic():
        current = _locked(dossier, None)
        if not waiting_elsewhere(current):
            raise ValidationError(_("Dossier %(code)s is not waiting for another system's answer.")
                                  % {"code": current.code})
        line = current.current_step
        # The files are recorded as brought by whoever handed the dossier over to that agency.
        holder = (current.steps.filter(handed_by__isnull=False).order_by("-handed_at")
                  .values_list("handed_by", flat=True).first()
                  or current.events.filter(actor__isnull=False).order_by("-at").values_list("actor", flat=True).first())
        for item in files:
            upload = SimpleUploadedFile(item.name, item.content)
            _store(current, _user(holder), upload, None, FilePurpose.ANSWER, stored)
        now = timezone.now()
        text = (_("Answered by %(agency)s (%(reference)s).") if accepted
                else _("Refused by %(agency)s (%(reference)s).")) % {"agency": agency_name, "reference": reference}
        if note.strip():
            text = f"{text} {note.strip()}"
        _close_step(current, None, StepAction.FORWARD if accepted else StepAction.RETURN, text, now)
        following = _neighbour(current, line.step, +1) if accepted else None
        if following is None:  # refused, or the last step: back to the one who sent it there
            previous = _neighbour(current, line.step, -1)
            if previous is None:
                raise ValidationError(_("The process has no step to take the dossier back."))
            earlier = current.steps.filter(step=previous).order_by("-received_at").first()
            _open_step(current, previous, now, unit=earlier.unit if earlier else None,
                       assignee=earlier.assignee if earlier else None)
        else:
            _open_step(current, following, now)
        _touch(current)
        handover.tell_next_actor(current)
    return current


def answers(dossier: Dossier):
    return DossierFile.objects.filter(dossier=dossier, purpose=FilePurpose.ANSWER, replaced=False)


def _user(pk):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=pk)
