"""Thống kê văn bản: what an agency received and issued in a period, by type and by unit; how the
incoming documents were handled against their deadlines (the document's own and its main
assignments'); the share received electronically (through the inter-agency exchange) and the
share issued with a digital signature. These figures feed the evaluation indices later.

Everything counted is what the reader may read (``documents.selectors.visible_documents``).
Classified documents are counted like any other but listed (in the pages and the exports) only
for readers of their own agency: their content never leaves it (Decree 30/2020, art. 18 and
``documents.policy.may_leave_the_agency``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from directory.models import Agency, Membership

from .models import Assignment, AssignmentRole, Direction, Document, DocumentFile, FileKind, Source, Status
from .periods import Days as Period
from .policy import may_leave_the_agency
from .selectors import visible_documents

NOT_RECEIVED = (Status.PENDING, Status.REFUSED)  # waiting for the clerk, or refused: not in the books


@dataclass
class Row:
    label: str
    received: int = 0
    issued: int = 0


@dataclass
class Timeliness:
    on_time: int = 0
    late: int = 0
    overdue: int = 0  # not handled yet, past the deadline
    open: int = 0  # not handled yet, within the deadline or without one


@dataclass
class Statistics:
    agency: Agency
    period: Period
    received: int = 0
    issued: int = 0
    received_electronically: int = 0
    issued_signed: int = 0
    by_type: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    documents: Timeliness = field(default_factory=Timeliness)
    assignments: Timeliness = field(default_factory=Timeliness)
    late: list[Document] = field(default_factory=list)  # late or overdue, as may be listed

    @property
    def electronic_share(self) -> float | None:
        return round(100 * self.received_electronically / self.received, 1) if self.received else None

    @property
    def signed_share(self) -> float | None:
        return round(100 * self.issued_signed / self.issued, 1) if self.issued else None


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def judge(tally: Timeliness, done_at: dt.datetime | None, due_on: dt.date | None, today: dt.date) -> bool:
    """Count one deadline; True when it was missed (late or overdue)."""
    if done_at is not None:
        if due_on is not None and _local_day(done_at) > due_on:
            tally.late += 1
            return True
        tally.on_time += 1
        return False
    if due_on is not None and due_on < today:
        tally.overdue += 1
        return True
    tally.open += 1
    return False


def received_in(documents: QuerySet, period: Period) -> QuerySet:
    return documents.filter(direction=Direction.INCOMING, received_at__gte=period.start,
                            received_at__lt=period.end).exclude(status__in=NOT_RECEIVED)


def issued_in(documents: QuerySet, period: Period) -> QuerySet:
    return documents.filter(direction=Direction.OUTGOING, issued_at__gte=period.start, issued_at__lt=period.end)


def listable(user, document: Document) -> bool:
    """May ``document`` be listed by name to ``user``: unclassified, or ``user`` works in its agency."""
    if may_leave_the_agency(document):
        return True
    return Membership.objects.valid_on().filter(official=user, agency_id=document.agency_id).exists()


def compute(user, *, agency, period: Period, today: dt.date | None = None) -> Statistics:
    today = today or timezone.localdate()
    mine = visible_documents(user).filter(agency=agency)
    received = received_in(mine, period)
    issued = issued_in(mine, period)
    signed = DocumentFile.objects.filter(document=OuterRef("pk"), kind=FileKind.SIGNED)
    stats = Statistics(agency=agency, period=period, received=received.count(), issued=issued.count(),
                       received_electronically=received.filter(source=Source.EXCHANGE).count(),
                       issued_signed=issued.filter(Exists(signed)).count())

    types: dict[str, Row] = {}
    for name, kind in [*((n, "received") for n in received.values_list("document_type__name", flat=True)),
                       *((n, "issued") for n in issued.values_list("document_type__name", flat=True))]:
        row = types.setdefault(name, Row(name))
        setattr(row, kind, getattr(row, kind) + 1)
    stats.by_type = sorted(types.values(), key=lambda r: r.label)

    # An incoming document belongs to the unit directed to handle it (the leader's main assignment);
    # an outgoing one to the unit that drafted it.
    main = Assignment.objects.filter(document__in=received, role=AssignmentRole.MAIN, parent__isnull=True,
                                     unit__isnull=False)
    by_received = Counter(name for name, _doc in main.values_list("unit__name", "document_id").distinct())
    by_issued = Counter(issued.filter(drafting_unit__isnull=False).values_list("drafting_unit__name", flat=True))
    stats.by_unit = [Row(name, by_received[name], by_issued[name]) for name in sorted({*by_received, *by_issued})]

    missed_ids = []
    for pk, done_at, due_on in received.values_list("pk", "handled_at", "handling_due_on"):
        if judge(stats.documents, done_at, due_on, today):
            missed_ids.append(pk)
    for done_at, due_on in (Assignment.objects.filter(document__in=received, role=AssignmentRole.MAIN)
                            .values_list("done_at", "due_on")):
        judge(stats.assignments, done_at, due_on, today)
    late = Document.objects.filter(pk__in=missed_ids).select_related("document_type").order_by("handling_due_on")
    stats.late = [d for d in late if listable(user, d)]
    return stats
