"""A small hand-made training world: a new agency "Sở Thử nghiệm" (code 000.00.00.Z99) with five
officials, and the two demo-like courses; the demo directory underneath for the real logins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from directory.models import Agency, Membership, Role
from training.models import Course, CourseKind, Option, Question, Test

DAY = dt.date(2026, 6, 15)  # "today" of the hand-made scenarios


@pytest.fixture
def security(db):
    return Course.objects.create(code="t-security", title="An toàn thông tin (thử)", kind=CourseKind.SECURITY,
                                 mandatory_for_all=True, renewal_months=12, requires_attendance=False)


@pytest.fixture
def one_stop(db):
    return Course.objects.create(code="t-one-stop", title="Một cửa điện tử (thử)", kind=CourseKind.PLATFORM,
                                 mandatory_roles=[Role.DESK_OFFICER], renewal_months=24)


@pytest.fixture
def optional(db):
    return Course.objects.create(code="t-optional", title="Kỹ năng số (thử)", kind=CourseKind.IT_SKILLS)


@pytest.fixture
def world(demo, security, one_stop, optional):
    """Agency Z with five officials (roles in brackets):

    - an  [desk_officer]   — security valid, one-stop valid
    - binh [desk_officer]  — security LAPSED (valid until 14/06/2026), one-stop never
    - chi [specialist]     — security valid
    - dung [specialist]    — nothing
    - em  [agency_leader]  — security valid; membership ENDED 31/05/2026: not counted on DAY
    """
    province = demo.agencies["STP"]
    agency = Agency.objects.create(code="000.00.00.Z99", name="Sở Thử nghiệm", abbreviation="STN",
                                   parent=province.parent, administrative_unit=province.administrative_unit)
    people = {}
    for name, role, ended in (("an", Role.DESK_OFFICER, None), ("binh", Role.DESK_OFFICER, None),
                              ("chi", Role.SPECIALIST, None), ("dung", Role.SPECIALIST, None),
                              ("em", Role.AGENCY_LEADER, dt.date(2026, 5, 31))):
        user = get_user_model().objects.create_user(username=f"{name}.z", full_name=f"Nguyễn Thị {name.title()}",
                                                    kind="official", password="x")
        Membership.objects.create(official=user, agency=agency, roles=[role], valid_to=ended)
        people[name] = user
    from training.services import issue_certificate

    issue_certificate(official=people["an"], course=security, issued_on=dt.date(2026, 3, 1))
    issue_certificate(official=people["an"], course=one_stop, issued_on=dt.date(2025, 9, 1))
    issue_certificate(official=people["binh"], course=security, issued_on=dt.date(2025, 6, 15))  # until 14/06/2026
    issue_certificate(official=people["chi"], course=security, issued_on=dt.date(2026, 1, 10))
    issue_certificate(official=people["em"], course=security, issued_on=dt.date(2026, 1, 10))
    return {"agency": agency, **people}


@pytest.fixture
def quiz(security):
    """Four questions, pass mark 75 %, two attempts."""
    test = Test.objects.create(course=security, title="Kiểm tra (thử)", pass_mark=75, max_attempts=2)
    for number in range(1, 5):
        question = Question.objects.create(test=test, text=f"Câu hỏi số {number}?", order=number)
        Option.objects.create(question=question, text=f"Đúng {number}", correct=True)
        Option.objects.create(question=question, text=f"Sai {number}", correct=False)
    return test


def answers(test, right: int) -> dict:
    """Answers with the first ``right`` questions right and the others wrong."""
    chosen = {}
    for index, question in enumerate(test.questions.all()):
        option = question.options.get(correct=index < right)
        chosen[str(question.pk)] = str(option.pk)
    return chosen
