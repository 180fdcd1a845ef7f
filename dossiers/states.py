"""The dossier's states and the transitions between them, written down once.

Who may make a transition is either the applicant (their own dossier) or an official with the
named action in the dossier's agency/unit scope (directory.scope). Every other transition is
refused for everyone. Decree 61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.scope import Action


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for intake")
    SUPPLEMENT_REQUESTED = "supplement", _("waiting for the applicant's supplement")
    IN_PROGRESS = "in_progress", _("being processed")
    PAUSED = "paused", _("paused")
    RESULT_READY = "result_ready", _("result ready")
    COMPLETED = "completed", _("result returned")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


APPLICANT = "applicant"
S = Status

# (from, to): who may do it – APPLICANT or the scope action an official needs.
TRANSITIONS: dict[tuple[str, str], str | Action] = {
    (S.DRAFT, S.SUBMITTED): APPLICANT,
    (S.SUBMITTED, S.IN_PROGRESS): Action.ACT,  # accepted at the one-stop desk (Mẫu 01)
    (S.SUBMITTED, S.SUPPLEMENT_REQUESTED): Action.ACT,  # Mẫu 02
    (S.SUBMITTED, S.REFUSED): Action.ACT,  # Mẫu 03
    (S.SUPPLEMENT_REQUESTED, S.SUBMITTED): APPLICANT,  # answered before intake
    (S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED): Action.ACT,
    (S.SUPPLEMENT_REQUESTED, S.IN_PROGRESS): APPLICANT,  # answered during processing
    (S.IN_PROGRESS, S.PAUSED): Action.ACT,
    (S.PAUSED, S.IN_PROGRESS): Action.ACT,
    (S.IN_PROGRESS, S.REFUSED): Action.ACT,
    (S.IN_PROGRESS, S.RESULT_READY): Action.ACT,
    (S.RESULT_READY, S.COMPLETED): Action.ACT,
    (S.SUBMITTED, S.WITHDRAWN): APPLICANT,
    (S.SUPPLEMENT_REQUESTED, S.WITHDRAWN): APPLICANT,
    (S.IN_PROGRESS, S.WITHDRAWN): APPLICANT,
    (S.PAUSED, S.WITHDRAWN): APPLICANT,
}

FINAL = frozenset({S.COMPLETED, S.REFUSED, S.WITHDRAWN})
# States in which the legal clock is stopped: the applicant or a legal reason holds the dossier.
CLOCK_STOPPED = frozenset({S.DRAFT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.PAUSED})


def allowed(current: str, target: str) -> str | Action | None:
    return TRANSITIONS.get((current, target))
