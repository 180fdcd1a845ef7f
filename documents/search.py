"""Tìm kiếm văn bản: full-text search over ``Document.search_text`` within what the reader may read
(``documents.selectors.visible_documents``), with the list filters.

Every word of the query must appear (as the start of a word on PostgreSQL, anywhere on SQLite),
accents ignored: the query is folded like the stored text (``documents.search_text``). On
PostgreSQL the words become a prefix ``tsquery`` matched against the stored ``search_tsv`` column
(``to_tsvector('simple', search_text)``, GIN-indexed, migration ``0003_search_index``) and the
newest :data:`RANK_WINDOW` matches are ranked (``ts_rank``); on SQLite (the embedded mode) each
word is a ``LIKE`` and the newest come first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Exists, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from directory.models import Agency, Membership
from directory.scope import Action, scope_of

from .models import Assignment, Document
from .periods import Days as Period
from .search_text import words
from .selectors import visible_documents

MAX_WORDS = 12  # a longer query is cut: the rest would only narrow what the first words found
RANK_WINDOW = 2000  # PostgreSQL ranks the newest this many matches (see _full_text)


@dataclass(frozen=True)
class Filters:
    """The page's filters; every one optional."""

    register_id: int | None = None
    document_type_id: int | None = None
    direction: str = ""
    status: str = ""
    unit_id: int | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None


def ts_query(query_words: list[str]) -> str:
    """``quyet:* & dinh:*``: every word, each as a prefix (the words are ``\\w+`` only)."""
    return " & ".join(f"{w}:*" for w in query_words)


def _full_text(documents: QuerySet, query_words: list[str]) -> QuerySet:
    if connection.vendor == "postgresql":
        # The newest RANK_WINDOW matches (the GIN index, or the created_at index for common
        # words) are ranked: the cost stays bounded however many documents match.
        tsquery = ts_query(query_words)
        matches = RawSQL("search_tsv @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField())
        window = documents.filter(matches).order_by("-created_at", "-id").values("pk")[:RANK_WINDOW]
        rank = RawSQL("ts_rank(search_tsv, to_tsquery('simple', %s))", [tsquery], output_field=FloatField())
        return (Document.objects.filter(pk__in=Subquery(window)).annotate(rank=rank)
                .order_by("-rank", "-created_at", "-id"))
    for word in query_words:
        documents = documents.filter(search_text__contains=word)
    return documents.order_by("-created_at", "-id")


def _filtered(documents: QuerySet, filters: Filters) -> QuerySet:
    if filters.register_id:
        documents = documents.filter(register_id=filters.register_id)
    if filters.document_type_id:
        documents = documents.filter(document_type_id=filters.document_type_id)
    if filters.direction:
        documents = documents.filter(direction=filters.direction)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.unit_id:
        to_unit = Assignment.objects.filter(document=OuterRef("pk"), unit_id=filters.unit_id)
        documents = documents.filter(Exists(to_unit) | Q(drafting_unit_id=filters.unit_id))
    if filters.first_day or filters.last_day:
        period = Period(filters.first_day or dt.date(1900, 1, 1), filters.last_day or dt.date(2999, 12, 31))
        # The date a document entered the agency's books: received, else issued, else created.
        documents = documents.filter(
            Q(received_at__gte=period.start, received_at__lt=period.end)
            | Q(received_at__isnull=True, issued_at__gte=period.start, issued_at__lt=period.end)
            | Q(received_at__isnull=True, issued_at__isnull=True, created_at__gte=period.start,
                created_at__lt=period.end))
    return documents


def ranks_a_window(query: str) -> bool:
    """Whether the results of ``query`` are capped to the newest RANK_WINDOW matches."""
    return connection.vendor == "postgresql" and bool(words(query))


def search(user, query: str = "", filters: Filters | None = None) -> QuerySet:
    """The documents ``user`` may read that match ``query`` and ``filters``, best first."""
    documents = _filtered(visible_documents(user), filters or Filters())
    query_words = words(query)[:MAX_WORDS]
    if not query_words:
        return documents.order_by("-created_at", "-id")
    return _full_text(documents, query_words)


def reader_agencies(user):
    """The agencies whose documents ``user`` may look for: their scope to view, and where they work."""
    view = scope_of(user, Action.VIEW)
    if view.everything:
        return Agency.objects.all()
    own = Membership.objects.valid_on().filter(official=user).values_list("agency_id", flat=True)
    return Agency.objects.filter(pk__in={*view.agency_ids, *own})
