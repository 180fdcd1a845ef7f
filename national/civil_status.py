"""The civil-status database (Cơ sở dữ liệu hộ tịch điện tử) as the provincial LGSP's sector
service reaches it: the LGSP envelope ``{maDonVi, module, maHoSo, ngayTiepNhan, data}`` whose
``data`` is an XML message, answered ``status`` 1 (recorded) or 0 with an error code (100
authentication, 101 IP not allowed, 106 wrong agency code, 500 data incorrect). A status 0 is a
:class:`national.base.Refused`, like a 4xx.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from .base import Refused, call

SYSTEM = "civil_status"
BIRTH = "KhaiSinh"
ERRORS = {"100": "authentication", "101": "IP not allowed", "106": "wrong agency code", "500": "data incorrect"}


def birth_message(fields: dict[str, str]) -> str:
    """The ``<KhaiSinh>`` XML message: SoDangKy, NgayDangKy, HoTen, NgaySinh, GioiTinh, NoiSinh, NguoiYeuCau."""
    root = ET.Element(BIRTH)
    for name, value in fields.items():
        ET.SubElement(root, name).text = str(value)
    return ET.tostring(root, encoding="unicode")


def envelope(*, agency_code: str, module: str, dossier_code: str, received_on: str, data: str) -> dict:
    return {"maDonVi": agency_code, "module": module, "maHoSo": dossier_code, "ngayTiepNhan": received_on,
            "data": data}


def register(payload: dict, *, key: str) -> Any:
    """Send one envelope; the answer (``status`` 1 and ``soDinhDanhHoTich``) or :class:`Refused`."""
    answer = call(SYSTEM, "POST", "/api/hotich/dangky", json=payload, idempotency_key=key)
    if not isinstance(answer, dict) or str(answer.get("status")) != "1":
        code = str(answer.get("errorCode", "500")) if isinstance(answer, dict) else "500"
        detail = str(answer.get("errorMessage", "")) if isinstance(answer, dict) else ""
        raise Refused(SYSTEM, 200, code, detail or ERRORS.get(code, ""))
    return answer
