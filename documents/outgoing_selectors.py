"""The outgoing documents' lists (văn bản đi): each tab is a query over what the reader may read
(``documents.selectors.visible_documents``), narrowed to what waits for them."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from directory.scope import Action, scope_of

from .models import Direction, Document, ReviewState, ReviewStep, Status
from .selectors import visible_documents

TABS = ("drafting", "to_review", "to_sign", "to_issue", "issued")


def outgoing(user) -> QuerySet:
    return visible_documents(user, Document.objects.filter(direction=Direction.OUTGOING))


def tab(user, name: str) -> QuerySet:
    documents = outgoing(user)
    if name == "drafting":
        return documents.filter(status__in=[Status.DRAFTING, Status.IN_REVIEW], drafted_by=user)
    if name == "to_review":
        # The reviewer's step is the first pending one of the draft (policy.current_review).
        earlier = ReviewStep.objects.filter(document=OuterRef("document"), state=ReviewState.PENDING,
                                            order__lt=OuterRef("order"))
        mine = ReviewStep.objects.filter(document=OuterRef("pk"), reviewer=user, state=ReviewState.PENDING).exclude(
            Exists(earlier))
        return documents.filter(status=Status.IN_REVIEW).filter(Exists(mine))
    if name == "to_sign":
        return documents.filter(status=Status.APPROVED, agency_id__in=scope_of(user, Action.SIGN).agency_ids)
    if name == "to_issue":
        return documents.filter(status=Status.SIGNED, agency_id__in=scope_of(user, Action.ISSUE).agency_ids)
    return documents.filter(status__in=[Status.ISSUED, Status.RECALLED])


def counts(user) -> dict[str, int]:
    return {name: tab(user, name).count() for name in TABS}
