"""Benchmark: end-to-end delivery of documents through the exchange (issue 12).

    .venv/bin/python -m bench.exchange_delivery [--documents 20]

Two installations and the axis simulator on loopback, as the end-to-end test runs them
(tests.exchange.installations): the province (PostgreSQL in a cluster of its own, a Celery worker
with beat on Redis) and the ward of Đức Xuân (SQLite, the embedded runner's schedule). Sở Tư pháp
issues N documents (each with its signed PDF: not timed with the delivery), then its clerk sends
them all to the ward: each distribution builds and signs one package in its transaction, the
outbox hands it to the worker, the worker posts it to the axis, the ward polls, verifies, stores
and acknowledges it, and registers the document pending.

Printed, from the records' own timestamps (the first package recorded → the last one delivered to
the axis, and → the last one stored by the ward): packages delivered per second and received per
second; beside them the baseline measured in the same run, the bare HTTP round trip that cannot be
avoided: the same package bytes POSTed one after another to the same simulator with urllib
(authenticated as the protocol says, nothing built, signed, verified or stored by the platform);
and the ratio.

Needs Redis and the PostgreSQL server programs (scripts/services.sh). Every process is stopped and
the temporary folder removed at the end, also on failure.
"""

import argparse
import datetime as dt
import hashlib
import hmac
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _epoch(value) -> float:
    if isinstance(value, str):  # SQLite: naive UTC text
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


def _province_times(world, document_ids: list[int]) -> tuple[float, float, int, list[bytes]]:
    """First package recorded, last delivered to the axis, how many delivered, their bytes."""
    import psycopg

    with psycopg.connect(world.cluster.url("egov").replace("postgres://", "postgresql://")) as conn:
        rows = conn.execute(
            "SELECT created_at, sent_at, raw FROM exchange_package WHERE direction = 'out' AND kind = 'document' "
            "AND document_id = ANY(%s)", [document_ids]).fetchall()
    sent = [row for row in rows if row[1] is not None]
    first = min(_epoch(row[0]) for row in rows)
    last = max((_epoch(row[1]) for row in sent), default=float("nan"))
    return first, last, len(sent), [bytes(row[2]) for row in rows]


def _ward_received(world) -> tuple[int, float]:
    path = world.base / "ward" / "var" / "egov.sqlite3"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as db:
        count, last = db.execute("SELECT count(*), max(processed_at) FROM exchange_package WHERE direction = 'in' "
                                 "AND kind = 'document' AND state = 'received'").fetchone()
    return count, _epoch(last) if last else float("nan")


def _post(url: str, system_id: str, secret: bytes, data: bytes) -> None:
    """One package handed to the axis as the protocol says: HMAC-SHA256 over method, path, time, body."""
    path, timestamp = "/api/v1/packages", str(int(time.time()))
    message = f"POST\n{path}\n{timestamp}\n{hashlib.sha256(data).hexdigest()}".encode()
    request = urllib.request.Request(f"{url}{path}", data=data, method="POST", headers={  # noqa: S310 (loopback)
        "X-System-Id": system_id, "X-Timestamp": timestamp, "X-Package-Id": uuid.uuid4().hex,
        "X-Signature": hmac.new(secret, message, hashlib.sha256).hexdigest(), "Content-Type": "application/xml"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        assert response.status == 201, response.status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=20)
    args = parser.parse_args()
    from tests.exchange.installations import Exchange

    n = args.documents
    base = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    world = Exchange(base, redis_db=10)
    try:
        started = time.perf_counter()
        world.start()
        print(f"two installations and the axis up in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        ids = world.province.call("issue", count=n)
        print(f"{n} documents drafted, approved, signed and issued in {time.perf_counter() - started:.1f} s "
              "(not part of the delivery)")

        world.province.call("send", document_ids=ids)
        world.until(lambda: _ward_received(world)[0] >= n, f"{n} documents stored by the ward", timeout=900)
        first, delivered_at, delivered, packages = _province_times(world, ids)
        received, received_at = _ward_received(world)
        assert delivered == received == n, (delivered, received)
        sizes = sorted(len(data) for data in packages)
        print(f"packages: {n}, median size {sizes[n // 2] / 1024:.0f} KiB")
        delivered_rate = n / (delivered_at - first)
        received_rate = n / (received_at - first)
        print(f"{'end to end: recorded → delivered to the axis':<58} {delivered_rate:8.2f} packages/s "
              f"({delivered_at - first:6.2f} s)")
        print(f"{'end to end: recorded → stored by the receiving system':<58} {received_rate:8.2f} packages/s "
              f"({received_at - first:6.2f} s)")

        # Baseline: the bare HTTP round trips of the same bytes (the ward's runner stopped, so the
        # copies are not received as duplicates).
        world.ward.services["runner"].stop()
        secret = world.province.env["EXCHANGE_SECRET"].encode()
        _post(world.axis_url, world.province.system_id, secret, packages[0])  # warm-up
        started = time.perf_counter()
        for data in packages:
            _post(world.axis_url, world.province.system_id, secret, data)
        baseline = n / (time.perf_counter() - started)
        print(f"{'baseline: bare HTTP POST of the same bytes to the axis':<58} {baseline:8.2f} packages/s")
        print(f"ratio baseline / end to end (received): {baseline / received_rate:.1f}×")
    finally:
        world.close()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
