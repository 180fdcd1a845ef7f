"""The demo's helper services, run as children of ``egov serve`` / ``egov demo`` (decision 0021).

Outside production mode (``EGOV_DEMO_SERVICES``) and once the test PKI exists (``egov demo`` made
it), the PKI's OCSP/CRL/timestamp responder is started beside the web server on
``SIGNING_PKI_PORT`` and stopped with it: the web server (gunicorn) and the responder are both
children of the ``egov`` process, which forwards the signals it gets to gunicorn and terminates
the responder when gunicorn has exited; the responder also exits by itself when its parent is gone
(``signing_pki serve --parent``), so a killed ``egov`` leaves nothing behind. The local simulator of
the document exchange axis (``simulators.axis``, decision 0033) runs the same way on
``EXCHANGE_AXIS_PORT``, unless ``EXCHANGE_AXIS_URL`` names another axis; it serves this installation
as one system whose id and secret are made once and kept in ``var/axis/``, and the web server gets
them as ``EXCHANGE_AXIS_URL``/``EXCHANGE_SYSTEM_ID``/``EXCHANGE_SECRET``. The SMS and payment
simulators need nothing started: they are pages of the platform itself (``/simulators/``,
``/paysim/``), reached through EGOV_PUBLIC_URL. Each simulator of a national system
(``simulators/national/<system>.py``, decision 0042) runs as its own child on a free port, with a
secret made once and kept in ``var/national/``, unless ``NATIONAL_<SYSTEM>_URL`` names another
server; the web server gets ``NATIONAL_<SYSTEM>_URL``/``_TOKEN``.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
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


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own loopback URL
            return response.status == 200
    except OSError:
        return False


def _axis_answers(url: str) -> bool:
    return _answers(f"{url}/health")


def _port_taken(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _write_private(path: Path, payload: dict) -> None:
    """Write JSON readable by this user only: it holds a secret."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as output:
        json.dump(payload, output, indent=2)


def _this_system(folder: Path) -> tuple[str, str]:
    """This installation's system id and secret on the simulated axis: made once, kept in var/axis;
    ``EXCHANGE_SYSTEM_ID``/``EXCHANGE_SECRET`` from the environment win."""
    kept = folder / "system.json"
    if kept.exists():
        system = json.loads(kept.read_text(encoding="utf-8"))
    else:
        system = {"id": f"egov-{secrets.token_hex(4)}", "secret": secrets.token_urlsafe(32)}
        _write_private(kept, system)
    return os.environ.get("EXCHANGE_SYSTEM_ID") or system["id"], os.environ.get("EXCHANGE_SECRET") or system["secret"]


def _served_organs() -> list[str]:
    """Every agency of the directory, as one pattern per level-1 unit (``*.H55`` serves every code
    ending in ``.H55``, QCVN 102:2016) and codes without dots as they are."""
    from directory.models import Agency

    organs = set()
    for code in Agency.objects.values_list("code", flat=True):
        head, dot, level1 = code.rpartition(".")
        organs.add(f"*.{level1}" if head and dot and level1 else code)
    return sorted(organs)


def _start_axis() -> Helper | None:
    if os.environ.get("EXCHANGE_AXIS_URL"):
        _say(f"Liên thông văn bản / document exchange: axis {os.environ['EXCHANGE_AXIS_URL']} (EXCHANGE_AXIS_URL)")
        return None
    port = int(settings.EXCHANGE_AXIS_PORT)
    url = f"http://127.0.0.1:{port}"
    if _port_taken(port):
        _say(f"Liên thông văn bản: cổng {port} đang bận / document exchange: port {port} is in use (another "
             f"installation?); set EXCHANGE_AXIS_PORT to a free port, or EXCHANGE_AXIS_URL to another axis.")
        return None
    folder = Path(settings.VAR_DIR).resolve() / "axis"
    folder.mkdir(parents=True, exist_ok=True)
    system_id, secret = _this_system(folder)
    config = folder / "config.json"
    _write_private(config, {"systems": [{"id": system_id, "secret": secret, "organs": _served_organs()}],
                            "max_bytes": int(settings.EXCHANGE_MAX_PACKAGE_BYTES)})
    log = Path(settings.VAR_DIR).resolve() / "axis-simulator.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "simulators.axis", "--port", str(port), "--db", str(folder / "axis.sqlite3"),
             "--config", str(config), "--parent", str(os.getpid())],
            stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=settings.BASE_DIR)
    deadline = time.monotonic() + 30
    while not _axis_answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(Helper("axis", url, process, log))
            _say(f"Liên thông văn bản: trục mô phỏng không khởi động được / the exchange axis simulator did not "
                 f"start, see {log}. Documents wait in the outbox until an axis answers.")
            return None
        time.sleep(0.2)
    # The web server (a child started after this) reads its settings from the environment.
    os.environ.update(EXCHANGE_AXIS_URL=url, EXCHANGE_SYSTEM_ID=system_id, EXCHANGE_SECRET=secret)
    return Helper("axis", url, process, log)


