"""The National payment platform (Nền tảng thanh toán trực tuyến trên Cổng Dịch vụ công quốc gia)
as the province's platform sees it.

    python -m simulators.national.payment --port 0 --data DIR --secret S

- ``POST /payments`` (JSON ``txn_ref, amount`` in đồng, ``order_info, return_url, notify_url``): opens a
  payment and answers its ``pay_url``; the same ``txn_ref`` (or ``Idempotency-Key``) answers the
  same payment, never a second one.
- ``GET /payments/<txn_ref>``: what became of it (``status`` pending, paid, cancelled), for the
  province's reconciliation; 404 ``not_found`` when unknown.
- ``GET /pay/<token>`` and ``POST /pay/<token>``: the payer's page (no bearer secret: the token is
  the payer's), where they pay or cancel.
- When paid or cancelled the platform calls the province back (the IPN): ``POST notify_url`` with
  the JSON result and ``X-Signature``, the hex HMAC-SHA256 of the body under the secret shared with
  the province. ``POST /payments/<txn_ref>/complete`` (bearer) pays as a payer would and answers
  the callback it sent (tests, the demo).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import json
import secrets
from http import HTTPStatus
from urllib.parse import parse_qs, urlencode

import requests

from simulators.national.core import Answer, BadRequest, Request, Route, Simulator, main

NAME = "payment"
SIGNATURE_HEADER = "X-Signature"
CALLBACK_TIMEOUT = 5  # seconds

SCHEMA = """
CREATE TABLE IF NOT EXISTS payments (id INTEGER PRIMARY KEY, txn_ref TEXT NOT NULL UNIQUE, amount INTEGER NOT NULL,
                                     order_info TEXT NOT NULL, return_url TEXT NOT NULL, notify_url TEXT NOT NULL,
                                     token TEXT NOT NULL UNIQUE, status TEXT NOT NULL DEFAULT 'pending',
                                     transaction_no TEXT NOT NULL DEFAULT '', bank_code TEXT NOT NULL DEFAULT '',
                                     paid_at TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS callbacks (id INTEGER PRIMARY KEY, txn_ref TEXT NOT NULL, body TEXT NOT NULL,
                                      answer TEXT NOT NULL, at TEXT NOT NULL);
"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


QUERIES = {column: f"SELECT * FROM payments WHERE {column} = ?" for column in ("id", "txn_ref", "token")}  # noqa: S608


def _row(server: Simulator, **where: object) -> dict | None:
    (column, value), = where.items()
    rows = server.store.query(QUERIES[column], (value,))
    return dict(rows[0]) if rows else None


def create(server: Simulator, request: Request) -> Answer:
    body = request.json()
    try:
        txn_ref, amount = str(body["txn_ref"])[:40], int(body["amount"])
        order_info, return_url, notify_url = (str(body[name])[:500] for name in ("order_info", "return_url",
                                                                                   "notify_url"))
    except (KeyError, TypeError, ValueError) as error:
        raise BadRequest("txn_ref, amount, order_info, return_url and notify_url are required") from error
    if amount <= 0 or not txn_ref:
        raise BadRequest("the amount must be positive")
    with server.store.lock:
        existing = _row(server, txn_ref=txn_ref)
        if existing is None:
            server.store.execute(
                "INSERT INTO payments (txn_ref, amount, order_info, return_url, notify_url, token, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (txn_ref, amount, order_info, return_url, notify_url, secrets.token_urlsafe(24), _now()))
            existing = _row(server, txn_ref=txn_ref)
        elif existing["amount"] != amount:
            return HTTPStatus.CONFLICT, {"error": "this reference was used for another amount", "code": "conflict"}
    assert existing is not None
    host = request.headers.get("Host", f"127.0.0.1:{server.server_address[1]}")
    return HTTPStatus.OK, {"transaction_id": existing["id"], "status": existing["status"],
                           "pay_url": f"http://{host}/pay/{existing['token']}"}


def status(server: Simulator, request: Request) -> Answer:
    row = _row(server, txn_ref=request.match["ref"])
    if row is None:
        return HTTPStatus.NOT_FOUND, {"error": "no payment with this reference", "code": "not_found"}
    return HTTPStatus.OK, _result(row)


def _result(row: dict) -> dict:
    return {"txn_ref": row["txn_ref"], "amount": row["amount"], "status": row["status"],
            "transaction_no": row["transaction_no"], "bank_code": row["bank_code"], "paid_at": row["paid_at"]}


def _settle(server: Simulator, row: dict, action: str, bank: str) -> tuple[dict, bytes, str, str]:
    """Mark the payment paid or cancelled (once) and call the province back, signed."""
    with server.store.lock:
        row = _row(server, id=row["id"]) or row
        if row["status"] == "pending":
            paid = action == "pay"
            server.store.execute(
                "UPDATE payments SET status = ?, transaction_no = ?, bank_code = ?, paid_at = ? WHERE id = ?",
                ("paid" if paid else "cancelled", f"QG{20000000 + row['id']}" if paid else "", bank if paid else "",
                 _now() if paid else "", row["id"]))
            row = _row(server, id=row["id"]) or row
    body = json.dumps(_result(row), ensure_ascii=False).encode()
    signature = sign(server.secret, body)
    try:
        answer = requests.post(row["notify_url"], data=body, timeout=CALLBACK_TIMEOUT,
                               headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature})
        delivered = f"{answer.status_code} {answer.text[:150]}"
    except requests.RequestException as error:
        delivered = f"error: {type(error).__name__}"
    server.store.execute("INSERT INTO callbacks (txn_ref, body, answer, at) VALUES (?, ?, ?, ?)",
                         (row["txn_ref"], body.decode(), delivered, _now()))
    return row, body, signature, delivered


def complete(server: Simulator, request: Request) -> Answer:
    row = _row(server, txn_ref=request.match["ref"])
    if row is None:
        return HTTPStatus.NOT_FOUND, {"error": "no payment with this reference", "code": "not_found"}
    action = str(request.json().get("action", "pay"))
    if action not in ("pay", "cancel"):
        raise BadRequest("action is pay or cancel")
    row, body, signature, delivered = _settle(server, row, action, "NCB")
    return HTTPStatus.OK, {"callback": body.decode(), "signature": signature, "delivered": delivered}


PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>Nền tảng thanh toán – Cổng Dịch vụ công quốc gia (mô phỏng)</h1>{content}</main></body></html>"""


def _page(title: str, content: str) -> Answer:
    return HTTPStatus.OK, PAGE.format(title=html.escape(title), content=content).encode(), "text/html; charset=utf-8"


def pay_page(server: Simulator, request: Request) -> Answer:
    row = _row(server, token=request.match["token"])
    if row is None:
        return HTTPStatus.NOT_FOUND, b"<!doctype html><title>404</title><p>Not found</p>", "text/html; charset=utf-8"
    amount = f"{row['amount']:,}".replace(",", ".")
    if row["status"] != "pending":
        back = html.escape(row["return_url"] + "?" + urlencode({"txn_ref": row["txn_ref"]}))
        return _page("Đã xử lý", f"<p>Giao dịch {html.escape(row['txn_ref'])}: {row['status']}.</p>"
                                 f'<p><a href="{back}">Quay lại Cổng dịch vụ công của tỉnh</a></p>')
    return _page("Thanh toán", f"""<p>{html.escape(row['order_info'])}</p><p>Số tiền: <strong>{amount} đ</strong></p>
<form method="post"><label for="bank">Ngân hàng</label>
<select id="bank" name="bank"><option value="NCB">NCB</option><option value="VCB">Vietcombank</option></select>
<button type="submit" name="action" value="pay">Thanh toán</button>
<button type="submit" name="action" value="cancel">Hủy</button></form>""")


def pay_submit(server: Simulator, request: Request) -> Answer:
    row = _row(server, token=request.match["token"])
    if row is None:
        return HTTPStatus.NOT_FOUND, b"<!doctype html><title>404</title><p>Not found</p>", "text/html; charset=utf-8"
    form = {key: values[-1] for key, values in parse_qs(request.body.decode(errors="replace")).items()}
    action = form.get("action", "")
    if action not in ("pay", "cancel"):
        raise BadRequest("action is pay or cancel")
    _settle(server, row, action, form.get("bank", "NCB")[:20])
    return pay_page(server, request)


ROUTES: list[Route] = [
    ("POST", r"/payments", create),
    ("GET", r"/payments/(?P<ref>[A-Za-z0-9_-]+)", status),
    ("POST", r"/payments/(?P<ref>[A-Za-z0-9_-]+)/complete", complete),
    ("GET", r"/pay/(?P<token>[A-Za-z0-9_-]+)", pay_page),
    ("POST", r"/pay/(?P<token>[A-Za-z0-9_-]+)", pay_submit),
]
PUBLIC = (r"/pay/[A-Za-z0-9_-]+",)

if __name__ == "__main__":
    main(NAME, SCHEMA, ROUTES, public=PUBLIC)
