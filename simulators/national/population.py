"""The National population database (Cơ sở dữ liệu quốc gia về dân cư) as the province's platform
sees it through the NGSP: one look-up of a person by personal identification number.

    python -m simulators.national.population --port 0 --data DIR --secret S

``GET /citizens/<số định danh cá nhân>?purpose=<why>&consent=<reference>`` answers the person's
identity record (name, date of birth, sex, ethnicity, nationality, permanent and current address).
A request without a purpose or a consent reference is refused (400, code 500 "data incorrect");
an unknown number answers 404 with code ``not_found``. Every access is kept in the simulator's own
access log (number, purpose, consent reference, time), as the real database keeps who looked.

Invented people are seeded on first start, their addresses in the communes and wards of Thái
Nguyên province since 1 July 2025. One of them carries the demo citizen's number with a permanent
address different from the one on her account, so a desk officer sees a mismatch.
"""

from __future__ import annotations

import datetime as dt
import re
from http import HTTPStatus

from simulators.national.core import Answer, Request, Route, Simulator, Store, main

NAME = "population"

SCHEMA = """
CREATE TABLE IF NOT EXISTS people (id_number TEXT PRIMARY KEY, full_name TEXT NOT NULL, date_of_birth TEXT NOT NULL,
                                   sex TEXT NOT NULL, ethnicity TEXT NOT NULL, nationality TEXT NOT NULL,
                                   permanent_address TEXT NOT NULL, current_address TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accesses (id INTEGER PRIMARY KEY, id_number TEXT NOT NULL, purpose TEXT NOT NULL,
                                     consent TEXT NOT NULL, found INTEGER NOT NULL, at TEXT NOT NULL);
"""

# Invented people (no real person): number, name, birth date, sex, ethnicity, permanent address.
PEOPLE = [
    # The demo citizen's number (Nguyễn Thị Hồng): the registry knows another house than her account.
    ("006190001234", "Nguyễn Thị Hồng", "1990-03-15", "Nữ", "Kinh", "Tổ 7, phường Đức Xuân, tỉnh Thái Nguyên"),
    ("019085000101", "Hoàng Văn Thắng", "1985-07-02", "Nam", "Tày", "Thôn Nà Pẻn, xã Chợ Rã, tỉnh Thái Nguyên"),
    ("019192000202", "Ma Thị Lan", "1992-11-20", "Nữ", "Tày", "Tổ 3, phường Bắc Kạn, tỉnh Thái Nguyên"),
    ("019078000303", "Lương Văn Dũng", "1978-01-09", "Nam", "Nùng", "Thôn Bản Cậu, xã Nà Phặc, tỉnh Thái Nguyên"),
    ("019201000404", "Đặng Thị Mai", "2001-05-30", "Nữ", "Dao", "Thôn Nà Quân, xã Chợ Đồn, tỉnh Thái Nguyên"),
    ("019088000505", "Trịnh Quốc Bảo", "1988-09-14", "Nam", "Kinh",
     "Số 12 đường Hoàng Văn Thụ, phường Phan Đình Phùng, tỉnh Thái Nguyên"),
]
NUMBER = re.compile(r"^\d{12}$")


def seed(store: Store) -> None:
    if store.query("SELECT 1 FROM people LIMIT 1"):
        return
    for number, name, born, sex, ethnicity, address in PEOPLE:
        store.execute("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      (number, name, born, sex, ethnicity, "Việt Nam", address, address))


def citizen(server: Simulator, request: Request) -> Answer:
    number = request.match["number"]
    purpose, consent = request.query.get("purpose", "").strip(), request.query.get("consent", "").strip()
    if not purpose or not consent:
        return HTTPStatus.BAD_REQUEST, {"error": "a purpose and a consent reference are required", "code": 500}
    if not NUMBER.match(number):
        return HTTPStatus.BAD_REQUEST, {"error": "a personal identification number has 12 digits", "code": 500}
    rows = server.store.query("SELECT * FROM people WHERE id_number = ?", (number,))
    server.store.execute("INSERT INTO accesses (id_number, purpose, consent, found, at) VALUES (?, ?, ?, ?, ?)",
                         (number, purpose[:100], consent[:100], int(bool(rows)),
                          dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
    if not rows:
        return HTTPStatus.NOT_FOUND, {"error": "no person with this number", "code": "not_found"}
    return HTTPStatus.OK, dict(rows[0])


def accesses(server: Simulator, request: Request) -> Answer:
    """The registry's own log of who looked (numbers and references only)."""
    rows = server.store.query("SELECT id_number, purpose, consent, found, at FROM accesses ORDER BY id")
    return HTTPStatus.OK, {"accesses": [dict(row) for row in rows]}


ROUTES: list[Route] = [
    ("GET", r"/citizens/(?P<number>[^/]+)", citizen),
    ("GET", r"/accesses", accesses),
]

if __name__ == "__main__":
    main(NAME, SCHEMA, ROUTES, seed=seed)
