"""Hand-made scenarios for recognition: a 2025 agency-level criteria set with one criterion per
metric and one from evidence, and one-line makers for dossiers, steps, documents and tasks."""

from __future__ import annotations

import datetime as dt
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from dossiers.models import Dossier, DossierStep
from recognition import services
from recognition.models import CriterionKind, Level
from tests.factories import make_official, make_procedure

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_codes = count(1)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VN)


@pytest.fixture
def procedure(demo):
    return make_procedure(agencies=[demo.agencies["STP"], demo.agencies["SXD"]], code="9.140001",
                          name="Chứng thực bản sao (thử)")


def make_dossier(demo, procedure, *, agency="STP", channel="online", received=None, result=None, outcome="",
                 status="in_progress") -> Dossier:
    return Dossier.objects.create(
        code=f"RCG-{next(_codes):05d}", procedure_version=procedure.current, agency=demo.agencies[agency],
        applicant=demo.users["congdan@example.vn"], applicant_name="Nguyễn Thị Hồng", status=status, channel=channel,
        submitted_at=at(received) if received else None, received_at=at(received) if received else None,
        due_at=at(received + dt.timedelta(days=10)) if received else None,
        result_ready_at=at(result) if result else None, outcome=outcome)


def make_step(dossier, official, *, handed: dt.date | None, timeliness: str = "") -> DossierStep:
    return DossierStep.objects.create(
        dossier=dossier, order=dossier.steps.count() + 1, name="Thẩm định", agency=dossier.agency, assignee=official,
        received_at=at(handed or dt.date(2025, 1, 1)) - dt.timedelta(days=2),
        due_at=at(handed or dt.date(2025, 1, 1)), handed_at=at(handed) if handed else None, timeliness=timeliness)


@pytest.fixture
def criteria(demo):
    """The 2025 agency-level set, kept by quantri.tinh: C1–C5 automatic (10 points each, full points
    at 100 %, except C4 at 80 %), C6 from evidence (20 points)."""
    admin = demo.users["quantri.tinh"]
    chosen = services.create_criteria_set(acting_user=admin, year=2025, level=Level.AGENCY,
                                          title="Bộ tiêu chí cơ quan điện tử cấp tỉnh 2025", pass_points=50)
    for code, metric, target in (("C1", "documents_electronic", 100), ("C2", "documents_signed", 100),
                                 ("C3", "dossiers_online", 100), ("C4", "dossiers_on_time", 80),
                                 ("C5", "staff_trained", 100)):
        services.add_criterion(acting_user=admin, criteria_set=chosen, code=code, title=f"Tiêu chí {code}",
                               points=10, kind=CriterionKind.AUTOMATIC, metric=metric, target=target)
    services.add_criterion(acting_user=admin, criteria_set=chosen, code="C6", title="Quy chế ứng dụng CNTT",
                           points=20, kind=CriterionKind.EVIDENCE)
    return chosen


@pytest.fixture
def intruder(demo):
    """quantri.sxd: the administrator of another agency (Sở Xây dựng), who signs in for real."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from directory.demo import DEMO_PASSWORD

    user = make_official("quantri.sxd", agency=demo.agencies["SXD"], position="Chuyên viên", roles=["agency_admin"])
    user.set_password(DEMO_PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="Thử nghiệm", confirmed=True)
    return user
