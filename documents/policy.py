"""Who may do what on an official document now (Decree 30/2020/NĐ-CP): the one place that decides.

Every door (``documents.incoming``, ``routing``, ``drafting``, ``issuance``, ``distribution``)
calls :func:`require` before it changes anything; the pages offer exactly
:func:`available_actions`; the API asks the same. Reach comes from ``directory.scope``: the clerk
(văn thư) registers, accepts and issues with ``Action.ISSUE`` at the agency, leaders direct with
``Action.ASSIGN`` at the agency and sign with ``Action.SIGN``, a unit head passes a unit's
assignment on with ``Action.ASSIGN`` in the unit, officials draft with ``Action.ACT``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory.scope import Action, can

from .models import Assignment, AssignmentRole, Confidentiality, Direction, Document, ReviewState, Status
from .selectors import can_read

INCOMING_ACTIONS = ("accept", "refuse", "edit", "direct", "reassign", "complete", "acknowledge")
OUTGOING_ACTIONS = ("edit_draft", "submit_review", "review", "sign", "issue", "distribute", "recall")
ACTIONS = INCOMING_ACTIONS + OUTGOING_ACTIONS


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


YES = Decision(True)


def _no(reason: str) -> Decision:
    return Decision(False, reason)


def _clerk(user, document: Document) -> bool:
    return can(user, Action.ISSUE, agency_id=document.agency_id)


def _leader(user, document: Document) -> bool:
    return can(user, Action.SIGN, agency_id=document.agency_id)


def _directs(user, document: Document) -> bool:
    return can(user, Action.ASSIGN, agency_id=document.agency_id)


# --- incoming ------------------------------------------------------------------------------------

def _incoming(document: Document) -> Decision:
    return YES if document.direction == Direction.INCOMING else _no(_("This is not an incoming document."))


def _accept(user, document: Document) -> Decision:
    if document.status != Status.PENDING:
        return _no(_("Only a document waiting for acceptance can be accepted or refused."))
    return YES if _clerk(user, document) else _no(_("Only the agency's clerk registers incoming documents."))


def _edit(user, document: Document) -> Decision:
    if document.status not in (Status.PENDING, Status.REGISTERED):
        return _no(_("The details can be corrected only until the document is directed."))
    return YES if _clerk(user, document) else _no(_("Only the agency's clerk registers incoming documents."))


def _direct(user, document: Document) -> Decision:
    if document.status not in (Status.REGISTERED, Status.IN_HANDLING):
        return _no(_("Only a registered document being handled can be directed."))
    return YES if _directs(user, document) else _no(_("Only the agency's leader directs incoming documents."))


def held_assignment(user, document: Document, *, roles=None) -> Assignment | None:
    """The open assignment of ``document`` in ``user``'s hands (theirs, or their unit's that nobody in
    it holds yet, when they head the unit), the main one first."""
    from .selectors import open_assignments

    found = open_assignments(user).filter(document=document)
    if roles:
        found = found.filter(role__in=roles)
    return found.order_by("role", "assigned_at").first()


def _reassign(user, document: Document) -> Decision:
    if document.status != Status.IN_HANDLING:
        return _no(_("Only a document being handled can be passed on."))
    held = held_assignment(user, document)
    if held is None or held.unit_id is None or not can(user, Action.ASSIGN, agency_id=None, unit_id=held.unit_id):
        return _no(_("Only the head of the unit it was given to passes it on inside the unit."))
    return YES


def _complete(user, document: Document) -> Decision:
    if document.status != Status.IN_HANDLING:
        return _no(_("Only a document being handled can be completed."))
    if held_assignment(user, document, roles=[AssignmentRole.MAIN]) is None:
        return _no(_("Only whoever handles the document (xử lý chính) completes it."))
    return YES


def _acknowledge(user, document: Document) -> Decision:
    if document.status not in (Status.IN_HANDLING, Status.HANDLED):
        return _no(_("Nothing to acknowledge on this document."))
    if held_assignment(user, document, roles=[AssignmentRole.COOPERATE, AssignmentRole.INFORM]) is None:
        return _no(_("This document was not sent to you for cooperation or information."))
    return YES


# --- outgoing ------------------------------------------------------------------------------------

def _edit_draft(user, document: Document) -> Decision:
    if document.status != Status.DRAFTING:
        return _no(_("Only a draft being written can be changed."))
    return YES if document.drafted_by_id == user.pk else _no(_("Only the drafter changes the draft."))


def _submit_review(user, document: Document) -> Decision:
    decision = _edit_draft(user, document)
    if decision and not document.files.filter(kind="draft").exists() and not document.body.strip():
        return _no(_("Write the draft or attach a version first."))
    return decision


def current_review(document: Document):
    """The review step waiting now: the first pending one of the latest version, or None."""
    return document.reviews.filter(state=ReviewState.PENDING).order_by("-version", "order").first()


def _review(user, document: Document) -> Decision:
    if document.status != Status.IN_REVIEW:
        return _no(_("The draft is not in review."))
    step = current_review(document)
    if step is None or step.reviewer_id != user.pk:
        return _no(_("The draft waits for another reviewer."))
    return YES


def _sign(user, document: Document) -> Decision:
    if document.status != Status.APPROVED:
        return _no(_("Only an approved draft can be signed."))
    return YES if _leader(user, document) else _no(_("Only the competent leader of the agency signs."))


def _issue(user, document: Document) -> Decision:
    if document.status != Status.SIGNED:
        return _no(_("The document must be signed by the competent person first."))
    return YES if _clerk(user, document) else _no(_("Only the agency's clerk issues documents."))


def _distribute(user, document: Document) -> Decision:
    if document.status != Status.ISSUED:
        return _no(_("Only an issued document is sent out."))
    return YES if _clerk(user, document) else _no(_("Only the agency's clerk sends documents out."))


def _recall(user, document: Document) -> Decision:
    if document.status != Status.ISSUED:
        return _no(_("Only an issued document can be recalled."))
    return YES if _leader(user, document) else _no(_("Only the agency's leader recalls a document."))


def _outgoing(document: Document) -> Decision:
    return YES if document.direction == Direction.OUTGOING else _no(_("This is not an outgoing document."))


RULES = {
    "accept": _accept, "refuse": _accept, "edit": _edit, "direct": _direct, "reassign": _reassign,
    "complete": _complete, "acknowledge": _acknowledge,
    "edit_draft": _edit_draft, "submit_review": _submit_review, "review": _review, "sign": _sign,
    "issue": _issue, "distribute": _distribute, "recall": _recall,
}


def decide(user, document: Document, action: str) -> Decision:
    if user is None or not user.is_authenticated or not user.is_active:
        return _no(_("Sign in first."))
    if not can_read(user, document):
        return _no(_("This document is not within your reach."))
    kind = _incoming(document) if action in INCOMING_ACTIONS else _outgoing(document)
    if not kind:
        return kind
    return RULES[action](user, document)


def require(user, document: Document, action: str) -> None:
    """The doors' check: raise ``PermissionDenied`` with the reason when ``user`` may not."""
    from django.core.exceptions import PermissionDenied

    decision = decide(user, document, action)
    if not decision:
        raise PermissionDenied(decision.reason)


