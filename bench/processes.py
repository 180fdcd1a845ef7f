"""The processes of ``bench.cluster``: each long-running one in a process group of its own, started
again at will, killed with -9 for the fault tests; and the small probes that say it answers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


class ClusterError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def _since_start(path: Path) -> str:
    """The log written since the process was last started."""
    text = path.read_text(errors="replace") if path.exists() else ""
    return text.rsplit("\n--- start ", 1)[-1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


def _listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@dataclass
class Process:
    """A long-running process in a process group of its own; started again at will."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    ready: object = None  # a callable that says it answers
    url: str = ""
    process: subprocess.Popen | None = None

    def spawn(self) -> Process:
        with self.log.open("ab") as out:
            out.write(f"\n--- start {time.strftime('%H:%M:%S')}\n".encode())
            self.process = subprocess.Popen(self.argv, cwd=BASE_DIR, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        return self

    def wait(self, timeout: float = 120) -> Process:
        deadline = time.monotonic() + timeout
        while self.ready is not None and not self.ready():
            if self.process is None or self.process.poll() is not None or time.monotonic() > deadline:
                raise ClusterError(f"{self.name} did not start:\n{_tail(self.log)}")
            time.sleep(0.2)
        return self

    def start(self, timeout: float = 120) -> Process:
        return self.spawn().wait(timeout)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """kill -9 the whole group: no chance to finish anything."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def children(self) -> list[int]:
        """Direct children (gunicorn's workers, Celery's pool processes)."""
        if not self.alive:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []
