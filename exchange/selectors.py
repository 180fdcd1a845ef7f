"""What the exchange's pages read, already within the reader's reach (``policy.reach``)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from documents.models import Channel, Document, Status

from . import policy, statuses
from .models import Direction, Kind, Package, State, StatusEvent

TABS = ("sent", "received", "pending", "failed", "dead")
TAB_FILTERS = {
    "sent": Q(direction=Direction.OUT, state__in=(State.QUEUED, State.SENT)),
    "received": Q(direction=Direction.IN, state__in=(State.RECEIVED, State.DUPLICATE)),
    "pending": Q(direction=Direction.IN, kind=Kind.DOCUMENT, state=State.RECEIVED, document__status=Status.PENDING),
    "failed": Q(direction=Direction.IN, state=State.REFUSED),
    "dead": Q(direction=Direction.OUT, state=State.DEAD),
}
DELIVERY = {"queued": State.QUEUED.label, "sent": State.SENT.label, "failed": State.DEAD.label}
# The sender's table: one column per step a recipient reports.
STEPS = (statuses.ARRIVED, statuses.ACCEPTED, statuses.ASSIGNED, statuses.PROCESSING, statuses.COMPLETED)


def packages(user) -> QuerySet:
    scope = policy.reach(user)
    if scope.empty:
        return Package.objects.none()
    if scope.everything:
        return Package.objects.all()
    return Package.objects.filter(agency_id__in=scope.agency_ids)


def tab(user, name: str) -> QuerySet:
    return packages(user).filter(TAB_FILTERS[name]).select_related("agency", "document")


def counts(user) -> dict[str, int]:
    return packages(user).aggregate(**{name: Count("pk", filter=TAB_FILTERS[name]) for name in TABS})


def recall_requests(user) -> list[Document]:
    """Documents of the user's agencies whose sender asked for them back, not answered yet."""
    scope = policy.reach(user)
    if scope.empty:
        return []
    asked = StatusEvent.objects.filter(direction=Direction.IN, code=statuses.RECALL).values("document_id")
    documents = Document.objects.filter(pk__in=asked).exclude(status=Status.RECALLED).select_related("document_type")
    if not scope.everything:
        documents = documents.filter(agency_id__in=scope.agency_ids)
    return [document for document in documents.order_by("-created_at") if policy.recall_waiting(document)]


def events_of(document: Document) -> QuerySet:
    return StatusEvent.objects.filter(document=document).order_by("at", "id")


def delivery_table(document: Document) -> list[dict]:
    """Per recipient agency of ``document`` through the exchange: its state now, when it reported each
    step (received, accepted, assigned, processing, completed), refusals and recalls."""
    rows = []
    events = list(StatusEvent.objects.filter(document=document, distribution__isnull=False).order_by("at", "id"))
    for distribution in document.distributions.filter(channel=Channel.EXCHANGE).select_related("agency"):
        mine = [event for event in events if event.distribution_id == distribution.pk]
        first: dict[str, StatusEvent] = {}
        for event in mine:
            first.setdefault(event.code, event)
        rows.append({
            "distribution": distribution, "agency": distribution.agency,
            "status": DELIVERY.get(distribution.status) or statuses.label(distribution.status),
            "steps": [first.get(code) for code in STEPS],
            "refused": first.get(statuses.REFUSED),
            "recall": [event for event in mine if event.code in (statuses.RECALL, statuses.RECALL_AGREED,
                                                                  statuses.RECALL_REFUSED)],
            "packages": distribution.packages.order_by("created_at"),
        })
    return rows
