"""Demo satisfaction and feedback: two published answers and one waiting at Đức Xuân's desk.
Idempotent: run after the directory (the criteria and rules come with the migrations)."""

from __future__ import annotations

from directory.models import Membership

from .models import Complaint, ComplaintStatus, Subject


def load_demo() -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from workdays.calendar import add_working_days

    from .services import rules

    desk = get_user_model().objects.filter(username="motcua.ducxuan").first()
    place = Membership.objects.valid_on().filter(official=desk).select_related("agency").first() if desk else None
    if place is None or Complaint.objects.filter(name__startswith="Demo ").exists():
        return
    agency = place.agency
    now = timezone.now()
    due = add_working_days(now, rules().answer_working_days)
    items = [
        ("Demo Nguyễn Văn Hải", Subject.PROCEDURE, "Đề nghị niêm yết rõ lệ phí cấp bản sao trích lục tại quầy.", True,
         "Đề nghị niêm yết rõ lệ phí cấp bản sao trích lục.", "UBND phường đã niêm yết mức lệ phí 8.000 đồng/bản tại quầy "
         "và trên Cổng dịch vụ công."),
        ("Demo Trần Thị Lan", Subject.OFFICIAL, "Cán bộ hướng dẫn nhiệt tình, đề nghị biểu dương.", True,
         "Đề nghị biểu dương cán bộ Bộ phận Một cửa.", "Cảm ơn ý kiến của công dân; UBND phường đã ghi nhận."),
        ("Demo Lê Văn Tùng", Subject.OTHER, "Đề nghị bố trí thêm ghế chờ tại Bộ phận Một cửa.", False, "", ""),
    ]
    for name, subject, content, consent, summary, answer in items:
        answered = bool(answer) and desk is not None
        Complaint.objects.create(
            name=name, phone="0900000000", subject=subject, content=content, consent_to_publish=consent,
            agency=agency, received_at=now, due_at=due, official_name="Bộ phận Một cửa" if subject == "official" else "",
            status=ComplaintStatus.ANSWERED if answered else ComplaintStatus.OPEN,
            answer=answer if answered else "", public_summary=summary if answered else "",
            answered_by=desk if answered else None, answered_at=now if answered else None,
            published=answered and consent)
