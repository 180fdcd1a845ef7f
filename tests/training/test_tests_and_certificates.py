"""Tests taken online: scored on the server, the pass mark at its edge, the attempts allowed;
a certificate earned and printed in Vietnamese."""

import subprocess

import pytest
from django.core.exceptions import PermissionDenied

from training import services
from training.models import Certificate

from .conftest import answers


@pytest.fixture
def dung(world):
    return world["dung"]


def test_exactly_the_pass_mark_passes(quiz, dung):
    # 3 of 4 right = 75 % = the pass mark.
    attempt = services.submit_attempt(test=quiz, official=dung, answers=answers(quiz, 3))
    assert (attempt.correct, attempt.total, attempt.score, attempt.passed) == (3, 4, 75, True)


def test_one_below_the_pass_mark_fails(quiz, dung):
    # 2 of 4 = 50 % < 75 %.
    attempt = services.submit_attempt(test=quiz, official=dung, answers=answers(quiz, 2))
    assert (attempt.score, attempt.passed) == (50, False)


def test_the_edge_is_not_rounded(quiz, dung):
    # Pass mark 67 with 3 questions: 2 right is 66.67 % — below 67 %, even though it rounds to 67.
    quiz.pass_mark = 67
    quiz.save()
    quiz.questions.last().delete()
    attempt = services.submit_attempt(test=quiz, official=dung, answers=answers(quiz, 2))
    assert (attempt.score, attempt.passed) == (66, False)


def test_unanswered_and_foreign_options_are_wrong(quiz, dung, one_stop):
    chosen = answers(quiz, 4)
    first, second = list(chosen)[:2]
    del chosen[first]
    chosen[second] = "999999999"  # an option of no question of this test
    attempt = services.submit_attempt(test=quiz, official=dung, answers=chosen)
    assert attempt.correct == 2 and not attempt.passed


def test_attempts_are_limited(quiz, dung):
    services.submit_attempt(test=quiz, official=dung, answers=answers(quiz, 1))
    services.submit_attempt(test=quiz, official=dung, answers=answers(quiz, 1))
    assert services.attempts_left(quiz, dung) == 0
    with pytest.raises(PermissionDenied):
        services.submit_attempt(test=quiz, official=dung, answers=answers(quiz, 4))
    assert quiz.attempts.filter(official=dung).count() == 2


def test_passing_issues_the_certificate_once(quiz, dung, security):
    services.submit_attempt(test=quiz, official=dung, answers=answers(quiz, 4))
    certificate = Certificate.objects.get(official=dung, course=security)
    assert certificate.valid_until == security.valid_until(certificate.issued_on)
    with pytest.raises(PermissionDenied):  # holding a valid certificate: no new attempt
        services.submit_attempt(test=quiz, official=dung, answers=answers(quiz, 4))
    assert Certificate.objects.filter(official=dung, course=security).count() == 1


def test_attendance_alone_earns_a_course_without_test(world, one_stop):
    import datetime as dt

    from django.utils import timezone

    session = services.organise_session(
        acting_user=_province_admin(), course=one_stop, agency=None,
        starts_on=timezone.localdate() - dt.timedelta(days=1), ends_on=timezone.localdate(), online=True,
        trainers=[_province_admin()])
    enrolment = services.enrol(session=session, official=world["binh"])
    services.mark_attendance(enrolment=enrolment, status="attended", acting_user=_province_admin())
    assert Certificate.objects.filter(official=world["binh"], course=one_stop, session=session).exists()


def _province_admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="quantri.tinh")


@pytest.mark.requires_tools("pdftotext")
def test_certificate_pdf_names_the_official_with_diacritics(sign_in, world, security):
    certificate = Certificate.objects.get(official=world["an"], course=security)
    world["an"].full_name = "Nguyễn Thị Ánh Tuyết"
    world["an"].save()
    client = sign_in("quantri.tinh")
    response = client.get(f"/workspace/training/certificates/{certificate.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    assert "Nguyễn Thị Ánh Tuyết" in text
    assert "An toàn thông tin (thử)" in text
    assert "CHỨNG NHẬN" in text  # printed in Vietnamese