def available_actions(user, document: Document) -> frozenset[str]:
    names = INCOMING_ACTIONS if document.direction == Direction.INCOMING else OUTGOING_ACTIONS
    return frozenset(name for name in names if decide(user, document, name))


def may_create_draft(user, agency_id: int) -> bool:
    """Officials who act in the agency (the whole of it, or one of its units) draft its documents."""
    from directory.models import OrgUnit
    from directory.scope import scope_of

    scope = scope_of(user, Action.ACT)
    return scope.allows(agency_id) or OrgUnit.objects.filter(pk__in=scope.unit_ids, agency_id=agency_id).exists()


def may_answer(user, document: Document) -> bool:
    """Whoever handles an incoming document (xử lý chính) may draft the outgoing one that answers it."""
    return bool(decide(user, document, "complete")) and may_create_draft(user, document.agency_id)


def may_register(user, agency_id: int) -> bool:
    return can(user, Action.ISSUE, agency_id=agency_id)


def may_leave_the_agency(document: Document) -> bool:
    """A classified document is registered, but its content never leaves the agency: not through the
    exchange, not by e-mail, not in an export or the API outside it."""
    return document.confidentiality == Confidentiality.NORMAL


def may_comment(user, document: Document) -> bool:
    """Whoever may read an outgoing draft comments on it until it is signed."""
    return (document.direction == Direction.OUTGOING
            and document.status in (Status.DRAFTING, Status.IN_REVIEW, Status.APPROVED)
            and user is not None and user.is_authenticated and can_read(user, document))
