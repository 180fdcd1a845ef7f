"""The kinds of papers the store knows at first, as data (a province adds others in the admin): the
results of the commonest procedures and the papers they are asked as. Validity: the marital-status
certificate is valid six months (Decree 123/2015/NĐ-CP art. 23); the other kinds here carry no limit of
their own *(a procedure asking for a recent paper is to confirm per procedure)*. ADR 0044."""

from __future__ import annotations

# (code, name, other names, validity in months or None)
KINDS: list[tuple[str, str, list[str], int | None]] = [
    ("giay-khai-sinh", "Giấy khai sinh", ["Trích lục khai sinh"], None),
    ("giay-chung-nhan-ket-hon", "Giấy chứng nhận kết hôn", ["Trích lục kết hôn"], None),
    ("trich-luc-khai-tu", "Trích lục khai tử", ["Giấy báo tử"], None),
    ("xac-nhan-tinh-trang-hon-nhan", "Giấy xác nhận tình trạng hôn nhân", [], 6),
    ("phieu-ly-lich-tu-phap", "Phiếu lý lịch tư pháp", [], None),
    ("dang-ky-ho-kinh-doanh", "Giấy chứng nhận đăng ký hộ kinh doanh", [], None),
    ("dang-ky-doanh-nghiep", "Giấy chứng nhận đăng ký doanh nghiệp", [], None),
    ("giay-phep-xay-dung", "Giấy phép xây dựng", [], None),
    ("chung-chi-hanh-nghe-duoc", "Chứng chỉ hành nghề dược", [], None),
]


def load_kinds(kind_model) -> None:
    """Create the kinds above that do not exist yet (idempotent)."""
    for code, name, names, months in KINDS:
        kind_model.objects.get_or_create(code=code, defaults={"name": name, "names": names,
                                                              "validity_months": months})
