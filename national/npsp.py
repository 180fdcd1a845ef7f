"""The National Public Service Portal (Cổng Dịch vụ công quốc gia, NPSP) behind one adapter.

The protocol (ADR 0046): the province publishes its procedure catalog, fetches the dossiers citizens
submitted on the national portal for its agencies, acknowledges each (received with the province's
dossier code, or refused with a reason), and pushes every status change (``trangThai``, the national
portal's TrangThaiHoSo 1–10) and every result. Every push carries an idempotency key, so a push sent
again after a lost answer counts once. Each call raises :class:`national.base.Unavailable` or
:class:`national.base.Refused` like every national call; the outbound queue (national.outbound)
sends the pushes and the caller never waits for the national side.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .base import call

SYSTEM = "npsp"


class TrangThai:
    """TrangThaiHoSo: the national portal's dossier statuses."""

    REGISTERED = 1  # Mới đăng ký
    RECEIVED = 2  # Được tiếp nhận
    NOT_RECEIVED = 3  # Không được tiếp nhận
    PROCESSING = 4  # Đang xử lý
    SUPPLEMENT = 5  # Yêu cầu bổ sung giấy tờ
    FINANCIAL_DUTY = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8  # Dừng xử lý
    SETTLED = 9  # Đã xử lý xong
    RETURNED = 10  # Đã trả kết quả


def _path(code: str, action: str) -> str:
    return f"/api/hoso/{quote(code, safe='')}/{action}"


def publish_catalog(payload: dict, *, key: str) -> Any:
    """``payload``: ``{maDonVi, thuTuc: [{maTTHC, tenTTHC, linhVuc, capThucHien, thoiHanGiaiQuyet, coQuan…}]}``."""
    return call(SYSTEM, "POST", "/api/thutuc/dongbo", json=payload, idempotency_key=key)


def fetch_new(unit: str = "") -> list[dict]:
    """The dossiers submitted on the national portal and not yet acknowledged (for one agency code)."""
    answer = call(SYSTEM, "GET", "/api/hoso/moi", params={"maDonVi": unit} if unit else None)
    dossiers = answer.get("hoSo", []) if isinstance(answer, dict) else []
    return [item for item in dossiers if isinstance(item, dict) and item.get("maHoSo")]


def acknowledge(code: str, payload: dict, *, key: str) -> Any:
    """``payload``: ``{tiepNhan: true, maHoSoTinh}`` or ``{tiepNhan: false, lyDo}``."""
    return call(SYSTEM, "POST", _path(code, "xacnhan"), json=payload, idempotency_key=key)


def push_status(code: str, payload: dict, *, key: str) -> Any:
    """``payload``: ``{trangThai, ngayCapNhat, noiDung, maHoSoTinh}``."""
    return call(SYSTEM, "POST", _path(code, "trangthai"), json=payload, idempotency_key=key)


def push_result(code: str, payload: dict, *, key: str) -> Any:
    """``payload``: ``{soKetQua, ngayBanHanh, tenTep, maXacThuc (SHA-256), duongDan, maHoSoTinh}``."""
    return call(SYSTEM, "POST", _path(code, "ketqua"), json=payload, idempotency_key=key)
