"""Reads of the data store, already scoped to the reader: a citizen sees their own items, the staff of an
organisation the organisation's; nobody else (ADR 0044)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import organisations
from procedures.models import PaperRequirement

from .kinds import kind_for
from .models import Reuse, Source, StoredItem

# A result enters the store when it is issued but is the applicant's once returned to them, like the
# result on the dossier's page (dossiers.selectors.applicant_sees_result): the dossier's status then.
RESULT_RETURNED = "completed"
EXPIRING_DAYS = 30
# A paper's accepted types (procedures) by the extension its files are stored with (dossiers.uploads).
EXTENSIONS = {"jpeg": "jpg"}


def _returned() -> Q:
    return ~Q(source=Source.RESULT) | Q(dossier__isnull=True) | Q(dossier__status=RESULT_RETURNED)


def store_of(user) -> QuerySet[StoredItem]:
    """Every item ``user`` may see: their own store and those of the organisations they act for now,
    removed and superseded items included (the history)."""
    if user is None or not user.is_authenticated:
        return StoredItem.objects.none()
    mine = Q(owner=user, organisation__isnull=True) | Q(organisation__in=organisations.organisation_ids_of(user))
    return StoredItem.objects.filter(mine).filter(_returned()).select_related("kind", "dossier", "organisation")


def validity(item: StoredItem, today: dt.date | None = None) -> str:
    """"valid", "expiring" (within EXPIRING_DAYS days) or "expired"; without a limit it stays valid."""
    today = today or timezone.localdate()
    if item.valid_until is None:
        return "valid"
    if item.valid_until < today:
        return "expired"
    return "expiring" if item.valid_until <= today + dt.timedelta(days=EXPIRING_DAYS) else "valid"


def reusable(queryset: QuerySet[StoredItem], today: dt.date | None = None) -> QuerySet[StoredItem]:
    """Items still offered: not removed from reuse, not superseded, of a known kind, valid today."""
    today = today or timezone.localdate()
    return (queryset.filter(withdrawn_at__isnull=True, superseded_by__isnull=True, kind__isnull=False)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)))


def offers(*, user, organisation_id: int | None, paper: PaperRequirement,
           today: dt.date | None = None) -> QuerySet[StoredItem]:
    """The items offered instead of an upload for ``paper`` of a dossier the user applies for (for an
    organisation: its store; else the user's own): of the paper's kind and of a type it accepts."""
    kind = kind_for(paper.name)
    if kind is None:
        return StoredItem.objects.none()
    extensions = [EXTENSIONS.get(name, name) for name in paper.accepted_types or ["pdf"]]
    items = store_of(user).filter(kind=kind, extension__in=extensions)
    owner = Q(organisation_id=organisation_id) if organisation_id else Q(owner=user, organisation__isnull=True)
    return reusable(items.filter(owner), today)


def reuses_of(dossier_id: int) -> QuerySet[Reuse]:
    return Reuse.objects.filter(dossier_id=dossier_id).select_related("item", "requirement")
