"""The demo's helper services, run as children of ``egov serve`` / ``egov demo`` (decision 0021).

Outside production mode (``EGOV_DEMO_SERVICES``) and once the test PKI exists (``egov demo`` made
it), the PKI's OCSP/CRL/timestamp responder is started beside the web server on
``SIGNING_PKI_PORT`` and stopped with it: the web server (gunicorn) and the responder are both
children of the ``egov`` process, which forwards the signals it gets to gunicorn and terminates
the responder when gunicorn has exited; the responder also exits by itself when its parent is gone
(``signing_pki serve --parent``), so a killed ``egov`` leaves nothing behind. The SMS and payment
simulators need nothing started: they are pages of the platform itself (``/simulators/``,
``/paysim/``), reached through EGOV_PUBLIC_URL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass
class Helper:
    name: str
    url: str
    process: subprocess.Popen
    log: Path


def _say(text: str) -> None:
    print(text, flush=True)


def _start_pki_responder() -> Helper | None:
    from signing import pki, signers

    found = pki.load(signers.pki_dir())
    if found is None:
        return None  # no test PKI (egov demo without softhsm2, or a real CA): nothing to serve
    port = int(settings.SIGNING_PKI_PORT)
    if found.port != port:
        # The certificates name the responder's address: issue them again for the new port, and
        # update the registered ones (signing_pki setup --port is idempotent).
        from signing import setup

        found = setup.setup(port=port)
        _say(f"Chữ ký số / digital signatures: test PKI moved to port {port}")
    if pki.responder_running(found):
        _say(f"Chữ ký số: cổng {port} đang bận / digital signatures: port {port} is in use (another "
             f"installation?); set SIGNING_PKI_PORT to a free port. Signing is unavailable until then.")
        return None
    log = Path(settings.VAR_DIR) / "pki-responder.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "egov.cli", "manage", "signing_pki", "serve", "--port", str(port),
             "--parent", str(os.getpid())],
            stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "egov.settings"})
    deadline = time.monotonic() + 60
    while not pki.responder_running(found):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(Helper("pki", found.url_prefix, process, log))
            _say(f"Chữ ký số: máy chủ OCSP/CRL/TSA không khởi động được / the OCSP/CRL/TSA responder did not "
                 f"start, see {log}. Signing is unavailable.")
            return None
        time.sleep(0.2)
    return Helper("pki", found.url_prefix, process, log)


def start() -> list[Helper]:
    """Start the helper services this installation needs; print where they listen."""
    if not getattr(settings, "EGOV_DEMO_SERVICES", False) or settings.PRODUCTION:
        return []
    helpers = [helper for helper in (_start_pki_responder(),) if helper is not None]
    for helper in helpers:
        _say(f"Dịch vụ phụ trợ / helper service: {helper.name} {helper.url} (pid {helper.process.pid}, "
             f"log {helper.log})")
    return helpers


def _stop(helper: Helper) -> None:
    if helper.process.poll() is None:
        helper.process.terminate()
        try:
            helper.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            helper.process.kill()
            helper.process.wait()


def stop(helpers: list[Helper]) -> None:
    for helper in helpers:
        _stop(helper)


def run_server(argv: list[str], helpers: list[Helper]) -> int:
    """Run the web server ``argv`` as a child beside ``helpers``; forward SIGINT, SIGTERM and SIGHUP
    to it; when it exits, stop the helpers and return its exit status."""
    server = subprocess.Popen(argv)

    def forward(signum, _frame):
        if server.poll() is None:
            server.send_signal(signum)

    previous = {signum: signal.signal(signum, forward) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        while True:
            try:
                return server.wait()
            except KeyboardInterrupt:  # pragma: no cover - the handler above replaces it
                continue
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()
        stop(helpers)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
