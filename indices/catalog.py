"""The indicator tree of Decision 766/QĐ-TTg (23 June 2022) as the platform applies it, as data: loaded
by a data migration and by :func:`load`; a new year's rules are a new ``IndexSet`` entered in the admin
(or loaded from a tree like this one), not code. Formulas and their parameters: ``indices.formulas``,
ADR 0038."""

from __future__ import annotations

import datetime as dt
from typing import Any

LEGAL_BASIS = "Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ"

# (code, name, max points, [(code, name, max points, formula, parameters)])
TREE: list[tuple[int, str, int, list[tuple[str, str, int, str, dict[str, Any]]]]] = [
    (1, "Công khai, minh bạch", 18, [
        ("1.1", "Thủ tục hành chính được công khai đầy đủ thông tin", 10, "catalog_share",
         {"criterion": "full_information"}),
        ("1.2", "Hồ sơ được công khai tiến độ giải quyết trực tuyến (tra cứu theo mã hồ sơ)", 8, "share",
         {"numerator": "received_coded", "denominator": "received"}),
    ]),
    (2, "Tiến độ giải quyết", 20, [
        ("2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", 14, "share",
         {"numerator": "settled_on_time", "denominator": "settled"}),
        ("2.2", "Hồ sơ giải quyết quá hạn", 6, "share",
         {"numerator": "settled_late", "denominator": "settled", "invert": True}),
    ]),
    (3, "Dịch vụ công trực tuyến", 12, [
        ("3.1", "Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến toàn trình", 6, "catalog_share",
         {"criterion": "full_online"}),
        ("3.2", "Tỷ lệ hồ sơ nộp trực tuyến", 6, "share",
         {"numerator": "received_online", "denominator": "received"}),
    ]),
    (4, "Thanh toán trực tuyến", 10, [
        ("4.1", "Tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến", 10, "share",
         {"numerator": "paid_online", "denominator": "payable"}),
    ]),
    (5, "Mức độ hài lòng", 18, [
        ("5.1", "Tỷ lệ đánh giá hài lòng", 12, "satisfied", {}),
        ("5.2", "Phản ánh, kiến nghị được trả lời đúng hạn", 6, "complaints_answered", {}),
    ]),
    (6, "Số hóa hồ sơ, kết quả giải quyết", 22, [
        ("6.1", "Tỷ lệ hồ sơ giấy được số hóa khi tiếp nhận", 8, "share",
         {"numerator": "paper_digitised", "denominator": "received_paper"}),
        ("6.2", "Tỷ lệ kết quả giải quyết được cấp bản điện tử (ký số)", 8, "share",
         {"numerator": "settled_electronic", "denominator": "settled"}),
        # Among the dossiers received online, those that took at least one paper from the applicant's data
        # store or a datum from a national database instead of an upload (ADR 0044).
        ("6.3", "Tỷ lệ khai thác, sử dụng lại dữ liệu đã số hóa", 6, "share",
         {"numerator": "reused_online", "denominator": "received_online"}),
    ]),
]


def load_tree(index_set_model, group_model, indicator_model, *, year: int = 2022,
              valid_from: dt.date = dt.date(2022, 6, 23)):
    """Create the set of ``year`` with its groups and indicators unless it exists (idempotent)."""
    index_set, created = index_set_model.objects.get_or_create(
        year=year, defaults={"valid_from": valid_from, "legal_basis": LEGAL_BASIS,
                             "name": f"Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) – {year}"})
    if not created:
        return index_set
    for group_code, group_name, group_points, indicators in TREE:
        group = group_model.objects.create(index_set=index_set, code=group_code, name=group_name,
                                           max_points=group_points)
        for order, (code, name, max_points, formula, parameters) in enumerate(indicators, start=1):
            indicator_model.objects.create(group=group, code=code, name=name, max_points=max_points,
                                           formula=formula, parameters=parameters, order=order)
    return index_set


def load(**kwargs):
    from .models import Group, IndexSet, Indicator

    return load_tree(IndexSet, Group, Indicator, **kwargs)
