"""Logs and traces: the integration platform's calls, notifications and their deliveries, ended
sessions, sign-in attempts, and the population look-ups' consents and records. Rows are erased (or,
for the look-ups, anonymised) in batches, each batch with one audit entry."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model, Q, QuerySet

from accounts.models import UserSession
from dossiers.states import FINAL
from lgsp.models import CallLog
from national.models import PopulationConsent, RegistryLookup
from notifications.models import Delivery, Notification

from .common import Context, Done, Part, record_batch
from .models import Disposal


class Erased(Part):
    """Rows of ``model`` whose ``moment`` field is before the cut-off; ``hold`` names the rows a
    legal hold keeps (None: nothing in them points to a dossier or a person)."""

    def __init__(self, model: type[Model], moment: str, hold=None):
        self.model = model
        self.moment = moment
        self.hold = hold
        self.label = model._meta.label_lower

    def _past(self, ctx: Context) -> QuerySet:
        return self.model._default_manager.filter(**{f"{self.moment}__lt": ctx.cutoff})

    def due(self, ctx: Context) -> QuerySet:
        past = self._past(ctx)
        return (past.exclude(self.hold(ctx)) if self.hold else past).order_by(self.moment, "pk")

    def held(self, ctx: Context) -> int:
        return self._past(ctx).filter(self.hold(ctx)).count() if self.hold else 0

    def act(self, ids: list, ctx: Context) -> Done:
        with transaction.atomic():
            # Only rows still due: the cut-off is asked again, holds as found at the start of the run.
            rows = self.due(ctx).filter(pk__in=ids)
            found = list(rows.values_list("pk", flat=True))
            if found:
                self.model._default_manager.filter(pk__in=found).delete()
                record_batch(part=self, ids=found, ctx=ctx, disposal=Disposal.ERASE)
        return Done(count=len(found))


def _person_hold(field: str):
    return lambda ctx: Q(**{f"{field}__in": ctx.holds.people})


def _username_hold(ctx: Context) -> Q:
    names = get_user_model()._default_manager.filter(pk__in=ctx.holds.people).values_list("username", flat=True)
    return Q(username__in=list(names))


def _notification_hold(ctx: Context) -> Q:
    return Q(user_id__in=ctx.holds.people) | Q(dossier_id__in=ctx.holds.dossiers)


def _delivery_hold(ctx: Context) -> Q:
    return Q(event__dossier_id__in=ctx.holds.dossiers) | Q(event__dossier__applicant_id__in=ctx.holds.people)


class Anonymised(Part):
    """Look-up consents and records: the person's identification (keyed hash, masked number, the
    account) is removed; what was looked up, when, by whom and why stays as the agency's record. Never
    while the dossier they served is not finished."""

    def __init__(self, model: type[Model], moment: str, person: str | None, blank: dict):
        self.model = model
        self.moment = moment
        self.person = person
        self.blank = blank
        self.label = model._meta.label_lower

    def _past(self, ctx: Context) -> QuerySet:
        return (self.model._default_manager.filter(**{f"{self.moment}__lt": ctx.cutoff})
                .exclude(id_hash="").filter(Q(dossier__isnull=True) | Q(dossier__status__in=FINAL)))

    def _hold(self, ctx: Context) -> Q:
        held = Q(dossier_id__in=ctx.holds.dossiers) | Q(dossier__applicant_id__in=ctx.holds.people)
        return held | Q(**{f"{self.person}__in": ctx.holds.people}) if self.person else held

    def due(self, ctx: Context) -> QuerySet:
        return self._past(ctx).exclude(self._hold(ctx)).order_by(self.moment, "pk")

    def held(self, ctx: Context) -> int:
        return self._past(ctx).filter(self._hold(ctx)).count()

    def act(self, ids: list, ctx: Context) -> Done:
        with transaction.atomic():
            found = list(self.due(ctx).filter(pk__in=ids).values_list("pk", flat=True))
            if found:
                self.model._default_manager.filter(pk__in=found).update(**self.blank)
                record_batch(part=self, ids=found, ctx=ctx, disposal=Disposal.ANONYMISE)
        return Done(count=len(found))


def integration_calls() -> list[Part]:
    return [Erased(CallLog, "at")]


def notifications() -> list[Part]:
    return [Erased(Notification, "created_at", _notification_hold), Erased(Delivery, "created_at", _delivery_hold)]


def sessions() -> list[Part]:
    # A session ends at its expiry at the latest (idle 30 minutes, absolute 10 or 24 hours, ADR 0049).
    return [Erased(Session, "expire_date"), Erased(UserSession, "last_seen_at", _person_hold("user_id"))]


def login_attempts() -> list[Part]:
    return [Erased(model, "attempt_time", _username_hold) for model in (AccessAttempt, AccessFailureLog, AccessLog)]


def population_consents() -> list[Part]:
    return [Anonymised(PopulationConsent, "given_at", "subject_id", {"subject": None, "id_hash": "", "id_masked": ""}),
            Anonymised(RegistryLookup, "at", None, {"id_hash": "", "id_masked": "", "reason": ""})]
