"""The dossier's states and the transitions between them, written down once.

Each transition is made by exactly one door, named here: the applicant's (``submit``,
``answer_supplement``, ``withdraw`` in dossiers.services) or an official action of the back office
(dossiers.workflow), whose door asks dossiers.policy who may take it. The generic change of
state (``services._transition``) is private and refuses any move the table does not give to the
door calling it. Decree 61/2018/NĐ-CP, amended by Decree 107/2021/NĐ-CP.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    STOPPED = "stopped", _("processing stopped")  # dừng giải quyết (Decree 118/2025, Mẫu 05)


APPLICANT = "applicant"
APPLICANT_DOORS = frozenset({"submit", "answer_supplement", "withdraw"})
S = Status

# (from, to): the one door that makes this move (a dossiers.policy action, or the applicant's).
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "submit",
    (S.SUBMITTED, S.IN_PROGRESS): "accept",  # accepted at the one-stop desk (Mẫu 01)
    (S.SUBMITTED, S.SUPPLEMENT_REQUESTED): "supplement",  # Mẫu 02
    (S.SUBMITTED, S.REFUSED): "refuse_intake",  # Mẫu 03
    (S.SUPPLEMENT_REQUESTED, S.SUBMITTED): "answer_supplement",  # answered before intake
    (S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED): "supplement",
    (S.SUPPLEMENT_REQUESTED, S.IN_PROGRESS): "answer_supplement",  # answered during processing
    (S.IN_PROGRESS, S.PAUSED): "pause",
    (S.PAUSED, S.IN_PROGRESS): "resume",
    (S.IN_PROGRESS, S.REFUSED): "refuse",  # by the approving step
    (S.IN_PROGRESS, S.RESULT_READY): "approve",  # by the approving step
    (S.RESULT_READY, S.COMPLETED): "return_result",  # once the result is issued
    (S.SUBMITTED, S.WITHDRAWN): "withdraw",
    (S.SUPPLEMENT_REQUESTED, S.WITHDRAWN): "withdraw",
    (S.IN_PROGRESS, S.WITHDRAWN): "withdraw",
    (S.PAUSED, S.WITHDRAWN): "withdraw",
    # Processing stops (Mẫu 05 of Circular 03/2025), e.g. when the applicant does not supplement.
    (S.SUPPLEMENT_REQUESTED, S.STOPPED): "stop_processing",
    (S.IN_PROGRESS, S.STOPPED): "stop_processing",
    (S.PAUSED, S.STOPPED): "stop_processing",
}

FINAL = frozenset({S.COMPLETED, S.REFUSED, S.WITHDRAWN, S.STOPPED})
# States in which the legal clock is stopped: the applicant or a legal reason holds the dossier.
CLOCK_STOPPED = frozenset({S.DRAFT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.PAUSED})


def door(current: str, target: str) -> str | None:
    """The door that moves a dossier from ``current`` to ``target``, or None."""
    return TRANSITIONS.get((current, target))


def allowed(current: str, target: str) -> str | None:
    """APPLICANT when the applicant makes this move, else the official door's name, or None."""
    name = door(current, target)
    return APPLICANT if name in APPLICANT_DOORS else name
