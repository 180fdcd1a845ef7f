"""Demo recognition data: the e-agency criteria sets of this year and last year (agency and
commune levels), Sở Xây dựng's self-assessment of last year taken all the way to a published
recognition, Sở Tư pháp's self-assessment of this year in progress, and a specialist's
task-completion assessment of last month waiting for their unit head. Idempotent: run it again and
nothing is added twice. Needs the directory's demo (its officials)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from directory.models import Agency

from . import services
from .models import AgencyAssessment, CriteriaSet, CriterionKind, Level, OfficialAssessment, PeriodKind, Rating

# (code, title, points, metric or "" for evidence, target %)
CRITERIA = [
    ("1", "Tỷ lệ văn bản đến nhận qua trục liên thông", 15, "documents_electronic", 90),
    ("2", "Tỷ lệ văn bản đi được ký số", 15, "documents_signed", 90),
    ("3", "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến", 15, "dossiers_online", 80),
    ("4", "Tỷ lệ hồ sơ giải quyết đúng hạn", 15, "dossiers_on_time", 95),
    ("5", "Tỷ lệ cán bộ, công chức được bồi dưỡng kỹ năng số", 10, "staff_trained", 100),
    ("6", "Ban hành quy chế ứng dụng công nghệ thông tin, chuyển đổi số", 15, "", 100),
    ("7", "Bảo đảm an toàn thông tin theo cấp độ", 15, "", 100),
]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _set(admin, year: int, level: str) -> CriteriaSet:
    found = CriteriaSet.objects.filter(year=year, level=level).first()
    if found is not None:
        return found
    title = (f"Bộ tiêu chí cơ quan điện tử cấp tỉnh năm {year}" if level == Level.AGENCY
             else f"Bộ tiêu chí chính quyền số cấp xã năm {year}")
    chosen = services.create_criteria_set(acting_user=admin, year=year, level=level, title=title, pass_points=70)
    for code, name, points, metric, target in CRITERIA:
        services.add_criterion(acting_user=admin, criteria_set=chosen, code=code, title=name, points=points,
                               kind=CriterionKind.AUTOMATIC if metric else CriterionKind.EVIDENCE, metric=metric,
                               target=target)
    return chosen


def _evidence_lines(assessment: AgencyAssessment, points: int) -> dict[int, dict]:
    return {score.pk: {"points": str(points), "statement": "Đã ban hành, có văn bản kèm theo."}
            for score in assessment.scores.filter(criterion__kind=CriterionKind.EVIDENCE)}


def load_demo() -> None:
    admin = _user("quantri.tinh")
    if admin is None:
        return
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        for level in Level.values:
            _set(admin, year, level)
    last = CriteriaSet.objects.get(year=today.year - 1, level=Level.AGENCY)
    current = CriteriaSet.objects.get(year=today.year, level=Level.AGENCY)
    sxd = Agency.objects.valid_on(today).filter(abbreviation="SXD").select_related("administrative_unit").first()
    leader = _user("giamdoc.sxd")
    if sxd is not None and leader is not None and not AgencyAssessment.objects.filter(agency=sxd,
                                                                                      criteria_set=last).exists():
        done = services.open_assessment(acting_user=leader, agency=sxd, criteria_set=last)
        services.save_self_assessment(acting_user=leader, assessment=done, statement="Sở đã triển khai đồng bộ.",
                                      lines=_evidence_lines(done, 14))
        services.submit(acting_user=leader, assessment=done)
        services.appraise(acting_user=admin, assessment=done, comment="Đạt yêu cầu.", lines={})
        services.decide(acting_user=admin, assessment=done, recognised=True,
                        decision_number="215/QĐ-UBND", decided_on=dt.date(today.year, 1, 20))
        services.publish(acting_user=admin, assessment=done)
    stp = Agency.objects.valid_on(today).filter(abbreviation="STP").select_related("administrative_unit").first()
    keeper = _user("quantri.stp")
    if stp is not None and keeper is not None and not AgencyAssessment.objects.filter(
            agency=stp, criteria_set=current).exists():
        services.open_assessment(acting_user=keeper, agency=stp, criteria_set=current)
    son = _user("chuyenvien.stp")
    if stp is not None and son is not None:
        month = (today.replace(day=1) - dt.timedelta(days=1))
        if not OfficialAssessment.objects.filter(official=son, agency=stp, period_kind=PeriodKind.MONTH,
                                                 year=month.year, number=month.month).exists():
            mine = services.open_own_assessment(official=son, agency=stp, period_kind=PeriodKind.MONTH,
                                                year=month.year, number=month.month)
            services.self_assess(acting_user=son, assessment=mine, rating=Rating.GOOD,
                                 comment="Hoàn thành các hồ sơ, văn bản được giao.")
