"""The platform as a newcomer runs it: ``egov demo --addr 127.0.0.1:PORT`` in a process of its own,
on a free port that is not the default one, with its own state folder and the embedded default
(SQLite, local files, in-process background work). Nothing is configured by hand: the public URL,
the payment and SMS simulators and the test PKI's responder follow the address served."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from egov.public_url import DEFAULT_ADDR, pki_port_for
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
# Settings a developer's shell or the test run may carry; the demo must not need any of them.
FOREIGN = ("DATABASE_URL", "TEST_DB_NAME", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE",
           "EGOV_", "SIGNING_", "EMAIL_", "AWS_", "SMS_", "PAYMENT_")


@dataclass
class DemoServer:
    url: str
    process: subprocess.Popen
    log: Path
    env: dict
    totp_keys: dict[str, bytes] = field(default_factory=dict)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def code(self, username: str, *, step: int = 0) -> str:
        """``username``'s one-time code ``step`` periods ahead (a code is accepted once: the sign-in
        takes the current one, a signature the next)."""
        from django_otp.oath import totp

        return f"{totp(self.totp_keys[username], step=30, digits=6, drift=step):06d}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_pair() -> int:
    """A free web port, not the default one, whose helper port (web + 787) is free too."""
    default = int(DEFAULT_ADDR.rsplit(":", 1)[1])
    for _attempt in range(50):
        port = free_port()
        if port != default and port + 787 < 65536 and _free(pki_port_for(f"127.0.0.1:{port}")):
            return port
    raise RuntimeError("no free pair of ports")


def start(state: Path, *, extra_env: dict | None = None, timeout: float = 240) -> DemoServer:
    port = free_port_pair()
    env = {name: value for name, value in os.environ.items() if not name.startswith(FOREIGN)}
    env.update({"EGOV_VAR_DIR": str(state), "PYTHONUNBUFFERED": "1", **(extra_env or {})})
    log = state / "egov-demo.log"
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "egov.cli", "demo", "--addr", f"127.0.0.1:{port}"],
                                   cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    server = DemoServer(url=f"http://127.0.0.1:{port}", process=process, log=log, env=env)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"egov demo exited with {process.returncode}:\n{server.output()[-4000:]}")
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"egov demo did not answer in {timeout} s:\n{server.output()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:  # noqa: S310 (http://127.0.0.1)
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    for username, secret in re.findall(r"^\s+(\S+)\s+secret ([A-Z2-7]+)\s", server.output(), re.M):
        server.totp_keys[username] = base64.b32decode(secret)
    return server