def national_systems() -> list[str]:
    """The national systems that have a simulator module (``simulators/national/<system>.py``)."""
    folder = Path(settings.BASE_DIR) / "simulators" / "national"
    return sorted(path.stem for path in folder.glob("*.py")
                  if path.stem not in {"__init__", "__main__", "core"} and path.stem in settings.NATIONAL_SYSTEMS)


def _start_national(system: str) -> Helper | None:
    variable = f"NATIONAL_{system.upper()}"
    if os.environ.get(f"{variable}_URL"):
        _say(f"Hệ thống quốc gia / national system {system}: {os.environ[f'{variable}_URL']} ({variable}_URL)")
        return None
    folder = Path(settings.VAR_DIR).resolve() / "national"
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / f"{system}.json"
    if not kept.exists():
        _write_private(kept, {"secret": secrets.token_urlsafe(32)})
    secret = json.loads(kept.read_text(encoding="utf-8"))["secret"]
    log = folder / f"{system}.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", f"simulators.national.{system}", "--port", "0", "--data", str(folder),
             f"--secret={secret}", "--parent", str(os.getpid())],
            stdout=subprocess.PIPE, stderr=output, stdin=subprocess.DEVNULL, text=True, cwd=settings.BASE_DIR)
    assert process.stdout is not None
    line = process.stdout.readline()  # "listening on <port>" once it answers
    if not line.startswith("listening on "):
        _stop(Helper(system, "", process, log))
        _say(f"Hệ thống quốc gia: bộ mô phỏng {system} không khởi động được / the {system} simulator did not "
             f"start, see {log}. Work that needs it waits and is synchronised when it answers.")
        return None
    url = f"http://127.0.0.1:{int(line.split()[-1])}"
    os.environ.update({f"{variable}_URL": url, f"{variable}_TOKEN": secret})
    return Helper(system, url, process, log)


IDENTITY_SERVER = Path(__file__).resolve().parents[1] / "simulators" / "identity" / "server.mjs"
IDENTITY_CITIZEN = ("001190001234", "MatKhau-ThuNghiem-2024")  # the one citizen it knows (see server.mjs)


def _start_identity() -> Helper | None:
    """The national identity platform's stand-in (an OpenID Connect provider, ``oidc-provider`` from
    npm) for the citizens' single sign-on, unless ``OIDC_OP_ISSUER`` names a real one."""
    import shutil

    if os.environ.get("OIDC_OP_ISSUER"):
        return None
    node = shutil.which("node")
    if node is None or not (Path(settings.BASE_DIR) / "node_modules" / "oidc-provider").exists():
        _say("Định danh quốc gia: không có Node.js hoặc oidc-provider (npm ci) / national identity: no Node.js or "
             "oidc-provider (npm ci); signing in through the national identity is off.")
        return None
    from signing.pki import free_port

    folder = Path(settings.VAR_DIR).resolve() / "national"
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / "identity.json"
    if not kept.exists():
        _write_private(kept, {"secret": secrets.token_urlsafe(32)})
    secret = json.loads(kept.read_text(encoding="utf-8"))["secret"]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "identity.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            [node, str(IDENTITY_SERVER), str(port)], stdout=output, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, cwd=settings.BASE_DIR,
            env={**os.environ, "OIDC_CLIENT_ID": "egov", "OIDC_CLIENT_SECRET": secret, "OIDC_PARENT_PID": str(os.getpid()),
                 "OIDC_REDIRECT_URI": f"{settings.EGOV_PUBLIC_URL}/oidc/callback/"})
    deadline = time.monotonic() + 30
    while not _answers(f"{url}/.well-known/openid-configuration"):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(Helper("identity", url, process, log))
            _say(f"Định danh quốc gia: không khởi động được / the national identity stand-in did not start, see {log}.")
            return None
        time.sleep(0.2)
    os.environ.update(OIDC_OP_ISSUER=url, OIDC_RP_CLIENT_ID="egov", OIDC_RP_CLIENT_SECRET=secret)
    _say(f"Định danh quốc gia (VNeID mô phỏng) / national identity stand-in: {IDENTITY_CITIZEN[0]} / "
         f"{IDENTITY_CITIZEN[1]}")
    return Helper("identity", url, process, log)


def start() -> list[Helper]:
    """Start the helper services this installation needs; print where they listen."""
    if not getattr(settings, "EGOV_DEMO_SERVICES", False) or settings.PRODUCTION:
        return []
    started = [_start_pki_responder(), _start_axis(), *(_start_national(system) for system in national_systems()),
               _start_identity()]
    helpers = [helper for helper in started if helper is not None]
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
