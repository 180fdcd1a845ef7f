"""The simulator's HTTP side (protocol: decision 0033).

Every request but ``GET /health`` carries ``X-System-Id``, ``X-Timestamp`` (unix seconds) and
``X-Signature`` = hex HMAC-SHA256(secret, "METHOD\\nPATH\\nTIMESTAMP\\nsha256hex(body)"), PATH being
the request target with its query string; a timestamp more than 300 s away from the axis's clock is
refused. The log names systems, axis ids and sizes, never a package's content or its secret."""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from simulators.axis.routing import NotXML, System, recipients, route
from simulators.axis.store import Store

log = logging.getLogger("simulators.axis")

MAX_SKEW_SECONDS = 300
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
PACKAGES = "/api/v1/packages"
ONE = re.compile(r"^/api/v1/packages/([A-Za-z0-9-]{1,64})$")
ACK = re.compile(r"^/api/v1/packages/([A-Za-z0-9-]{1,64})/ack$")
PACKAGE_ID = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, no spaces


def signature(secret: bytes, method: str, path: str, timestamp: str, body: bytes) -> str:
    message = f"{method}\n{path}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def load_config(path: Path) -> tuple[dict[str, System], int]:
    """``{"systems": [{"id", "secret", "organs": [...]}], "max_bytes": N}``"""
    config = json.loads(Path(path).read_text(encoding="utf-8"))
    systems = {}
    for entry in config.get("systems", []):
        if not entry.get("id") or not entry.get("secret"):
            raise ValueError("every system needs an id and a secret")
        systems[entry["id"]] = System(entry["id"], entry["secret"].encode(), tuple(entry.get("organs", [])))
    return systems, int(config.get("max_bytes") or DEFAULT_MAX_BYTES)


class AxisServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, store: Store, systems: dict[str, System], max_bytes: int):
        super().__init__(address, Handler)
        self.store, self.systems, self.max_bytes = store, systems, max_bytes


