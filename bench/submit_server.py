"""The gunicorn of the embedded mode of bench/submit_lookup.py (also used by scripts/sqlmap_scan.py):
``gunicorn egov.wsgi:application`` (gthread) on 127.0.0.1, with the environment of the process that
starts it, answering /healthz before :meth:`Server.start` returns."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.throwaway import BenchFailed

BASE_DIR = Path(__file__).resolve().parent.parent


class Server:
    def __init__(self, port: int, workers: int, threads: int, tmp: Path, extra_env: dict | None = None):
        self.port = port
        self.extra_env = extra_env or {}
        self.base = f"http://127.0.0.1:{port}"
        self.workers, self.threads, self.tmp = workers, threads, tmp
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        argv = [sys.executable, "-m", "gunicorn", "egov.wsgi:application", "--chdir", str(BASE_DIR),
                "--bind", f"127.0.0.1:{self.port}", "--worker-class", "gthread", "--workers", str(self.workers),
                "--threads", str(self.threads), "--log-level", "warning", "--error-logfile", str(self.tmp / "gunicorn.log")]
        # stdout takes the console e-mail backend's messages (one per submission, embedded default).
        self.stdout = open(self.tmp / "gunicorn.stdout", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(argv, cwd=BASE_DIR, stdout=self.stdout, stderr=subprocess.STDOUT,
                                        start_new_session=True, env={**os.environ, **self.extra_env})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchFailed(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise BenchFailed(f"gunicorn did not answer /healthz within 60 s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        path = self.tmp / "gunicorn.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
        finally:
            self.stdout.close()
