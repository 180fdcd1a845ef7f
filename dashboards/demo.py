"""Demo data: a subset of the DTI tree of 2024 (the three pillars with some of their main and
component indices, not the whole tree of Decision 922/QĐ-BTTTT), the province's inputs, yearly
published scores marked as illustrative figures, and the alert thresholds. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import User

from .models import AlertKind, AlertRule, DtiIndicator, DtiInput, IndexKind, PublishedScore

YEAR = 2024
# (code, name, parent code, max points, platform figure feeding it, demo input points or None)
TREE = [
    ("CQS", "Chính quyền số", None, "400", "", None),
    ("CQS.1", "Thể chế số", "CQS", "60", "", None),
    ("CQS.1.1", "Ban hành kế hoạch chuyển đổi số năm", "CQS.1", "30", "Kế hoạch CNTT đã phê duyệt", "30"),
    ("CQS.1.2", "Quy chế quản lý, vận hành các hệ thống dùng chung", "CQS.1", "30", "", "20"),
    ("CQS.2", "Hoạt động chính quyền số", "CQS", "340", "", None),
    ("CQS.2.1", "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến", "CQS.2", "120",
     "Chỉ số 766: dịch vụ công trực tuyến", "85"),
    ("CQS.2.2", "Tỷ lệ văn bản trao đổi dưới dạng điện tử, ký số", "CQS.2", "120",
     "Thống kê văn bản: tỷ lệ nhận điện tử, tỷ lệ ký số", "96"),
    ("CQS.2.3", "Tỷ lệ hồ sơ giải quyết đúng hạn", "CQS.2", "100", "Chỉ số 766: tiến độ giải quyết", None),
    ("KTS", "Kinh tế số", None, "300", "", None),
    ("KTS.1", "Tỷ trọng kinh tế số trong GRDP", "KTS", "150", "", "70"),
    ("KTS.2", "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử", "KTS", "150", "", "90"),
    ("XHS", "Xã hội số", None, "300", "", None),
    ("XHS.1", "Tỷ lệ người dân có danh tính số", "XHS", "150", "", "110"),
    ("XHS.2", "Tỷ lệ người dân thanh toán không dùng tiền mặt", "XHS", "150", "Chỉ số 766: thanh toán trực tuyến",
     "95"),
]
# Illustrative figures for the demo, not the province's published results.
SCORES = {
    IndexKind.DTI: ("1000", [(2021, "402.5", 41), (2022, "451.0", 37), (2023, "498.3", 33), (2024, "536.9", 30)]),
    IndexKind.PAR: ("100", [(2021, "81.2", 45), (2022, "83.6", 40), (2023, "85.1", 34), (2024, "86.4", 31)]),
    IndexKind.SIPAS: ("100", [(2021, "78.9", 50), (2022, "80.3", 44), (2023, "82.0", 39), (2024, "83.7", 35)]),
    IndexKind.PAPI: ("80", [(2021, "41.3", 42), (2022, "42.0", 38), (2023, "42.8", 33), (2024, "43.5", 29)]),
    IndexKind.PCI: ("100", [(2021, "62.1", 52), (2022, "63.0", 47), (2023, "64.2", 43), (2024, "65.5", 39)]),
}
RULES = {AlertKind.ON_TIME_BELOW: "90", AlertKind.ON_TIME_DROP: "10", AlertKind.OVERDUE_RISE: "3"}


def load_demo() -> None:
    admin = User.objects.filter(username="quantri.tinh").first() or User.objects.filter(is_superuser=True).first()
    for rule_kind, threshold in RULES.items():
        AlertRule.objects.get_or_create(kind=rule_kind, defaults={"threshold": Decimal(threshold)})
    if admin is None:
        return
    codes: dict[str, DtiIndicator] = {}
    for order, (code, name, parent, max_points, feeds, points) in enumerate(TREE):
        indicator, _created = DtiIndicator.objects.update_or_create(year=YEAR, code=code, defaults={
            "name": name, "parent": codes.get(parent or ""), "max_points": Decimal(max_points), "order": order,
            "feeds": feeds})
        codes[code] = indicator
        if points is not None:
            DtiInput.objects.get_or_create(indicator=indicator, defaults={
                "points": Decimal(points), "entered_by": admin,
                "note": "Số liệu minh họa của bản demo"})
    for kind, (max_score, years) in SCORES.items():
        for year, score, rank in years:
            PublishedScore.objects.get_or_create(kind=kind, year=year, defaults={
                "score": Decimal(score), "max_score": Decimal(max_score), "rank": rank, "ranked_among": 63,
                "source": "Số liệu minh họa (demo), không phải kết quả công bố", "entered_by": admin})
