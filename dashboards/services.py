"""The doors that change the province's indices: a DTI input with its evidence and a published
score. Each checks ``dashboards.policy``, validates and writes in one transaction; the models are
audited (``audit.registry``)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .models import DtiIndicator, DtiInput, PublishedScore


@transaction.atomic(durable=True)
def enter_dti_input(*, user, indicator: DtiIndicator, points: Decimal, note: str = "", evidence=None) -> DtiInput:
    if not policy.keeps_indices(user):
        raise PermissionDenied(_("Only the province's IT department enters the DTI figures."))
    if indicator.children.exists():
        raise ValidationError(_("Points are entered on the component indicators; the others add up."))
    if not 0 <= points <= indicator.max_points:
        raise ValidationError({"points": _("Between 0 and %(max)s points.") % {"max": indicator.max_points}})
    entry = DtiInput.objects.filter(indicator=indicator).first() or DtiInput(indicator=indicator, entered_by=user)
    entry.points, entry.note, entry.entered_by, entry.entered_at = points, note, user, timezone.now()
    if evidence:
        entry.evidence = evidence
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic(durable=True)
def publish_score(*, user, kind: str, year: int, score: Decimal, max_score: Decimal, source: str,
                  rank: int | None = None, ranked_among: int | None = None) -> PublishedScore:
    if not policy.keeps_indices(user):
        raise PermissionDenied(_("Only the province's IT department enters the published scores."))
    if score > max_score:
        raise ValidationError({"score": _("The score exceeds the maximum.")})
    record = PublishedScore.objects.filter(kind=kind, year=year).first() or PublishedScore(
        kind=kind, year=year, entered_by=user)
    record.score, record.max_score, record.source = score, max_score, source
    record.rank, record.ranked_among, record.entered_by, record.entered_at = rank, ranked_among, user, timezone.now()
    record.full_clean()
    record.save()
    return record
