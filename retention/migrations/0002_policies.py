"""The retention policies in force from 1 January 2026 (Law 91/2025/QH15 on personal data protection),
with their legal bases; the reading of each is explained in docs/decisions/0051-retention.md."""

import datetime as dt

from django.db import migrations

FROM = dt.date(2026, 1, 1)
DOSSIERS = ("Thông tư 10/2022/TT-BNV (thời hạn bảo quản tính từ năm công việc kết thúc); Nghị định 118/2025/NĐ-CP "
            "và Thông tư 03/2025/TT-VPCP (hồ sơ, kết quả giải quyết thủ tục hành chính lưu trên Hệ thống thông tin "
            "giải quyết thủ tục hành chính); Luật Lưu trữ 2024 (hết thời hạn: nộp lưu hoặc hủy theo đánh giá)")
LOGS = ("Nghị định 53/2022/NĐ-CP, điều 27 (nhật ký hệ thống lưu tối thiểu 12 tháng), TCVN 11930:2017 "
        "(nhật ký theo cấp độ an toàn hệ thống thông tin)")
PURPOSE = ("Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 (xóa khi mục đích xử lý đã hoàn thành); Nghị định "
           "13/2023/NĐ-CP, điều 16 (xóa dữ liệu cá nhân)")

# kind, years, days, from the end of the year, disposal, legal basis, to confirm
POLICIES = [
    ("dossier_settled", 10, 0, True, "archive", DOSSIERS, True),
    ("dossier_unsettled", 5, 0, True, "archive", DOSSIERS, True),
    ("draft", 0, 90, False, "erase", PURPOSE + "; bản nháp chưa nộp không phải hồ sơ thủ tục hành chính", True),
    ("integration_calls", 1, 0, False, "erase", LOGS, True),
    ("notifications", 1, 0, False, "erase", PURPOSE + "; lịch sử xử lý hồ sơ giữ lại những gì đã xảy ra", True),
    ("sessions", 0, 30, False, "erase", PURPOSE + "; phiên đăng nhập đã kết thúc (ADR 0049)", False),
    ("login_attempts", 1, 0, False, "erase", LOGS, True),
    ("population_consents", 3, 0, True, "anonymise",
     "Nghị định 13/2023/NĐ-CP, điều 11 (bên kiểm soát chứng minh được sự đồng ý); Luật 91/2025/QH15; Bộ luật Dân sự "
     "2015, điều 588 (thời hiệu khởi kiện yêu cầu bồi thường 03 năm)", True),
]


def seed(apps, schema_editor):
    policy = apps.get_model("retention", "RetentionPolicy")
    for kind, years, days, year_end, disposal, basis, to_confirm in POLICIES:
        policy.objects.update_or_create(kind=kind, valid_from=FROM, defaults={
            "years": years, "days": days, "from_year_end": year_end, "disposal": disposal, "legal_basis": basis,
            "to_confirm": to_confirm})


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
