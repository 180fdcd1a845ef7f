"""The National Public Service Portal (Cổng Dịch vụ công quốc gia) as the province sees it.

    python -m simulators.national.npsp --port 0 --data DIR --secret S

What it keeps (its own SQLite file; ADR 0046 gives the protocol):

- the province's procedure catalog, published by the province (``POST /api/thutuc/dongbo``);
- dossiers citizens submitted on the national portal for an agency of the province, until the
  province fetches (``GET /api/hoso/moi``) and acknowledges them (``POST /api/hoso/<maHoSo>/xacnhan``,
  received with the province's dossier code or refused with a reason);
- every status change (``POST /api/hoso/<maHoSo>/trangthai``, ``trangThai`` 1–10) and result
  (``POST /api/hoso/<maHoSo>/ketqua``) the province pushes, shown by ``GET /api/hoso/<maHoSo>``.

Every POST with an ``Idempotency-Key`` header that was seen before answers what it answered the
first time and changes nothing, so a push repeated after a lost answer counts once. A few invented
dossiers are seeded on first start; ``POST /test/hoso`` adds one (tests and the demo).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from http import HTTPStatus

from simulators.national.core import Answer, BadRequest, Request, Route, Simulator, Store, main

NAME = "npsp"

SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog (ma_tthc TEXT PRIMARY KEY, ma_don_vi TEXT NOT NULL, body TEXT NOT NULL,
                                    published_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dossiers (ma_ho_so TEXT PRIMARY KEY, ma_don_vi TEXT NOT NULL, body TEXT NOT NULL,
                                     state TEXT NOT NULL DEFAULT 'moi', ma_ho_so_tinh TEXT NOT NULL DEFAULT '',
                                     ly_do TEXT NOT NULL DEFAULT '', submitted_at TEXT NOT NULL,
                                     answered_at TEXT);
CREATE TABLE IF NOT EXISTS statuses (id INTEGER PRIMARY KEY, ma_ho_so TEXT NOT NULL, trang_thai INTEGER NOT NULL,
                                     body TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (id INTEGER PRIMARY KEY, ma_ho_so TEXT NOT NULL, body TEXT NOT NULL,
                                    received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen_keys (key TEXT PRIMARY KEY, answer TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# TrangThaiHoSo: the national portal's dossier statuses (ADR 0046).
STATUSES = {
    1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý", 5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân yêu cầu rút hồ sơ", 8: "Dừng xử lý", 9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

# Two tiny papers, valid enough for the province's checks (a PDF header, a 1×1 PNG).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _papers() -> list[dict]:
    return [{"tenGiayTo": "Tờ khai đăng ký khai sinh", "tenTep": "to-khai.pdf",
             "noiDung": base64.b64encode(PDF).decode()},
            {"tenGiayTo": "Giấy chứng sinh", "tenTep": "giay-chung-sinh.png",
             "noiDung": base64.b64encode(PNG).decode()}]


# Invented people only. The agency code is the demo ward of Đức Xuân's.
SEED = [
    {"maHoSo": "G22.99-261201-0001", "maTTHC": "1.001193", "maDonVi": "000.00.60.H55",
     "chuHoSo": {"hoTen": "Lục Thị Mai", "soDinhDanh": "006190000101", "soDienThoai": "0912000101",
                 "email": "luc.thi.mai@example.vn", "diaChi": "Tổ 5, phường Đức Xuân"},
     "duLieuToKhai": {"requester_name": "Lục Thị Mai", "requester_id": "006190000101", "relationship": "Mẹ",
                      "child_name": "Hoàng Gia Bảo", "birth_date": "2026-11-28", "sex": "Nam",
                      "birth_place": "Bệnh viện Đa khoa tỉnh", "copies": 1}},
    {"maHoSo": "G22.99-261201-0002", "maTTHC": "1.001193", "maDonVi": "000.00.60.H55",
     "chuHoSo": {"hoTen": "Triệu Văn Lâm", "soDinhDanh": "006090000102", "soDienThoai": "0912000102",
                 "email": "", "diaChi": "Tổ 9, phường Đức Xuân"},
     "duLieuToKhai": {"requester_name": "Triệu Văn Lâm", "requester_id": "006090000102", "relationship": "Cha",
                      "child_name": "Triệu Thu Hà", "birth_date": "2026-11-30", "sex": "Nữ",
                      "birth_place": "Trạm y tế phường Đức Xuân", "copies": 2}},
    # A procedure the province does not publish: the province refuses it with a reason.
    {"maHoSo": "G22.99-261201-0003", "maTTHC": "9.999999", "maDonVi": "000.00.60.H55",
     "chuHoSo": {"hoTen": "Ma Văn Tùng", "soDinhDanh": "006090000103", "soDienThoai": "0912000103",
                 "email": "", "diaChi": "Tổ 2, phường Đức Xuân"},
     "duLieuToKhai": {}},
]


def _add(store: Store, dossier: dict) -> None:
    code = str(dossier.get("maHoSo", "")).strip()
    if not code or not dossier.get("maTTHC") or not dossier.get("maDonVi"):
        raise BadRequest("maHoSo, maTTHC and maDonVi are required")
    body = {"maHoSo": code, "maTTHC": dossier["maTTHC"], "maDonVi": dossier["maDonVi"],
            "ngayNop": dossier.get("ngayNop") or _now(), "chuHoSo": dossier.get("chuHoSo") or {},
            "duLieuToKhai": dossier.get("duLieuToKhai") or {},
            "giayTo": dossier.get("giayTo") if "giayTo" in dossier else _papers()}
    store.execute("INSERT OR IGNORE INTO dossiers (ma_ho_so, ma_don_vi, body, submitted_at) VALUES (?, ?, ?, ?)",
                  (code, body["maDonVi"], json.dumps(body, ensure_ascii=False), body["ngayNop"]))


def seed(store: Store) -> None:
    """Invented dossiers waiting for the province, once (the first start of an empty store)."""
    if store.query("SELECT 1 FROM meta WHERE name = 'seeded'"):
        return
    for dossier in SEED:
        _add(store, dossier)
    store.execute("INSERT INTO meta (name, value) VALUES ('seeded', ?)", (_now(),))


def _once(server: Simulator, request: Request, work) -> Answer:
    """Run ``work`` once per Idempotency-Key: a repeated key answers the first answer again."""
    key = request.headers.get("Idempotency-Key", "")
    with server.store.lock:
        if key:
            known = server.store.query("SELECT answer FROM seen_keys WHERE key = ?", (key,))
            if known:
                status, body = json.loads(known[0]["answer"])
                return status, {**body, "lapLai": True}
        status, body = work()
        if key and status < 300:
            server.store.execute("INSERT INTO seen_keys (key, answer) VALUES (?, ?)",
                                 (key, json.dumps([status, body], ensure_ascii=False)))
    return status, body


def _dossier(server: Simulator, code: str) -> sqlite3.Row | None:
    rows = server.store.query("SELECT * FROM dossiers WHERE ma_ho_so = ?", (code,))
    return rows[0] if rows else None


# --- the catalog ---------------------------------------------------------------------------------

def publish_catalog(server: Simulator, request: Request) -> Answer:
    payload = request.json()
    unit = str(payload.get("maDonVi", "")).strip()
    procedures = payload.get("thuTuc")
    if not unit or not isinstance(procedures, list):
        raise BadRequest("maDonVi and thuTuc[] are required")

    def work() -> tuple[int, dict]:
        for item in procedures:
            if not isinstance(item, dict) or not item.get("maTTHC") or not item.get("tenTTHC"):
                raise BadRequest("each procedure needs maTTHC and tenTTHC")
        for item in procedures:
            server.store.execute(
                "INSERT INTO catalog (ma_tthc, ma_don_vi, body, published_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(ma_tthc) DO UPDATE SET body = excluded.body, published_at = excluded.published_at",
                (item["maTTHC"], unit, json.dumps(item, ensure_ascii=False), _now()))
        return HTTPStatus.OK, {"status": 1, "soLuong": len(procedures)}

    return _once(server, request, work)


def list_catalog(server: Simulator, request: Request) -> Answer:
    rows = server.store.query("SELECT body, published_at FROM catalog ORDER BY ma_tthc")
    return HTTPStatus.OK, {"thuTuc": [{**json.loads(r["body"]), "ngayCongBo": r["published_at"]} for r in rows]}


# --- dossiers submitted on the national portal ----------------------------------------------------

def new_dossiers(server: Simulator, request: Request) -> Answer:
    """Dossiers not yet acknowledged (for one agency, or all of the province's)."""
    unit = request.query.get("maDonVi", "")
    rows = server.store.query(
        "SELECT body FROM dossiers WHERE state = 'moi' AND (? = '' OR ma_don_vi = ?) ORDER BY submitted_at, ma_ho_so",
        (unit, unit))
    return HTTPStatus.OK, {"hoSo": [json.loads(r["body"]) for r in rows]}


def _write_once(server: Simulator, request: Request, sql: str,
                values: Callable[[dict, str], tuple]) -> Answer:
    """One write about a known dossier, once per Idempotency-Key; ``values`` checks the body and
    gives the statement's parameters."""
    code = request.match["code"]
    payload = request.json()
    if _dossier(server, code) is None:
        return HTTPStatus.NOT_FOUND, {"error": "unknown dossier", "code": 500}
    parameters = values(payload, code)

    def work() -> tuple[int, dict]:
        server.store.execute(sql, parameters)
        return HTTPStatus.OK, {"status": 1}

    return _once(server, request, work)


def _acknowledgement(payload: dict, code: str) -> tuple:
    received = bool(payload.get("tiepNhan"))
    if received and not payload.get("maHoSoTinh"):
        raise BadRequest("maHoSoTinh is required when the dossier is received")
    if not received and not str(payload.get("lyDo", "")).strip():
        raise BadRequest("lyDo is required when the dossier is refused")
    return ("da_tiep_nhan" if received else "tu_choi", str(payload.get("maHoSoTinh", "")),
            str(payload.get("lyDo", "")), _now(), code)


def _status(payload: dict, code: str) -> tuple:
    try:
        status = int(payload.get("trangThai"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        status = 0
    if status not in STATUSES:
        raise BadRequest("trangThai must be one of 1-10")
    return code, status, json.dumps(payload, ensure_ascii=False), _now()


def _result(payload: dict, code: str) -> tuple:
    if not payload.get("soKetQua") or not payload.get("tenTep"):
        raise BadRequest("soKetQua and tenTep are required")
    return code, json.dumps(payload, ensure_ascii=False), _now()


def acknowledge(server: Simulator, request: Request) -> Answer:
    return _write_once(server, request, "UPDATE dossiers SET state = ?, ma_ho_so_tinh = ?, ly_do = ?, answered_at = ? "
                                        "WHERE ma_ho_so = ?", _acknowledgement)


def push_status(server: Simulator, request: Request) -> Answer:
    return _write_once(server, request, "INSERT INTO statuses (ma_ho_so, trang_thai, body, received_at) "
                                        "VALUES (?, ?, ?, ?)", _status)


def push_result(server: Simulator, request: Request) -> Answer:
    return _write_once(server, request, "INSERT INTO results (ma_ho_so, body, received_at) VALUES (?, ?, ?)",
                       _result)


def show_dossier(server: Simulator, request: Request) -> Answer:
    code = request.match["code"]
    row = _dossier(server, code)
    if row is None:
        return HTTPStatus.NOT_FOUND, {"error": "unknown dossier", "code": 500}
    statuses = server.store.query("SELECT trang_thai, body, received_at FROM statuses WHERE ma_ho_so = ? ORDER BY id",
                                  (code,))
    results = server.store.query("SELECT body, received_at FROM results WHERE ma_ho_so = ? ORDER BY id", (code,))
    return HTTPStatus.OK, {
        **json.loads(row["body"]), "tinhTrang": row["state"], "maHoSoTinh": row["ma_ho_so_tinh"],
        "lyDo": row["ly_do"],
        "trangThai": [{**json.loads(s["body"]), "tenTrangThai": STATUSES[s["trang_thai"]], "nhanLuc": s["received_at"]}
                      for s in statuses],
        "ketQua": [{**json.loads(r["body"]), "nhanLuc": r["received_at"]} for r in results]}


def faults(server: Simulator, request: Request) -> Answer:
    """Test control: the next ``count`` requests (this one excepted) answer ``status`` (a 503 by default)."""
    payload = request.json()
    server.store.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('faults', ?)",
                         (json.dumps({"count": int(payload.get("count", 1)), "status": int(payload.get("status", 503))}),))
    return HTTPStatus.OK, {"status": 1}


def _faulty(view):  # type: ignore[no-untyped-def]
    """A view that first spends one of the faults ordered by ``POST /test/loi``."""
    def wrapped(server: Simulator, request: Request) -> Answer:
        with server.store.lock:
            rows = server.store.query("SELECT value FROM meta WHERE name = 'faults'")
            fault = json.loads(rows[0]["value"]) if rows else {"count": 0}
            if fault["count"] > 0:
                fault["count"] -= 1
                server.store.execute("UPDATE meta SET value = ? WHERE name = 'faults'", (json.dumps(fault),))
                return fault["status"], {"error": "simulated failure"}
        return view(server, request)
    return wrapped


def add_dossier(server: Simulator, request: Request) -> Answer:
    """Test control: a citizen submits a dossier on the national portal."""
    _add(server.store, request.json())
    return HTTPStatus.CREATED, {"status": 1}


ROUTES: list[Route] = [
    ("POST", "/api/thutuc/dongbo", _faulty(publish_catalog)),
    ("GET", "/api/thutuc", _faulty(list_catalog)),
    ("GET", "/api/hoso/moi", _faulty(new_dossiers)),
    ("POST", r"/api/hoso/(?P<code>[^/]+)/xacnhan", _faulty(acknowledge)),
    ("POST", r"/api/hoso/(?P<code>[^/]+)/trangthai", _faulty(push_status)),
    ("POST", r"/api/hoso/(?P<code>[^/]+)/ketqua", _faulty(push_result)),
    ("GET", r"/api/hoso/(?P<code>[^/]+)", show_dossier),
    ("POST", "/test/hoso", add_dossier),
    ("POST", "/test/loi", faults),
]


if __name__ == "__main__":
    main(NAME, SCHEMA, ROUTES, seed=seed)
