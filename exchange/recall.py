"""Recalling a document sent through the exchange (thu hồi, Decree 30/2020/NĐ-CP art. 19; status
13 of QCVN 102:2016) and the receiver's answer: it agrees (15: the document leaves its register,
status RECALLED, with a comment and an audit entry) or refuses (16, with a reason).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record
from documents.incoming import bump, lock
from documents.models import Channel, Comment, Document, Status

from . import policy, sending, statuses


def ask(document: Document, *, by, reason: str) -> list:
    """Inside the recall's transaction: a 13 to every agency the document went to through the exchange."""
    about = sending.response_for(sending.document_id(document))
    sent = []
    for row in document.distributions.filter(channel=Channel.EXCHANGE, agency__isnull=False).select_related("agency"):
        assert row.agency is not None
        sent.append(sending.send_status(agency=document.agency, to=row.agency.code, about=about,
                                        code=statuses.RECALL, description=reason, by=by, document=document,
                                        distribution=row, organ_code=row.agency.code))
    return sent


def agree(*, document: Document, user, comment: str = "") -> Document:
    """The receiver agrees: the document leaves the register (RECALLED), its open parts closed."""
    with transaction.atomic(durable=True):
        current = lock(document, None)
        policy.require(policy.may_answer_recall(user, current), _("No recall waits for your answer here."))
        now = timezone.now()
        previous = current.status
        current.status, current.recalled_at = Status.RECALLED, now
        bump(current, "status", "recalled_at")
        note = _("Recalled by its sender; the recall was agreed.")
        if comment.strip():
            note = f"{note} {comment.strip()}"
        current.assignments.filter(done_at__isnull=True).update(done_at=now, done_note=note[:500])
        Comment.objects.create(document=current, author=user, text=note)
        record(action="update", obj=current, summary={"event": "exchange_recall_agreed", "previous_status": previous,
                                                      "exchange_id": current.exchange_id})
        sending.answer(current, statuses.RECALL_AGREED, by=user, description=comment.strip())
    return current


def refuse(*, document: Document, user, reason: str) -> Document:
    """The receiver keeps the document and says why (16)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext_lazy("Say why the recall is refused."))
    with transaction.atomic(durable=True):
        current = lock(document, None)
        policy.require(policy.may_answer_recall(user, current), _("No recall waits for your answer here."))
        Comment.objects.create(document=current, author=user,
                               text=_("The sender's recall was refused: %(reason)s") % {"reason": reason})
        record(action="update", obj=current, summary={"event": "exchange_recall_refused",
                                                         "exchange_id": current.exchange_id})
        bump(current)
        sending.answer(current, statuses.RECALL_REFUSED, by=user, description=reason)
    return current
