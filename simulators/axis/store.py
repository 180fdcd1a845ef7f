"""The simulator's storage: one SQLite file holding every package handed over and, per recipient
system, its delivery (pending until that system acknowledges it). Each write is committed before the
HTTP answer goes out, so a killed simulator started again on the same file has lost nothing."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS package (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,      -- arrival order: "oldest first"
    id TEXT NOT NULL UNIQUE,                    -- the axis id
    from_system TEXT NOT NULL,
    package_id TEXT NOT NULL,                   -- the sender's id (X-Package-Id)
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    received_at REAL NOT NULL,
    UNIQUE (from_system, package_id)
);
CREATE TABLE IF NOT EXISTS delivery (
    package_seq INTEGER NOT NULL REFERENCES package (seq),
    system_id TEXT NOT NULL,
    organs TEXT NOT NULL,                       -- the recipient codes this system serves, comma-separated
    acked_at REAL,
    PRIMARY KEY (package_seq, system_id)
);
CREATE INDEX IF NOT EXISTS delivery_pending ON delivery (system_id, acked_at, package_seq);
"""


@dataclass(frozen=True)
class Stored:
    id: str
    package_id: str
    size: int
    from_system: str
    recipients: tuple[str, ...]
    created: bool  # False: the same package id was handed over before; nothing new was stored


class Store:
    """Thread-safe: the HTTP server answers on several threads; one lock serialises the writes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)  # explicit transactions only
        try:
            db.execute("PRAGMA synchronous=FULL")  # committed means on disk: kill -9 loses nothing answered
            db.execute("PRAGMA foreign_keys=ON")
            yield db
        finally:
            db.close()

    def add(self, *, from_system: str, package_id: str, data: bytes, deliveries: dict[str, list[str]]) -> Stored:
        """Store a package and one delivery per recipient system (``{system id: [organ codes]}``), or,
        when ``from_system`` handed over ``package_id`` before, return that package untouched."""
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                known = self._find(db, from_system, package_id)
                if known is not None:
                    db.execute("ROLLBACK")
                    return known
                axis_id = str(uuid.uuid4())
                seq = db.execute(
                    "INSERT INTO package (id, from_system, package_id, size, sha256, data, received_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (axis_id, from_system, package_id, len(data), hashlib.sha256(data).hexdigest(), data,
                     time.time())).lastrowid
                db.executemany("INSERT INTO delivery (package_seq, system_id, organs) VALUES (?, ?, ?)",
                               [(seq, system, ",".join(organs)) for system, organs in sorted(deliveries.items())])
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        recipients = tuple(dict.fromkeys(code for organs in deliveries.values() for code in organs))
        return Stored(axis_id, package_id, len(data), from_system, recipients, created=True)

    def find(self, *, from_system: str, package_id: str) -> Stored | None:
        with self._connect() as db:
            return self._find(db, from_system, package_id)

    @staticmethod
    def _find(db: sqlite3.Connection, from_system: str, package_id: str) -> Stored | None:
        row = db.execute("SELECT seq, id, size FROM package WHERE from_system = ? AND package_id = ?",
                         (from_system, package_id)).fetchone()
        if row is None:
            return None
        organs = db.execute("SELECT organs FROM delivery WHERE package_seq = ? ORDER BY system_id", (row[0],))
        recipients = tuple(dict.fromkeys(code for (joined,) in organs for code in joined.split(",") if code))
        return Stored(row[1], package_id, row[2], from_system, recipients, created=False)

    def pending(self, system_id: str, limit: int) -> list[dict]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT p.id, p.package_id, p.size, p.from_system FROM delivery d JOIN package p ON p.seq = d.package_seq "
                "WHERE d.system_id = ? AND d.acked_at IS NULL ORDER BY p.seq LIMIT ?", (system_id, limit)).fetchall()
        return [{"id": r[0], "package_id": r[1], "size": r[2], "from_system": r[3]} for r in rows]

    def read(self, system_id: str, axis_id: str) -> bytes | None:
        """The package's bytes, only for a system it is addressed to."""
        with self._connect() as db:
            row = db.execute(
                "SELECT p.data FROM package p JOIN delivery d ON d.package_seq = p.seq "
                "WHERE p.id = ? AND d.system_id = ?", (axis_id, system_id)).fetchone()
        return None if row is None else bytes(row[0])

    def ack(self, system_id: str, axis_id: str) -> bool:
        """Mark the delivery acknowledged (again: no change); False when not addressed to this system."""
        with self._lock, self._connect() as db:
            row = db.execute(
                "SELECT d.package_seq, d.acked_at FROM delivery d JOIN package p ON p.seq = d.package_seq "
                "WHERE p.id = ? AND d.system_id = ?", (axis_id, system_id)).fetchone()
            if row is None:
                return False
            if row[1] is None:
                db.execute("UPDATE delivery SET acked_at = ? WHERE package_seq = ? AND system_id = ?",
                           (time.time(), row[0], system_id))
        return True
