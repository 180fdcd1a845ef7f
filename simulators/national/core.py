"""What every national-system simulator shares: a threaded HTTP server answering JSON, a bearer
secret, its own SQLite file, and the command line.

    python -m simulators.national.<system> --port 0 --data DIR --secret S [--parent PID]

``--port 0`` takes a free port; the server prints ``listening on <port>`` (flushed) once it answers,
so a test or the demo can read the address. ``GET /health`` needs no secret; every other request
needs ``Authorization: Bearer <secret>``. The log names paths and statuses, never a body.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger("simulators.national")

MAX_BODY = 20 * 1024 * 1024


class Store:
    """One SQLite file, one connection guarded by a lock (the simulators' load is small)."""

    def __init__(self, path: Path, schema: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self.lock = threading.RLock()
        with self.lock:
            self._db.executescript(schema)

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self._db.execute(sql, params).fetchall()

    def execute(self, sql: str, params: tuple | dict = ()) -> int:
        """Run one statement; the last row id."""
        with self.lock:
            return self._db.execute(sql, params).lastrowid or 0


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    match: re.Match
    body: bytes
    headers: dict[str, str]

    def json(self) -> dict:
        try:
            value = json.loads(self.body or b"{}")
        except ValueError as error:
            raise BadRequest("body is not JSON") from error
        if not isinstance(value, dict):
            raise BadRequest("body must be a JSON object")
        return value


class BadRequest(Exception):
    pass


# A route answers (status, JSON-able body) or (status, bytes, content type).
Answer = tuple[int, object] | tuple[int, bytes, str]
Route = tuple[str, str, Callable[["Simulator", Request], Answer]]


class Simulator(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, name: str, secret: str, store: Store,
                 routes: list[Route], public: tuple[str, ...] = ()):
        super().__init__(address, _Handler)
        self.name, self.secret, self.store = name, secret, store
        self.routes = [(method, re.compile(f"^{pattern}$"), view) for method, pattern, view in routes]
        # Paths a person's browser opens (a payment page), guarded by their own unguessable token.
        self.public = [re.compile(f"^{pattern}$") for pattern in public]


class _Handler(BaseHTTPRequestHandler):
    server: Simulator
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # paths and statuses only
        log.info("%s %s", self.server.name, format % args)

    def _answer(self, status: int, body: object, content_type: str = "application/json") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type if isinstance(body, bytes) else "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self) -> None:
        target = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "too large"})
            return
        body = self.rfile.read(length) if length else b""
        if target.path == "/health" and self.command == "GET":
            self._answer(HTTPStatus.OK, {"status": "ok", "system": self.server.name})
            return
        public = any(pattern.match(target.path) for pattern in self.server.public)
        if not public and self.headers.get("Authorization", "") != f"Bearer {self.server.secret}":
            self._answer(HTTPStatus.UNAUTHORIZED, {"error": "authentication", "code": 100})
            return
        for method, pattern, view in self.server.routes:
            match = pattern.match(target.path)
            if match and method == self.command:
                query = {key: values[-1] for key, values in parse_qs(target.query).items()}
                request = Request(self.command, target.path, query, match, body, dict(self.headers.items()))
                try:
                    answer = view(self.server, request)
                except BadRequest as error:
                    self._answer(HTTPStatus.BAD_REQUEST, {"error": str(error), "code": 500})
                    return
                self._answer(*answer)  # type: ignore[arg-type]
                return
        self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})

    do_GET = do_POST = do_PUT = do_DELETE = _dispatch


def _exit_with_parent(parent: int, server: Simulator) -> None:
    while True:
        time.sleep(1)
        try:
            os.kill(parent, 0)
        except OSError:
            server.shutdown()
            return


def main(name: str, schema: str, routes: list[Route], argv: list[str] | None = None,
         seed: Callable[[Store], None] | None = None, public: tuple[str, ...] = ()) -> None:
    """Parse the command line, open the store (``seed`` fills an empty one with invented records) and
    serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(prog=f"simulators.national.{name}")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--data", type=Path, required=True, help="folder of the simulator's SQLite file")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--parent", type=int, default=0, help="exit when this process is gone (the demo)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    store = Store(args.data / f"{name}.sqlite3", schema)
    if seed is not None:
        seed(store)
    server = Simulator((args.host, args.port), name=name, secret=args.secret, store=store, routes=routes,
                       public=public)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    if args.parent:
        threading.Thread(target=_exit_with_parent, args=(args.parent, server), daemon=True).start()
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(0)
