"""Every change in training goes through one of these doors: each asks ``training.policy``,
validates, writes in one transaction (the audit entry is written by ``audit.registry`` with it).

A certificate is earned, and issued at once, when the official has done what the course asks
since their last certificate of it: attended a session (when ``requires_attendance``) and passed
the course's active test (when it has one). Decision 0035.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .models import (
    Attempt,
    Attendance,
    Certificate,
    Course,
    Enrolment,
    Material,
    MaterialCompletion,
    Question,
    Session,
    Test,
)

# A holder may retake the test this many days before their certificate lapses (the reminder's window).
RENEWAL_WINDOW_DAYS = 30


@transaction.atomic
def organise_session(*, acting_user, course: Course, agency, starts_on, ends_on, place: str = "", online: bool = False,
                     capacity: int = 30, trainers=()) -> Session:
    policy.require(policy.may_organise(acting_user, getattr(agency, "pk", None)))
    session = Session(course=course, agency=agency, starts_on=starts_on, ends_on=ends_on, place=place, online=online,
                      capacity=capacity, organised_by=acting_user)
    session.full_clean()
    session.save()
    session.trainers.set(trainers)
    return session


@transaction.atomic
def enrol(*, session: Session, official) -> Enrolment:
    session = Session.objects.select_for_update().get(pk=session.pk)  # capacity: one enrolment at a time
    policy.require(policy.may_enrol(official, session))
    return Enrolment.objects.create(session=session, official=official)


@transaction.atomic
def mark_attendance(*, enrolment: Enrolment, status: str, acting_user) -> Enrolment:
    if status not in (Attendance.ATTENDED, Attendance.ABSENT):
        raise ValidationError(_("Mark an official as attended or absent."))
    enrolment = Enrolment.objects.select_for_update().select_related("session__course").get(pk=enrolment.pk)
    policy.require(policy.may_mark_enrolment(acting_user, enrolment))
    enrolment.status = status
    enrolment.marked_by = acting_user
    enrolment.marked_at = timezone.now()
    enrolment.save(update_fields=["status", "marked_by", "marked_at"])
    if status == Attendance.ATTENDED:
        award_if_earned(official=enrolment.official, course=enrolment.session.course)
    return enrolment


def _last_certificate(official, course: Course) -> Certificate | None:
    return Certificate.objects.filter(official=official, course=course).order_by("-created_at", "-pk").first()


def attempts_left(test: Test, official) -> int:
    """Attempts ``official`` still has at ``test`` in the current round (since their last certificate)."""
    used = test.attempts.filter(official=official)
    last = _last_certificate(official, test.course)
    if last is not None:
        used = used.filter(submitted_at__gt=last.created_at)
    return max(test.max_attempts - used.count(), 0)


def may_attempt(test: Test, official) -> policy.Decision:
    if not test.active or not test.course.active:
        return policy._no(_("This test is closed."))
    if not policy.may_read_material(official):
        return policy._no(_("Only officials take training tests."))
    last = _last_certificate(official, test.course)
    today = timezone.localdate()
    if last is not None and last.is_valid_on(today) and (
            last.valid_until is None or (last.valid_until - today).days > RENEWAL_WINDOW_DAYS):
        return policy._no(_("You already hold a valid certificate of this course."))
    if attempts_left(test, official) <= 0:
        return policy._no(_("You have used every attempt allowed at this test."))
    return policy.YES


def score(test: Test, answers: dict) -> tuple[int, int]:
    """(right answers, questions): one option per question; an unanswered question is wrong."""
    questions = list(Question.objects.filter(test=test).prefetch_related("options"))
    right = 0
    for question in questions:
        chosen = str(answers.get(str(question.pk), ""))
        if any(str(option.pk) == chosen and option.correct for option in question.options.all()):
            right += 1
    return right, len(questions)


@transaction.atomic
def submit_attempt(*, test: Test, official, answers: dict) -> Attempt:
    """Score ``answers`` ({question id: option id}) on the server. Passed when the share of right
    answers reaches the pass mark: right × 100 ≥ pass mark × questions (no rounding at the edge)."""
    test = Test.objects.select_for_update().select_related("course").get(pk=test.pk)  # the limit, one at a time
    policy.require(may_attempt(test, official))
    right, total = score(test, answers)
    if total == 0:
        raise ValidationError(_("This test has no questions yet."))
    passed = right * 100 >= test.pass_mark * total
    kept = {str(k): str(v) for k, v in answers.items()}
    attempt = Attempt.objects.create(test=test, official=official, answers=kept, correct=right, total=total,
                                     score=right * 100 // total, passed=passed)
    if passed:
        award_if_earned(official=official, course=test.course)
    return attempt


def award_if_earned(*, official, course: Course) -> Certificate | None:
    """Issue the certificate when everything the course asks has been done since the last one."""
    last = _last_certificate(official, course)
    since = last.created_at if last else None
    attended = None
    if course.requires_attendance:
        enrolments = Enrolment.objects.filter(official=official, session__course=course, status=Attendance.ATTENDED)
        if since:
            enrolments = enrolments.filter(marked_at__gt=since)
        attended = enrolments.select_related("session").order_by("-marked_at").first()
        if attended is None:
            return None
    passed = None
    test = course.tests.filter(active=True).first()
    if test is not None:
        attempts = Attempt.objects.filter(test=test, official=official, passed=True)
        if since:
            attempts = attempts.filter(submitted_at__gt=since)
        passed = attempts.order_by("-submitted_at").first()
        if passed is None:
            return None
    if attended is None and passed is None:
        return None  # a course that asks nothing is never certified by itself
    return issue_certificate(official=official, course=course, session=attended.session if attended else None,
                             attempt=passed)


def issue_certificate(*, official, course: Course, session=None, attempt=None, issued_on=None) -> Certificate:
    issued_on = issued_on or timezone.localdate()
    certificate = Certificate.objects.create(
        number=f"tmp-{uuid.uuid4().hex}", official=official, course=course, session=session, attempt=attempt,
        issued_on=issued_on, valid_until=course.valid_until(issued_on))
    certificate.number = f"{issued_on.year}/{certificate.pk:06d}/CN-BD"
    certificate.save(update_fields=["number"])
    return certificate


@transaction.atomic
def upload_material(*, acting_user, title: str, kind: str, file, course: Course | None = None) -> Material:
    policy.require(policy.may_upload_material(acting_user))
    material = Material(title=title, kind=kind, course=course, uploaded_by=acting_user,
                        content_type=getattr(file, "content_type", "") or "application/octet-stream")
    material.file.save(file.name, file, save=False)
    material.full_clean()
    material.save()
    return material


def complete_material(*, material: Material, official) -> MaterialCompletion:
    if not policy.may_read_material(official):
        raise PermissionDenied(_("Only officials read training materials."))
    completion, _created = MaterialCompletion.objects.get_or_create(material=material, official=official)
    return completion
