"""Who may do what with an item of the data store: one door per rule, asked by the pages and by the
services alike, so what is offered is what is allowed (ADR 0044)."""

from __future__ import annotations

from procedures.models import PaperRequirement

from .models import StoredItem
from .selectors import offers, store_of


def may_read(user, item: StoredItem) -> bool:
    """The owner (or the organisation's active staff), nobody else: officials read a reused paper
    through the dossier that took it (its own copy, behind the dossier's permission check)."""
    return store_of(user).filter(pk=item.pk).exists()


def may_withdraw(user, item: StoredItem) -> bool:
    return item.withdrawn_at is None and may_read(user, item)


def may_reuse(user, item: StoredItem, *, organisation_id: int | None, paper: PaperRequirement) -> bool:
    """The item is among those offered for ``paper`` of a dossier ``user`` applies for."""
    return offers(user=user, organisation_id=organisation_id, paper=paper).filter(pk=item.pk).exists()
