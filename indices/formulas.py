"""The registry of formulas an indicator may name (``Indicator.formula``), with their parameters.

Every formula answers a :class:`Measure`: a share between 0 and 1 with the counts behind it, or the
reason its data is missing (never a zero standing for "no data"). Points are the indicator's maximum
times the share (or one minus it, ``"invert": true``), reaching the maximum at ``"target"`` (default 1).
The formulas and what "missing" means for each are written down in ADR 0038.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from procedures.models import Kind, PaperRequirement, Procedure, VersionStatus


@dataclass
class Context:
    """What the formulas read for one scope and period."""

    counts: dict[str, int]
    procedure_ids: set[int]  # procedures with a dossier received in the scope and period
    agency_ids: list[int] | None  # the scope's agencies (None: the whole province)
    first_day: dt.date
    last_day: dt.date
    cache: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Measure:
    share: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    missing: str | None = None
    drill: tuple[str, str] | None = None  # the counts behind numerator and denominator (rollups.COUNTS)


MISSING_COUNTS = {
    "received": _("No dossier was received in the period."),
    "settled": _("No dossier was settled in the period."),
    "payable": _("No dossier with a fee or charge was received in the period."),
    "received_paper": _("No dossier was received at a counter or by post in the period."),
    "received_online": _("No dossier was received online in the period."),
}
NO_PROCEDURES = _("No procedure had a dossier received in the period.")
NO_FEEDBACK_MODULE = _("Citizens' ratings and complaints are not recorded on the platform yet.")
NO_RATINGS = _("No citizen rated the service in the period.")
NO_COMPLAINTS = _("No feedback or complaint was received in the period.")
NOT_RECORDED = {
    "data_reuse": _("The platform does not record yet which papers were taken from digitised results or "
                    "shared databases instead of being asked of the applicant again."),
}


def _ratio(numerator: int, denominator: int) -> Decimal:
    return Decimal(numerator) / Decimal(denominator)


def share(context: Context, parameters: dict) -> Measure:
    """numerator / denominator of two roll-up counts, e.g. settled_on_time / settled."""
    numerator, denominator = parameters["numerator"], parameters["denominator"]
    above, below = context.counts[numerator], context.counts[denominator]
    if not below:
        return Measure(missing=str(MISSING_COUNTS.get(denominator, NO_PROCEDURES)), numerator=above,
                       denominator=below)
    return Measure(_ratio(above, below), above, below, drill=(numerator, denominator))


def _catalog(context: Context, criterion: str) -> tuple[int, int]:
    procedures = Procedure.objects.filter(pk__in=context.procedure_ids)
    if criterion == "full_online":
        meeting = procedures.filter(current__kind=Kind.FULL)
    else:  # full_information
        meeting = (procedures.filter(current__status=VersionStatus.PUBLISHED)
                   .exclude(current__result_type="").exclude(current__legal_basis="")
                   .filter(Exists(PaperRequirement.objects.filter(version_id=OuterRef("current_id")))))
    return meeting.count(), len(context.procedure_ids)


def catalog_share(context: Context, parameters: dict) -> Measure:
    """Among the procedures the scope received dossiers for in the period, the share meeting a criterion
    of the catalog: ``full_information`` (published, with its papers, result and legal basis) or
    ``full_online`` (offered fully online, Decree 42/2022)."""
    if not context.procedure_ids:
        return Measure(missing=str(NO_PROCEDURES))
    meeting, total = _catalog(context, parameters["criterion"])
    return Measure(_ratio(meeting, total), meeting, total)


def _satisfaction(context: Context):
    """feedback.selectors.satisfaction, if the platform has it; (result, reason when missing)."""
    if "satisfaction" not in context.cache:
        try:
            from feedback.selectors import satisfaction
        except ImportError:
            context.cache["satisfaction"] = (None, str(NO_FEEDBACK_MODULE))
        else:
            result = satisfaction(context.agency_ids, context.first_day, context.last_day)
            context.cache["satisfaction"] = (result, None if result is not None else str(NO_RATINGS))
    return context.cache["satisfaction"]


def satisfied(context: Context, parameters: dict) -> Measure:
    """Ratings whose mean over the criteria reaches the satisfied level / ratings (feedback.selectors)."""
    result, missing = _satisfaction(context)
    if result is None:
        return Measure(missing=missing)
    ratings, satisfied_ratings = int(result.ratings or 0), int(result.satisfied_ratings or 0)
    if not ratings:
        return Measure(missing=str(NO_RATINGS))
    return Measure(_ratio(satisfied_ratings, ratings), satisfied_ratings, ratings)


def complaints_answered(context: Context, parameters: dict) -> Measure:
    """Feedback and complaints answered on time / received in the period (feedback.selectors)."""
    result, missing = _satisfaction(context)
    if result is None:
        return Measure(missing=missing)
    received, on_time = int(result.complaints_received or 0), int(result.complaints_answered_on_time or 0)
    if not received:
        return Measure(missing=str(NO_COMPLAINTS))
    return Measure(_ratio(on_time, received), on_time, received)


def not_recorded(context: Context, parameters: dict) -> Measure:
    """Data the platform does not hold yet: always missing, with the reason named in ``what``."""
    return Measure(missing=str(NOT_RECORDED.get(parameters.get("what", ""), parameters.get("reason", ""))))


FORMULAS: dict[str, Callable[[Context, dict], Measure]] = {
    "share": share,
    "catalog_share": catalog_share,
    "satisfied": satisfied,
    "complaints_answered": complaints_answered,
    "not_recorded": not_recorded,
}

POINTS = Decimal("0.01")
PERCENT = Decimal("0.1")


def points(measure: Measure, max_points: Decimal, parameters: dict) -> Decimal | None:
    """max × min(1, share / target), with share = 1 − share when ``invert``; two decimals."""
    if measure.share is None:
        return None
    value = 1 - measure.share if parameters.get("invert") else measure.share
    target = Decimal(str(parameters.get("target", 1)))
    earned = max_points * min(Decimal(1), value / target)
    return earned.quantize(POINTS, rounding=ROUND_HALF_UP)


def percent(measure: Measure) -> Decimal | None:
    return None if measure.share is None else (measure.share * 100).quantize(PERCENT, rounding=ROUND_HALF_UP)


