"""What every kind of record shares: the legal holds in force, the shape of a part of a kind, and
deleting stored files only when no row names them any more."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import QuerySet

from audit.services import record
from outbox.orphans import file_fields

from .models import LegalHold, RetentionPolicy, RetentionRun


@dataclass(frozen=True)
class Holds:
    """Dossiers and people under a legal hold now."""

    dossiers: frozenset[int] = frozenset()
    people: frozenset[int] = frozenset()

    @classmethod
    def now(cls) -> Holds:
        active = LegalHold.objects.filter(released_at__isnull=True)
        return cls(dossiers=frozenset(active.exclude(dossier=None).values_list("dossier_id", flat=True)),
                   people=frozenset(active.exclude(person=None).values_list("person_id", flat=True)))


@dataclass
class Done:
    count: int = 0
    errors: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """One run's settings for a part: the policy, the cut-off, the holds and the run's report row."""

    policy: RetentionPolicy
    cutoff: dt.datetime
    holds: Holds
    run: RetentionRun


class Part:
    """One model of a kind: which of its rows are due, which are due but held, and the action."""

    label = ""

    def due(self, ctx: Context) -> QuerySet:
        raise NotImplementedError

    def held(self, ctx: Context) -> int:
        return 0

    def act(self, ids: list, ctx: Context) -> Done:
        raise NotImplementedError


def delete_unreferenced(names: list[str]) -> int:
    """Delete from the default storage each of ``names`` that no ``FileField`` names any more (a result
    kept in the person's data store names the same stored object, ADR 0044). Runs after commit: a
    crash in between leaves files that the orphan sweep (outbox.orphans) removes later."""
    fields = file_fields(default_storage)
    deleted = 0
    for name in {n for n in names if n}:
        if any(model._base_manager.filter(**{name_field: name}).exists() for model, name_field in fields):
            continue
        default_storage.delete(name)
        deleted += 1
    return deleted


def record_batch(*, part: Part, ids: list, ctx: Context, disposal: str) -> None:
    """One audit entry for a batch of log rows erased or anonymised: how many, which ids, why."""
    policy = ctx.policy
    numbered = all(isinstance(pk, int) for pk in ids)  # a session's key is a secret: never written down
    record(action="delete" if disposal == "erase" else "update", object_type=part.label,
           object_id=f"{min(ids)}-{max(ids)}" if numbered else "",
           summary={"retention": policy.kind, "disposal": disposal, "count": len(ids),
                    "ids": sorted(ids) if numbered else [], "before": ctx.cutoff.isoformat(), "policy": policy.pk,
                    "run": ctx.run.pk})
