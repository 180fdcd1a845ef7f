"""Every change in recognition goes through one of these doors: each asks ``recognition.policy``,
validates and writes in one transaction (the audit entry is written by ``audit.registry`` with it).
Decision 0040."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Membership

from . import figures, metrics, policy
from .models import (
    AgencyAssessment,
    CriteriaSet,
    Criterion,
    CriterionKind,
    CriterionScore,
    Evidence,
    OfficialAssessment,
    PeriodKind,
    Rating,
)

# --- criteria sets ---------------------------------------------------------------------------------


@transaction.atomic
def create_criteria_set(*, acting_user, year: int, level: str, title: str, pass_points=0) -> CriteriaSet:
    policy.require(policy.may_keep_criteria(acting_user))
    criteria_set = CriteriaSet(year=year, level=level, title=title, pass_points=pass_points)
    criteria_set.full_clean()
    criteria_set.save()
    return criteria_set


@transaction.atomic
def add_criterion(*, acting_user, criteria_set: CriteriaSet, code: str, title: str, points, kind: str,
                  metric: str = "", target=100, guidance: str = "", order: int | None = None) -> Criterion:
    policy.require(policy.may_keep_criteria(acting_user))
    if criteria_set.assessments.exclude(state="draft").exists():
        raise ValidationError(_("Agencies have submitted against this set: add criteria to next year's."))
    order = order if order is not None else criteria_set.criteria.count() + 1
    criterion = Criterion(criteria_set=criteria_set, code=code, title=title, points=points, kind=kind,
                          metric=metric if kind == CriterionKind.AUTOMATIC else "", target=target, guidance=guidance,
                          order=order)
    criterion.full_clean()
    criterion.save()
    for assessment in criteria_set.assessments.all():
        CriterionScore.objects.get_or_create(assessment=assessment, criterion=criterion)
    return criterion


# --- the agency's self-assessment ------------------------------------------------------------------


def _fill_automatic(assessment: AgencyAssessment, reader) -> None:
    for score in assessment.scores.select_related("criterion").filter(criterion__kind=CriterionKind.AUTOMATIC):
        found = metrics.compute(score.criterion.metric, reader=reader, agency=assessment.agency,
                                year=assessment.criteria_set.year)
        score.value = found.percent
        score.missing = found.missing
        score.self_points = metrics.points_for(found.percent, points=score.criterion.points,
                                               target=score.criterion.target)
        score.save(update_fields=["value", "missing", "self_points"])


@transaction.atomic
def open_assessment(*, acting_user, agency, criteria_set: CriteriaSet) -> AgencyAssessment:
    policy.require(policy.may_open(acting_user, agency, criteria_set))
    assessment = AgencyAssessment.objects.create(agency=agency, criteria_set=criteria_set)
    CriterionScore.objects.bulk_create(CriterionScore(assessment=assessment, criterion=criterion)
                                       for criterion in criteria_set.criteria.all())
    _fill_automatic(assessment, acting_user)
    return assessment


def _locked(assessment: AgencyAssessment) -> AgencyAssessment:
    return AgencyAssessment.objects.select_for_update().select_related("agency", "criteria_set").get(
        pk=assessment.pk)


@transaction.atomic
def refresh_figures(*, acting_user, assessment: AgencyAssessment) -> AgencyAssessment:
    assessment = _locked(assessment)
    policy.require(policy.may_edit(acting_user, assessment))
    _fill_automatic(assessment, acting_user)
    return assessment


def _points(value, criterion: Criterion) -> Decimal | None:
    if value in (None, ""):
        return None
    points = Decimal(str(value))
    if points < 0 or points > criterion.points:
        raise ValidationError(_("Points for %(code)s must be between 0 and %(max)s.")
                              % {"code": criterion.code, "max": criterion.points})
    return points


@transaction.atomic
def save_self_assessment(*, acting_user, assessment: AgencyAssessment, statement: str,
                         lines: dict[int, dict]) -> AgencyAssessment:
    """``lines``: {score id: {"points": ..., "statement": ...}}; an automatic criterion's points are
    the computed ones (only its statement is the agency's)."""
    assessment = _locked(assessment)
    policy.require(policy.may_edit(acting_user, assessment))
    assessment.statement = statement
    assessment.save(update_fields=["statement"])
    for score in assessment.scores.select_related("criterion"):
        line = lines.get(score.pk)
        if line is None:
            continue
        score.statement = line.get("statement", "")
        if score.criterion.kind == CriterionKind.EVIDENCE:
            score.self_points = _points(line.get("points"), score.criterion)
        score.save(update_fields=["statement", "self_points"])
    return assessment


@transaction.atomic
def attach_evidence(*, acting_user, score: CriterionScore, upload) -> Evidence:
    assessment = _locked(score.assessment)
    policy.require(policy.may_edit(acting_user, assessment))
    evidence = Evidence(score=score, file=upload, name=upload.name[:255], uploaded_by=acting_user)
    evidence.save()
    return evidence


def _move(assessment: AgencyAssessment, action: str) -> None:
    assessment.state = policy.TRANSITIONS[action][1]


@transaction.atomic
def submit(*, acting_user, assessment: AgencyAssessment) -> AgencyAssessment:
    assessment = _locked(assessment)
    policy.require(policy.may(acting_user, assessment, "submit"))
    unscored = [s.criterion.code for s in assessment.scores.select_related("criterion")
                if s.criterion.kind == CriterionKind.EVIDENCE and s.self_points is None]
    if unscored:
        raise ValidationError(_("Score every criterion before submitting: %(codes)s.") % {"codes": ", ".join(unscored)})
    _move(assessment, "submit")
    assessment.submitted_by, assessment.submitted_at = acting_user, timezone.now()
    assessment.save()
    return assessment


@transaction.atomic
def return_to_agency(*, acting_user, assessment: AgencyAssessment, comment: str) -> AgencyAssessment:
    assessment = _locked(assessment)
    policy.require(policy.may(acting_user, assessment, "return"))
    if not comment.strip():
        raise ValidationError(_("Say what the agency must complete."))
    _move(assessment, "return")
    assessment.appraisal_comment = comment
    assessment.save()
    return assessment


@transaction.atomic
def appraise(*, acting_user, assessment: AgencyAssessment, comment: str,
             lines: dict[int, dict]) -> AgencyAssessment:
    """``lines``: {score id: {"points": adjusted points or empty (keep the agency's), "comment": ...}}."""
    assessment = _locked(assessment)
    policy.require(policy.may(acting_user, assessment, "appraise"))
    for score in assessment.scores.select_related("criterion"):
        line = lines.get(score.pk, {})
        score.appraised_points = _points(line.get("points"), score.criterion)
        score.appraisal_comment = line.get("comment", "")
        if score.appraised_points is not None and score.appraised_points != score.self_points \
                and not score.appraisal_comment.strip():
            raise ValidationError(_("Explain the adjusted points for %(code)s.") % {"code": score.criterion.code})
        score.save(update_fields=["appraised_points", "appraisal_comment"])
    _move(assessment, "appraise")
    assessment.appraised_by, assessment.appraised_at = acting_user, timezone.now()
    assessment.appraisal_comment = comment
    assessment.save()
    return assessment


@transaction.atomic
def decide(*, acting_user, assessment: AgencyAssessment, recognised: bool, decision_number: str,
           decided_on) -> AgencyAssessment:
    assessment = _locked(assessment)
    policy.require(policy.may(acting_user, assessment, "decide"))
    if not decision_number.strip() or decided_on is None:
        raise ValidationError(_("Give the council decision's number and date."))
    _move(assessment, "decide")
    assessment.recognised, assessment.decision_number = recognised, decision_number.strip()
    assessment.decided_on, assessment.decided_by = decided_on, acting_user
    assessment.save()
    return assessment


@transaction.atomic
def publish(*, acting_user, assessment: AgencyAssessment) -> AgencyAssessment:
    assessment = _locked(assessment)
    policy.require(policy.may(acting_user, assessment, "publish"))
    _move(assessment, "publish")
    assessment.published_at = timezone.now()
    assessment.save()
    return assessment


# --- officials' task-completion assessment ---------------------------------------------------------


def _period_valid(period_kind: str, number: int) -> None:
    top = 12 if period_kind == PeriodKind.MONTH else 4
    if period_kind not in PeriodKind.values or not 1 <= number <= top:
        raise ValidationError(_("Choose a month (1–12) or a quarter (1–4)."))


@transaction.atomic
def open_own_assessment(*, official, agency, period_kind: str, year: int, number: int) -> OfficialAssessment:
    policy.require(policy.may_open_own(official, agency.pk))
    _period_valid(period_kind, number)
    unit_id = (Membership.objects.valid_on().filter(official=official, agency=agency)
               .values_list("unit_id", flat=True).first())
    assessment, _created = OfficialAssessment.objects.get_or_create(
        official=official, agency=agency, period_kind=period_kind, year=year, number=number,
        defaults={"unit_id": unit_id})
    if _created:
        assessment.figures = figures.of_official(official.pk, assessment.period)
        assessment.save(update_fields=["figures"])
    return assessment


def _rating(value: str) -> str:
    if value not in Rating.values:
        raise ValidationError(_("Choose a rating level."))
    return value


def _locked_official(assessment: OfficialAssessment) -> OfficialAssessment:
    return OfficialAssessment.objects.select_for_update().get(pk=assessment.pk)


@transaction.atomic
def self_assess(*, acting_user, assessment: OfficialAssessment, rating: str, comment: str) -> OfficialAssessment:
    assessment = _locked_official(assessment)
    policy.require(policy.may_official(acting_user, assessment, "self_assess"))
    assessment.self_rating, assessment.self_comment = _rating(rating), comment
    assessment.figures = figures.of_official(assessment.official_id, assessment.period)
    assessment.state, assessment.self_at = policy.OFFICIAL_TRANSITIONS["self_assess"][1], timezone.now()
    assessment.save()
    return assessment


@transaction.atomic
def review(*, acting_user, assessment: OfficialAssessment, rating: str, comment: str) -> OfficialAssessment:
    assessment = _locked_official(assessment)
    policy.require(policy.may_official(acting_user, assessment, "review"))
    assessment.unit_rating, assessment.unit_comment = _rating(rating), comment
    assessment.unit_head, assessment.unit_at = acting_user, timezone.now()
    assessment.state = policy.OFFICIAL_TRANSITIONS["review"][1]
    assessment.save()
    return assessment


@transaction.atomic
def rate(*, acting_user, assessment: OfficialAssessment, rating: str, comment: str) -> OfficialAssessment:
    assessment = _locked_official(assessment)
    policy.require(policy.may_official(acting_user, assessment, "rate"))
    assessment.leader_rating, assessment.leader_comment = _rating(rating), comment
    assessment.leader, assessment.leader_at = acting_user, timezone.now()
    assessment.state = policy.OFFICIAL_TRANSITIONS["rate"][1]
    assessment.save()
    return assessment
