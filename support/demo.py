"""Demo help centre: the guide to "Cấp bản sao trích lục hộ tịch" (2.000635) and to birth
registration, questions by topic and life event, answer templates and an announcement.
Idempotent: run after the directory and the catalog (``procedures.demo.load_catalog``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from procedures.models import Procedure

from .models import Announcement, AnswerTemplate, Faq, Guide, GuideStep, LifeEvent, Topic

GUIDES: dict[str, dict[str, Any]] = {
    "2.000635": {
        "title": "Hướng dẫn cấp bản sao trích lục hộ tịch",
        "summary": "Xin bản sao trích lục khai sinh, kết hôn, khai tử… đã đăng ký tại Ủy ban nhân dân cấp xã, "
                   "nộp trực tuyến và nhận kết quả ngay trong ngày.",
        "steps": [
            "Đăng nhập Cổng dịch vụ công bằng tài khoản định danh điện tử hoặc tài khoản của Cổng.",
            "Tìm thủ tục \"Cấp bản sao trích lục hộ tịch\", chọn Ủy ban nhân dân xã, phường nơi đã đăng ký "
            "sự kiện hộ tịch, rồi bấm \"Nộp hồ sơ trực tuyến\".",
            "Điền tờ khai: sự kiện hộ tịch cần trích lục, số bản sao; đính kèm văn bản ủy quyền nếu xin "
            "cho người khác.",
            "Kiểm tra lại, nộp hồ sơ và nộp lệ phí 8.000 đồng mỗi bản sao trực tuyến.",
            "Theo dõi hồ sơ bằng mã hồ sơ; nhận bản sao tại Bộ phận Một cửa hoặc qua bưu chính.",
        ],
        "mistakes": "Chọn sai xã, phường: phải là nơi đã đăng ký sự kiện hộ tịch\n"
                    "Xin trích lục cho người khác mà không có văn bản ủy quyền (trừ cha, mẹ, con, vợ, chồng, "
                    "anh, chị, em ruột)\n"
                    "Ghi sai số, ngày đăng ký của sự kiện hộ tịch",
    },
    "1.001193": {
        "title": "Hướng dẫn đăng ký khai sinh trực tuyến",
        "summary": "Đăng ký khai sinh cho trẻ tại Ủy ban nhân dân cấp xã nơi cư trú của cha hoặc mẹ.",
        "steps": [
            "Đăng nhập Cổng dịch vụ công.",
            "Tìm thủ tục \"Đăng ký khai sinh\" và bấm \"Nộp hồ sơ trực tuyến\".",
            "Điền tờ khai, đính kèm giấy chứng sinh, nộp hồ sơ.",
        ],
        "mistakes": "Đính kèm ảnh giấy chứng sinh mờ, không đọc được",
    },
}

FAQ = [
    ("Tôi quên mật khẩu tài khoản Cổng dịch vụ công thì làm thế nào?",
     "Bấm \"Quên mật khẩu?\" ở trang đăng nhập, nhập địa chỉ thư điện tử đã đăng ký; đường dẫn đặt lại mật khẩu "
     "sẽ được gửi đến hộp thư.", Topic.ACCOUNT, "", ""),
    ("Lệ phí cấp bản sao trích lục hộ tịch là bao nhiêu?",
     "8.000 đồng cho mỗi bản sao trích lục của mỗi sự kiện hộ tịch; nộp trực tuyến khi nộp hồ sơ.",
     Topic.PAYMENT, LifeEvent.FAMILY, "2.000635"),
    ("Tôi có thể xin bản sao trích lục khai sinh cho con không?",
     "Có. Cha, mẹ, con, vợ, chồng, anh, chị, em ruột không cần văn bản ủy quyền.",
     Topic.PROCEDURE, LifeEvent.FAMILY, "2.000635"),
    ("Làm sao biết hồ sơ của tôi đang ở đâu?",
     "Vào \"Tra cứu hồ sơ\", nhập mã hồ sơ in trên giấy tiếp nhận hoặc trong thư thông báo.",
     Topic.DOSSIER, "", ""),
]

TEMPLATES = [
    ("Hướng dẫn tra cứu hồ sơ", "Ông/bà vui lòng vào mục \"Tra cứu hồ sơ\" trên Cổng dịch vụ công, nhập mã hồ sơ "
     "để xem tình trạng giải quyết.", Topic.DOSSIER),
    ("Hướng dẫn đặt lại mật khẩu", "Ông/bà bấm \"Quên mật khẩu?\" ở trang đăng nhập và làm theo hướng dẫn "
     "trong thư được gửi đến.", Topic.ACCOUNT),
    ("Giấy tờ cần nộp", "Ông/bà xem mục \"Giấy tờ cần nộp\" trên trang của thủ tục; các mẫu tờ khai có thể "
     "tải về tại trang hướng dẫn.", Topic.PROCEDURE),
]


def load_demo() -> int:
    """Returns how many guides the demo has."""
    for code, data in GUIDES.items():
        procedure = Procedure.objects.filter(code=code, current__isnull=False).select_related("current").first()
        if procedure is None or Guide.objects.filter(procedure=procedure).exists():
            continue
        guide = Guide.objects.create(procedure=procedure, title=data["title"], summary=data["summary"],
                                     common_mistakes=data["mistakes"], published=True)
        for order, text in enumerate(data["steps"], start=1):
            GuideStep.objects.create(guide=guide, order=order, text=text)
        guide.save()  # the search key reads the steps
    for order, (question, answer, topic, event, code) in enumerate(FAQ, start=1):
        if not Faq.objects.filter(question=question).exists():
            Faq.objects.create(question=question, answer=answer, topic=topic, life_event=event, order=order,
                               procedure=Procedure.objects.filter(code=code).first() if code else None)
    for title, body, topic in TEMPLATES:
        AnswerTemplate.objects.get_or_create(title=title, agency=None, defaults={"body": body, "topic": topic})
    if not Announcement.objects.exists():
        Announcement.objects.create(
            title="Nộp hồ sơ hộ tịch trực tuyến, nhận kết quả trong ngày",
            body="Từ nay người dân có thể xin bản sao trích lục hộ tịch trực tuyến tại tất cả các xã, phường; "
                 "xem hướng dẫn tại Trung tâm trợ giúp.",
            starts_at=timezone.now() - dt.timedelta(days=1))
    return Guide.objects.count()
