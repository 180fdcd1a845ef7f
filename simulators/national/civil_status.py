"""The civil-status database (Cơ sở dữ liệu hộ tịch điện tử) as a provincial LGSP's sector service
reaches it: a birth registration settled by the province is pushed there.

    python -m simulators.national.civil_status --port 0 --data DIR --secret S

``POST /api/hotich/dangky`` takes the LGSP envelope ``{maDonVi, module, maHoSo, ngayTiepNhan, data}``
where ``data`` is the XML message of the registration (``<KhaiSinh>``: ``SoDangKy``, ``NgayDangKy``,
``HoTen``, ``NgaySinh``, ``GioiTinh``, ``NoiSinh``, ``NguoiYeuCau``). It answers
``{"status": 1, "soDinhDanhHoTich": …}`` or ``{"status": 0, "errorCode": …, "errorMessage": …}``
with the LGSP's codes: 100 authentication (the shared server's 401), 101 IP not allowed, 106 wrong
agency code, 500 data incorrect. The same ``maHoSo`` sent again answers the first record (the
registration counts once). ``GET /api/hotich/dangky?maHoSo=…`` shows what was recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from http import HTTPStatus

from simulators.national.core import Answer, Request, Route, Simulator, main

NAME = "civil_status"
MODULES = {"KhaiSinh"}
REQUIRED = ("SoDangKy", "NgayDangKy", "HoTen", "NgaySinh", "GioiTinh")
AGENCY_CODE = re.compile(r"^[0-9A-Z][0-9A-Z.]{1,19}$")
BLOCKED_IP = "X-Forwarded-For-Blocked"  # a test header: the caller's address is not on the allow-list

SCHEMA = """
CREATE TABLE IF NOT EXISTS registrations (id INTEGER PRIMARY KEY, ma_ho_so TEXT NOT NULL UNIQUE,
                                          ma_don_vi TEXT NOT NULL, module TEXT NOT NULL, ngay_tiep_nhan TEXT,
                                          fields TEXT NOT NULL, received_at TEXT NOT NULL);
"""


def _refuse(code: int, message: str) -> Answer:
    return HTTPStatus.OK, {"status": 0, "errorCode": code, "errorMessage": message}


def _identifier(row_id: int) -> str:
    return f"HT.{row_id:08d}"


def register(server: Simulator, request: Request) -> Answer:
    if request.headers.get(BLOCKED_IP):
        return _refuse(101, "IP not allowed")
    envelope = request.json()
    unit = str(envelope.get("maDonVi", "")).strip()
    if not AGENCY_CODE.match(unit):
        return _refuse(106, "wrong agency code")
    module = str(envelope.get("module", ""))
    code = str(envelope.get("maHoSo", "")).strip()
    if module not in MODULES or not code:
        return _refuse(500, "module and maHoSo are required")
    data = str(envelope.get("data", ""))
    if "<!" in data:  # no DOCTYPE, no entity: the message is plain elements (and no entity expansion attack)
        return _refuse(500, "data must not declare a DOCTYPE or entities")
    try:
        root = ET.fromstring(data)  # noqa: S314 - DOCTYPE and entities refused just above
    except ET.ParseError:
        return _refuse(500, "data is not well-formed XML")
    if root.tag != module:
        return _refuse(500, f"data must be a <{module}> message")
    fields = {child.tag: (child.text or "").strip() for child in root}
    missing = [name for name in REQUIRED if not fields.get(name)]
    if missing:
        return _refuse(500, "missing: " + ", ".join(missing))
    with server.store.lock:
        known = server.store.query("SELECT id FROM registrations WHERE ma_ho_so = ?", (code,))
        if known:
            return HTTPStatus.OK, {"status": 1, "soDinhDanhHoTich": _identifier(known[0]["id"]), "lapLai": True}
        row_id = server.store.execute(
            "INSERT INTO registrations (ma_ho_so, ma_don_vi, module, ngay_tiep_nhan, fields, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (code, unit, module, str(envelope.get("ngayTiepNhan", "")), json.dumps(fields, ensure_ascii=False),
             dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    return HTTPStatus.OK, {"status": 1, "soDinhDanhHoTich": _identifier(row_id)}


def registrations(server: Simulator, request: Request) -> Answer:
    code = request.query.get("maHoSo", "")
    rows = server.store.query("SELECT * FROM registrations WHERE ? = '' OR ma_ho_so = ? ORDER BY id", (code, code))
    return HTTPStatus.OK, {"dangKy": [
        {"maHoSo": r["ma_ho_so"], "maDonVi": r["ma_don_vi"], "module": r["module"],
         "ngayTiepNhan": r["ngay_tiep_nhan"], "duLieu": json.loads(r["fields"]), "nhanLuc": r["received_at"],
         "soDinhDanhHoTich": _identifier(r["id"])} for r in rows]}


ROUTES: list[Route] = [
    ("POST", "/api/hotich/dangky", register),
    ("GET", "/api/hotich/dangky", registrations),
]


if __name__ == "__main__":
    main(NAME, SCHEMA, ROUTES)