class Handler(BaseHTTPRequestHandler):
    server: AxisServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # a client that stops sending does not hold a thread for ever
    system_id = "-"
    _body_read = False

    # --- plumbing -------------------------------------------------------------------------
    def parse_request(self) -> bool:
        self.system_id, self._body_read = "-", False  # one handler serves every request of a connection
        return super().parse_request()

    def log_request(self, code="-", size="-"):
        status = code.value if isinstance(code, HTTPStatus) else code
        log.info("%s %s %s system=%s", self.command, urlsplit(self.path).path, status, self.system_id)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        log.warning("%s", format % args)

    def _json(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, error: str, **extra) -> None:
        self._discard_body()
        self._json(status, {"error": error, **extra})

    def _length(self) -> int | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return None
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            return None
        return length if length >= 0 else None

    def _discard_body(self) -> None:
        """Read what the client is still sending (so that it reads our answer rather than a reset
        connection), up to a bound; beyond it, close the connection after answering."""
        if self._body_read:
            return
        self._body_read = True
        length = self._length()
        if length is None or length > max(4 * self.server.max_bytes, 64 * 1024 * 1024):
            self.close_connection = True
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                break
            length -= len(chunk)

    def _read_body(self) -> bytes:
        self._body_read = True
        return self.rfile.read(self._length() or 0)

    def _caller(self) -> System | None:
        """The system the headers name, if they are fresh; the signature is checked on the body."""
        system = self.server.systems.get(self.headers.get("X-System-Id", ""))
        timestamp = self.headers.get("X-Timestamp", "")
        if system is None or not timestamp.isdigit() or not self.headers.get("X-Signature"):
            return None
        if abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
            return None
        return system

    def _signed_by(self, system: System, body: bytes) -> bool:
        expected = signature(system.secret, self.command, self.path, self.headers["X-Timestamp"], body)
        return hmac.compare_digest(expected, self.headers.get("X-Signature", "").lower())

    def _authenticate(self, body: bytes = b"") -> System | None:
        system = self._caller()
        if system is None or not self._signed_by(system, body):
            self._error(401, "unauthorized")
            return None
        self.system_id = system.id
        return system

    # --- routes ---------------------------------------------------------------------------
    def do_GET(self):
        path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
        if path == "/health":
            return self._json(200, {"status": "ok"})
        if not path.startswith(PACKAGES + "/"):
            return self._error(404, "not_found")
        system = self._authenticate()
        if system is None:
            return None
        if path == PACKAGES + "/pending":
            try:
                limit = int(query.get("limit", ["100"])[0])
            except ValueError:
                limit = 0
            if not 1 <= limit <= 1000:
                return self._error(400, "bad_limit")
            return self._json(200, {"packages": self.server.store.pending(system.id, limit)})
        found = ONE.match(path)
        data = self.server.store.read(system.id, found.group(1)) if found else None
        if data is None:
            return self._error(404, "not_found")  # unknown, or not addressed to this system: the same answer
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return None

    def do_POST(self):
        path = urlsplit(self.path).path
        if path == PACKAGES:
            return self._receive()
        found = ACK.match(path)
        if not found:
            return self._error(404, "not_found")
        length = self._length()
        if length is None or length > 1024:
            return self._error(400, "unexpected_body")
        system = self._authenticate(self._read_body())
        if system is None:
            return None
        if not self.server.store.ack(system.id, found.group(1)):
            return self._error(404, "not_found")
        self.send_response(204)
        self.end_headers()
        log.info("acknowledged %s by %s", found.group(1), system.id)
        return None

    def _receive(self) -> None:
        length = self._length()
        if length is None:
            return self._error(411, "length_required")
        if self._caller() is None:
            return self._error(401, "unauthorized")
        if length > self.server.max_bytes:
            return self._error(413, "too_large", max_bytes=self.server.max_bytes)
        body = self._read_body()
        system = self._authenticate(body)
        if system is None:
            return None
        package_id = self.headers.get("X-Package-Id", "")
        if not PACKAGE_ID.match(package_id):
            return self._error(400, "bad_package_id")
        store = self.server.store
        known = store.find(from_system=system.id, package_id=package_id)
        if known is None:
            try:
                codes = recipients(body)
            except NotXML as refused:
                return self._error(400, "not_xml", detail=str(refused))
            if not codes:
                return self._error(400, "no_recipient")
            deliveries, unknown = route(codes, self.server.systems)
            if unknown:
                return self._error(404, "unknown_recipient", codes=unknown)
            known = store.add(from_system=system.id, package_id=package_id, data=body, deliveries=deliveries)
            if known.created:
                log.info("package %s from %s, %d bytes, for %s", known.id, system.id, known.size,
                         ", ".join(sorted(deliveries)))
        return self._json(201 if known.created else 200, {"id": known.id, "recipients": list(known.recipients)})


def _exit_with(parent: int) -> None:
    """Exit as soon as ``parent`` is no longer this process's parent (``egov serve`` exited or was
    killed): the simulator started by the demo never outlives it."""

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="axis-parent-watch", daemon=True).start()


def _stop(_signum, _frame):
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.axis",
                                     description="Local simulator of the national document exchange axis")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", type=Path, required=True, help="its SQLite file (kept across restarts)")
    parser.add_argument("--config", type=Path, required=True,
                        help='JSON: {"systems": [{"id", "secret", "organs": [...]}], "max_bytes": N}')
    parser.add_argument("--parent", type=int, default=None, help="exit when this process is gone")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    systems, max_bytes = load_config(args.config)
    server = AxisServer((args.host, args.port), store=Store(args.db), systems=systems, max_bytes=max_bytes)
    if args.parent is not None:
        _exit_with(args.parent)
    signal.signal(signal.SIGTERM, _stop)
    print(f"Exchange axis simulator on http://{args.host}:{server.server_address[1]} "
          f"({len(systems)} systems)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
