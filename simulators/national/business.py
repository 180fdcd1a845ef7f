"""The National business registration database (Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp):
an enterprise looked up by its enterprise code, which is also its tax code (mã số doanh nghiệp).

    python -m simulators.national.business --port 0 --data DIR --secret S

``GET /enterprises/<code>`` answers name, head-office address, legal representative and status;
an unknown code answers 404 with code ``not_found``. Invented enterprises are seeded on first start,
among them the demo business account's company.
"""

from __future__ import annotations

import re
from http import HTTPStatus

from simulators.national.core import Answer, Request, Route, Simulator, Store, main

NAME = "business"

SCHEMA = """
CREATE TABLE IF NOT EXISTS enterprises (code TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL,
                                        legal_representative TEXT NOT NULL, status TEXT NOT NULL,
                                        registered_on TEXT NOT NULL);
"""

# Invented enterprises. Status: the registry's words (đang hoạt động, tạm ngừng kinh doanh, đã giải thể).
ENTERPRISES = [
    ("4700123456", "Công ty TNHH Nông sản Ba Bể", "Số 5 đường Trường Chinh, phường Đức Xuân, tỉnh Thái Nguyên",
     "Trần Văn Nam", "Đang hoạt động", "2018-04-12"),
    ("4600234567", "Công ty Cổ phần Chè Tân Cương Xanh",
     "Số 20 đường Quang Trung, phường Phan Đình Phùng, tỉnh Thái Nguyên", "Vũ Thị Thu Hà", "Đang hoạt động",
     "2015-09-01"),
    ("4700345678", "Hợp tác xã Miến dong Na Rì", "Thôn Nà Quân, xã Chợ Đồn, tỉnh Thái Nguyên", "Hà Văn Sơn",
     "Tạm ngừng kinh doanh", "2019-02-20"),
]
CODE = re.compile(r"^\d{10}(-\d{3})?$")


def seed(store: Store) -> None:
    if store.query("SELECT 1 FROM enterprises LIMIT 1"):
        return
    for row in ENTERPRISES:
        store.execute("INSERT INTO enterprises VALUES (?, ?, ?, ?, ?, ?)", row)


def enterprise(server: Simulator, request: Request) -> Answer:
    code = request.match["code"]
    if not CODE.match(code):
        return HTTPStatus.BAD_REQUEST, {"error": "an enterprise code has 10 digits (13 for a branch)", "code": 500}
    rows = server.store.query("SELECT * FROM enterprises WHERE code = ?", (code,))
    if not rows:
        return HTTPStatus.NOT_FOUND, {"error": "no enterprise with this code", "code": "not_found"}
    return HTTPStatus.OK, dict(rows[0])


ROUTES: list[Route] = [("GET", r"/enterprises/(?P<code>[^/]+)", enterprise)]

if __name__ == "__main__":
    main(NAME, SCHEMA, ROUTES, seed=seed)
