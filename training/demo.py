"""Demo training data: three courses (information security yearly for every official, the one-stop
system for desk officers, digital skills optional), a test, sessions past and planned with their
attendance, a few certificates (one valid, one lapsing soon, one lapsed) and one material.
Idempotent: run it again and nothing is added twice. Needs the directory's demo (its officials)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from directory.models import Agency, Role

from .models import (
    Attendance,
    Certificate,
    Course,
    CourseKind,
    Enrolment,
    Material,
    MaterialKind,
    Option,
    Question,
    Session,
    Test,
)
from .services import issue_certificate

SECURITY, ONE_STOP, SKILLS = "an-toan-thong-tin-co-ban", "he-thong-mot-cua-dien-tu", "ky-nang-so-co-ban"

QUESTIONS = [
    ("Khi nhận được thư điện tử lạ yêu cầu cung cấp mật khẩu, cán bộ cần làm gì?",
     [("Trả lời thư và cung cấp mật khẩu", False), ("Không trả lời, báo bộ phận công nghệ thông tin", True),
      ("Chuyển tiếp cho đồng nghiệp", False)]),
    ("Mật khẩu nào sau đây an toàn nhất?",
     [("123456", False), ("ngaysinh1990", False), ("T@i-Nguyen#2026!bk", True)]),
    ("Có nên cắm thiết bị USB nhặt được vào máy tính cơ quan không?",
     [("Có, để tìm chủ nhân", False), ("Không, bàn giao cho bộ phận công nghệ thông tin", True)]),
    ("Rời khỏi bàn làm việc, cán bộ cần làm gì với máy tính?",
     [("Khoá màn hình", True), ("Để nguyên", False), ("Tắt màn hình nhưng không khoá", False)]),
]

MATERIAL_TEXT = """CẨM NANG AN TOÀN THÔNG TIN CƠ BẢN CHO CÁN BỘ, CÔNG CHỨC

1. Khoá màn hình mỗi khi rời khỏi bàn làm việc.
2. Không chia sẻ mật khẩu; dùng mật khẩu dài, có chữ hoa, chữ thường, chữ số và ký tự đặc biệt.
3. Không mở tệp đính kèm, đường liên kết trong thư điện tử lạ; báo ngay cho bộ phận công nghệ thông tin.
4. Không cắm thiết bị lưu trữ không rõ nguồn gốc vào máy tính cơ quan.
5. Cập nhật hệ điều hành và phần mềm diệt virus thường xuyên.
"""


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _courses() -> dict[str, Course]:
    rows = [
        (SECURITY, "An toàn thông tin cơ bản cho cán bộ, công chức", CourseKind.SECURITY, True, [], 12, False,
         "Nhận diện nguy cơ mất an toàn thông tin, mật khẩu, thư điện tử giả mạo, thiết bị lưu trữ ngoài."),
        (ONE_STOP, "Sử dụng hệ thống một cửa điện tử", CourseKind.PLATFORM, False, [Role.DESK_OFFICER], 24, True,
         "Tiếp nhận, kiểm tra, luân chuyển và trả kết quả hồ sơ trên hệ thống thông tin giải quyết thủ tục hành chính."),
        (SKILLS, "Kỹ năng số cơ bản", CourseKind.IT_SKILLS, False, [], None, True,
         "Soạn thảo văn bản, bảng tính, chữ ký số và làm việc trên môi trường số."),
    ]
    courses = {}
    for code, title, kind, for_all, roles, months, attendance, description in rows:
        courses[code], _created = Course.objects.get_or_create(code=code, defaults={
            "title": title, "kind": kind, "mandatory_for_all": for_all, "mandatory_roles": [str(r) for r in roles],
            "renewal_months": months, "requires_attendance": attendance, "description": description})
    return courses


def _test(course: Course) -> Test:
    test, created = Test.objects.get_or_create(course=course, title="Kiểm tra an toàn thông tin cơ bản",
                                               defaults={"pass_mark": 75, "max_attempts": 3})
    if created:
        for order, (text, options) in enumerate(QUESTIONS, start=1):
            question = Question.objects.create(test=test, text=text, order=order)
            Option.objects.bulk_create([Option(question=question, text=t, correct=c) for t, c in options])
    return test


def _session(course: Course, *, starts_on: dt.date, days: int, agency=None, place="", online=False,
             trainer="quantri.tinh") -> Session:
    session = Session.objects.filter(course=course, agency=agency).order_by("pk").first()
    if session is None:
        session = Session.objects.create(course=course, agency=agency, starts_on=starts_on,
                                         ends_on=starts_on + dt.timedelta(days=days - 1), place=place, online=online,
                                         capacity=40, organised_by=_user("quantri.tinh"))
        session.trainers.add(_user(trainer))
    return session


def _certificate(username: str, course: Course, issued_on: dt.date, session=None) -> None:
    official = _user(username)
    if not Certificate.objects.filter(official=official, course=course).exists():
        issue_certificate(official=official, course=course, session=session, issued_on=issued_on)


def load_demo() -> None:
    today = timezone.localdate()
    courses = _courses()
    _test(courses[SECURITY])
    one_stop = _session(courses[ONE_STOP], starts_on=today - dt.timedelta(days=20), days=2,
                        place="Trung tâm Phục vụ hành chính công tỉnh, phòng họp tầng 2")
    _session(courses[SECURITY], starts_on=today + dt.timedelta(days=14), days=1, online=True)
    stp = Agency.objects.valid_on(today).filter(abbreviation="STP").first()
    if stp is not None:
        _session(courses[SKILLS], starts_on=today + dt.timedelta(days=30), days=3, agency=stp,
                 place="Sở Tư pháp, hội trường", trainer="quantri.stp")
    trainer = _user("quantri.tinh")
    for username, status in (("motcua.stp", Attendance.ATTENDED), ("motcua.ducxuan", Attendance.ATTENDED),
                             ("motcua.sxd", Attendance.ABSENT)):
        Enrolment.objects.get_or_create(session=one_stop, official=_user(username), defaults={
            "status": status, "marked_by": trainer, "marked_at": timezone.now()})
        if status == Attendance.ATTENDED:
            _certificate(username, courses[ONE_STOP], one_stop.ends_on, session=one_stop)
    security = courses[SECURITY]
    _certificate("truongphong.stp", security, today - dt.timedelta(days=60))  # valid
    _certificate("chuyenvien.stp", security, today - dt.timedelta(days=350))  # lapses within 30 days
    _certificate("giamdoc.stp", security, today - dt.timedelta(days=400))  # lapsed
    if not Material.objects.filter(title="Cẩm nang an toàn thông tin cơ bản").exists():
        material = Material(title="Cẩm nang an toàn thông tin cơ bản", kind=MaterialKind.DOCUMENT, course=security,
                            content_type="text/plain; charset=utf-8", uploaded_by=trainer)
        material.file.save("cam-nang-an-toan-thong-tin.txt", ContentFile(MATERIAL_TEXT.encode()), save=False)
        material.save()
