"""Start a national-system simulator (``simulators.national.<system>``) as a real process for a test."""

from __future__ import annotations

import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RunningSimulator:
    system: str
    url: str
    secret: str
    data: Path
    process: subprocess.Popen = field(repr=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def settings(self) -> dict:
        """The entry of ``settings.NATIONAL_SYSTEMS`` that points the platform's adapter here."""
        return {"url": self.url, "token": self.secret}


def start(system: str, data: Path, *, port: int = 0, secret: str | None = None) -> RunningSimulator:
    """Run the simulator until ``stop()``; ``port`` lets a test start it again on the same address."""
    secret = secret or secrets.token_urlsafe(16)
    data.mkdir(parents=True, exist_ok=True)
    log = data.parent / f"{system}-simulator.log"  # its log, shown if it does not start
    with log.open("ab") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", f"simulators.national.{system}", "--port", str(port), "--data", str(data),
             f"--secret={secret}"],
            stdout=subprocess.PIPE, stderr=errors, text=True, cwd=Path(__file__).resolve().parents[1])
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("listening on "):
        process.kill()
        raise RuntimeError(f"the {system} simulator did not start: {line!r}\n{log.read_text(errors='replace')[-2000:]}")
    return RunningSimulator(system, f"http://127.0.0.1:{int(line.split()[-1])}", secret, data, process)
