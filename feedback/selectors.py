"""Reads of satisfaction and feedback, already narrowed to the reader; the figures the indices use.

How the figures count (decision 0039):
- a *score* is one criterion of one rating, on the five-level scale; it is satisfied from
  ``Rules.satisfied_from`` (4, "satisfied"); a criterion's share is its satisfied scores over its scores;
- a *rating* is satisfied when the mean of its scores reaches the same level; the overall share is
  satisfied ratings over ratings;
- a rating counts in the period of the day it was given; feedback in the period of the day it was
  received: answered on time when answered by its due moment, late when answered after it or still
  waiting past it now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory.scope import Scope

from . import policy
from .models import Complaint, ComplaintStatus, Criterion, Rating, Rules, Score


def _rules() -> Rules:
    found, _created = Rules.objects.get_or_create(pk=1)
    return found


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=zone),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone))


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class CriterionFigure:
    code: str
    name: str
    scores: int
    satisfied: int

    @property
    def satisfied_share(self) -> float | None:
        return _share(self.satisfied, self.scores)


@dataclass(frozen=True)
class Satisfaction:
    """Group 5 of Decision 766/QĐ-TTg for some agencies and a period."""

    ratings: int
    satisfied_ratings: int
    criteria: list[CriterionFigure]
    complaints_received: int
    complaints_answered: int
    complaints_answered_on_time: int
    complaints_late: int

    @property
    def satisfied_share(self) -> float | None:
        return _share(self.satisfied_ratings, self.ratings)

    @property
    def answered_on_time_share(self) -> float | None:
        return _share(self.complaints_answered_on_time, self.complaints_received)


def ratings_in(agency_ids: list[int] | None, start: dt.date, end: dt.date) -> QuerySet[Rating]:
    since, until = _bounds(start, end)
    ratings = Rating.objects.filter(rated_at__gte=since, rated_at__lt=until)
    return ratings if agency_ids is None else ratings.filter(agency_id__in=agency_ids)


def complaints_in(agency_ids: list[int] | None, start: dt.date, end: dt.date) -> QuerySet[Complaint]:
    since, until = _bounds(start, end)
    complaints = Complaint.objects.filter(received_at__gte=since, received_at__lt=until)
    return complaints if agency_ids is None else complaints.filter(agency_id__in=agency_ids)


def _criteria_figures(ratings: QuerySet[Rating], threshold: int) -> list[CriterionFigure]:
    counted: dict[int, Any] = {row["criterion_id"]: row for row in Score.objects.filter(rating__in=ratings).order_by()
               .values("criterion_id").annotate(n=Count("id"), ok=Count("id", filter=Q(value__gte=threshold)))}
    language = get_language()
    return [CriterionFigure(c.code, c.label(language), counted.get(c.pk, {}).get("n", 0),
                            counted.get(c.pk, {}).get("ok", 0))
            for c in Criterion.objects.all() if c.active or c.pk in counted]


def satisfaction(agency_ids: list[int] | None, start: dt.date, end: dt.date, *,
                 now: dt.datetime | None = None) -> Satisfaction | None:
    """Ratings and feedback of ``agency_ids`` (None: the whole province) from ``start`` to ``end``
    (both days included); None when there is neither a rating nor feedback in the period."""
    threshold = _rules().satisfied_from
    ratings = ratings_in(agency_ids, start, end)
    means = list(ratings.order_by().annotate(mean=Avg("scores__value")).values_list("mean", flat=True))
    complaints = complaints_in(agency_ids, start, end).order_by()
    now = now or timezone.now()
    counts = complaints.aggregate(
        received=Count("id"), answered=Count("id", filter=Q(status=ComplaintStatus.ANSWERED)),
        on_time=Count("id", filter=Q(status=ComplaintStatus.ANSWERED, answered_at__lte=F("due_at"))),
        late=Count("id", filter=Q(status=ComplaintStatus.ANSWERED, answered_at__gt=F("due_at"))
                   | Q(status=ComplaintStatus.OPEN, due_at__lte=now)))
    if not means and not counts["received"]:
        return None
    return Satisfaction(
        ratings=len(means), satisfied_ratings=sum(1 for mean in means if mean is not None and mean >= threshold),
        criteria=_criteria_figures(ratings, threshold), complaints_received=counts["received"],
        complaints_answered=counts["answered"], complaints_answered_on_time=counts["on_time"],
        complaints_late=counts["late"])


@dataclass(frozen=True)
class OfficialSatisfaction:
    count: int
    satisfied: int

    @property
    def satisfied_share(self) -> float | None:
        return _share(self.satisfied, self.count)


def official_satisfaction(official_ids: list[int], start: dt.date, end: dt.date) -> OfficialSatisfaction | None:
    """Citizens' ratings of the work of ``official_ids`` (one official, or a unit's members) from
    ``start`` to ``end``; None below the minimum count (``min_ratings_per_official``), so that no
    single rating can be traced back to the person who gave it."""
    rules = _rules()
    since, until = _bounds(start, end)
    means = list(Rating.objects.filter(official_id__in=official_ids, rated_at__gte=since, rated_at__lt=until)
                 .order_by().annotate(mean=Avg("scores__value")).values_list("mean", flat=True))
    if len(means) < rules.min_ratings_per_official:
        return None
    return OfficialSatisfaction(count=len(means),
                                satisfied=sum(1 for mean in means if mean is not None and mean >= rules.satisfied_from))


# --- statistics pages ------------------------------------------------------------------------------

@dataclass
class Row:
    """One agency, desk or official: ratings, satisfied share and each criterion's share. ``hidden``:
    fewer ratings than the minimum, the figures are not shown (an official's only)."""

    label: str
    ratings: int = 0
    satisfied: int = 0
    criteria: dict[str, list[int]] = field(default_factory=dict)  # code -> [scores, satisfied]
    hidden: bool = False

    @property
    def satisfied_share(self) -> float | None:
        return None if self.hidden else _share(self.satisfied, self.ratings)

    def shares(self, codes: list[str]) -> list[float | None]:
        if self.hidden:
            return [None for _code in codes]
        return [_share(self.criteria.get(code, [0, 0])[1], self.criteria.get(code, [0, 0])[0]) for code in codes]


@dataclass(frozen=True)
class Statistics:
    criteria: list[CriterionFigure]
    agencies: list[Row]
    desks: list[Row]
    officials: list[Row]
    minimum: int
    total: Satisfaction | None


def _agency_ids(scope: Scope) -> list[int] | None:
    return None if scope.everything else sorted(scope.agency_ids)


def statistics(user, start: dt.date, end: dt.date) -> Statistics:
    """Figures per agency, desk and official for the agencies ``user`` reads; no rater is named and
    an official's figures are shown only from ``Rules.min_ratings_per_official`` ratings."""
    scope = policy.statistics_scope(user)
    agency_ids = _agency_ids(scope)
    rules = _rules()
    ratings = ratings_in(agency_ids, start, end) if not scope.empty else Rating.objects.none()
    rows: dict[str, dict[str, Row]] = {"agency": {}, "centre": {}, "official": {}}
    keys_of: dict[int, dict[str, str]] = {}
    own_desk = _("own one-stop desk")
    for rating in (ratings.order_by().select_related("agency", "centre", "official")
                   .annotate(mean=Avg("scores__value"))):
        keys = keys_of[rating.pk] = {
            "agency": rating.agency.name,
            "centre": rating.centre.name if rating.centre else f"{rating.agency.name} ({own_desk})",
            "official": (rating.official.get_full_name() or rating.official.get_username())
            if rating.official else str(_("not recorded"))}
        for group, label in keys.items():
            row = rows[group].setdefault(label, Row(label))
            row.ratings += 1
            row.satisfied += int(rating.mean is not None and rating.mean >= rules.satisfied_from)
    for rating_id, code, value in Score.objects.filter(rating__in=ratings).order_by().values_list(
            "rating_id", "criterion__code", "value"):
        for group, label in keys_of[rating_id].items():
            cell = rows[group][label].criteria.setdefault(code, [0, 0])
            cell[0] += 1
            cell[1] += int(value >= rules.satisfied_from)
    for row in rows["official"].values():
        row.hidden = row.ratings < rules.min_ratings_per_official
    total = satisfaction(agency_ids, start, end) if not scope.empty else None
    return Statistics(
        criteria=_criteria_figures(ratings, rules.satisfied_from),
        agencies=sorted(rows["agency"].values(), key=lambda r: r.label),
        desks=sorted(rows["centre"].values(), key=lambda r: r.label),
        officials=sorted(rows["official"].values(), key=lambda r: r.label),
        minimum=rules.min_ratings_per_official, total=total)


# --- feedback --------------------------------------------------------------------------------------

def office_complaints(user) -> QuerySet[Complaint]:
    complaints = Complaint.objects.select_related("agency", "procedure__current", "answered_by")
    if policy.province_admin(user):
        return complaints
    agencies = policy.answering_agencies(user)
    return complaints.filter(agency_id__in=agencies) if agencies else complaints.none()


def published_answers() -> QuerySet[Complaint]:
    """What the portal publishes: only answered feedback whose sender agreed (the database refuses
    anything else), and only its non-personal fields."""
    return (Complaint.objects.filter(published=True, consent_to_publish=True, status=ComplaintStatus.ANSWERED)
            .select_related("agency", "procedure__current").order_by("-answered_at", "-id")
            .only("pk", "subject", "public_summary", "answer", "answered_at", "received_at", "agency__name",
                  "procedure__code", "procedure__current__name"))


def my_complaints(user) -> QuerySet[Complaint]:
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(requester=user).select_related("agency")


def by_token(token: str) -> Complaint | None:
    if not token or len(token) > 64:
        return None
    return Complaint.objects.select_related("agency", "procedure__current").filter(token=token).first()


def active_criteria() -> list[Criterion]:
    return list(Criterion.objects.filter(active=True))
