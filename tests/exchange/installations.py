"""Two installations of the platform and the local simulator of the exchange axis, on loopback.

- The province (sender): PostgreSQL in a throw-away cluster of its own (initdb into a temporary
  folder, a free port, pg_ctl: the tests restart it without touching the machine's PostgreSQL),
  background work in an ``egov worker --beat`` process on a Redis database of its own.
- The ward of Đức Xuân (receiver): the embedded default, SQLite and in-process background work;
  the schedule (outbox drain, exchange poll) run by a process of its own with the embedded
  runner's ``run_due``.
- The axis simulator (``python -m simulators.axis``) serving the province's system with every code
  of the directory but the ward's, and the ward's system with the ward's code only.

Both installations load the demo (``egov demo --no-serve``) and share one test PKI, so that each
trusts the other's seal. Every process runs in a process group of its own and is killed by
:meth:`Exchange.close`, pass or fail; :meth:`Exchange.logs` gives the tail of each log.
Actions inside an installation run the functions of :mod:`tests.exchange.scenarios` in
``egov manage shell`` with that installation's environment (:meth:`Installation.call`).
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from tests.ports import free_port
from tests.test_production import BASE_DIR, EGOV, REDIS, _env, _require, _stop, _tail

RECEIVER = "000.00.60.H55"  # Ủy ban nhân dân phường Đức Xuân: served by the second installation
SENDER = "000.00.03.H55"  # Sở Tư pháp, on the province's installation
RESULT = "@@result@@ "  # marks the line of a scenario's JSON answer in the shell's output
# The exchange's and the outbox's own settings must come from each installation, never from the caller.
_OWN_PREFIXES = ("EXCHANGE_", "OUTBOX_")


class HarnessError(AssertionError):
    """Something the harness waited for did not happen; the message carries every log's tail."""


# --- processes ------------------------------------------------------------------------------------
@dataclass
class Service:
    """A long-running process in a process group of its own, started again at will."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    cwd: Path = BASE_DIR
    process: subprocess.Popen | None = None

    def start(self) -> Service:
        with self.log.open("ab") as out:
            out.write(f"\n--- start {' '.join(self.argv[-4:])}\n".encode())
            self.process = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        if self.process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)

    def kill(self) -> None:
        """kill -9 the whole group (the worker and its pool), no chance to finish anything."""
        if self.process is not None:
            self.signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.signal(signal.SIGCONT)  # a paused process could not handle SIGTERM
            _stop(self.process)

    def tail(self, lines: int = 40) -> str:
        return f"--- {self.name} ({self.log.name}):\n{_tail(self.log, lines)}"


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise HarnessError("no PostgreSQL server binaries under /usr/lib/postgresql (package postgresql)")
    return found[-1].parent


def _as_postgres():
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() != 0:
        return None
    account = pwd.getpwnam("postgres")

    def demote() -> None:
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)

    return demote


class PostgresCluster:
    """A PostgreSQL cluster of its own: initdb into a temporary folder, a free port, pg_ctl."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable  # fsync on, as a production server runs (off: tests need no crash safety)
        self.bin = _pg_bin()
        # Not under the test's tmp_path: the postgres user must be able to reach it.
        self.directory = Path(tempfile.mkdtemp(prefix="egov-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.port = free_port()
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.directory, account.pw_uid, account.pw_gid)

    def _run(self, *argv: str, timeout: float = 60) -> None:
        done = subprocess.run([str(self.bin / argv[0]), *argv[1:]], capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_as_postgres(), cwd=self.directory)
        if done.returncode:
            raise HarnessError(f"{argv[0]} {argv[1]}: {done.stdout[-2000:]}{done.stderr[-2000:]}\n"
                               f"{_tail(self.log)}")

    def start(self) -> PostgresCluster:
        if not self.data.exists():
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", f"-p {self.port} -h 127.0.0.1 -k {self.data} -c fsync={'on' if self.durable else 'off'}", "start")
        return self

    def restart(self) -> None:
        """Every connection is cut; the data stays."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-m", "fast",
                  "-o", f"-p {self.port} -h 127.0.0.1 -k {self.data} -c fsync={'on' if self.durable else 'off'}", "restart")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url().replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with suppress(HarnessError, subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=30)
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():  # pg_ctl could not stop it
            with suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(self.directory, ignore_errors=True)


# --- an installation ------------------------------------------------------------------------------
@dataclass
class Installation:
    """One system of the platform: its environment, its state folder, its system on the axis."""

    name: str
    system_id: str
    directory: Path
    env: dict[str, str]
    services: dict[str, Service] = field(default_factory=dict)

    def run(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run([EGOV, *args], cwd=BASE_DIR, env=self.env, capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode:
            raise HarnessError(f"{self.name}: egov {' '.join(args)[:200]} exited with {done.returncode}\n"
                               f"{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
        return done.stdout

    def call(self, function: str, **kwargs: Any) -> Any:
        """``tests.exchange.scenarios.<function>(**kwargs)`` inside this installation; its JSON answer."""
        script = (f"import json\nfrom tests.exchange import scenarios\n"
                  f"print({RESULT!r} + json.dumps(scenarios.{function}(**json.loads({json.dumps(kwargs)!r}))))")
        output = self.run("manage", "shell", "-c", script)
        lines = [line for line in output.splitlines() if line.startswith(RESULT)]
        if not lines:
            raise HarnessError(f"{self.name}: {function} printed no result\n{output[-3000:]}")
        return json.loads(lines[-1][len(RESULT):])

    def service(self, name: str, argv: list[str], *, cwd: Path | None = None) -> Service:
        service = Service(f"{self.name} {name}", argv, self.env, self.directory / f"{name}.log",
                          cwd=cwd or BASE_DIR)
        self.services[name] = service
        return service


# --- the whole exchange ---------------------------------------------------------------------------
class Exchange:
    """The simulator, the PKI's responder and both installations. ``start()`` brings everything up;
    ``close()`` kills every process and removes the PostgreSQL cluster."""

    def __init__(self, base: Path, *, redis_db: int = 9, poll_seconds: int = 1) -> None:
        self.base = base
        self.redis_db = redis_db
        self.poll_seconds = poll_seconds
        self.cluster: PostgresCluster | None = None
        self.axis_port, self.pki_port = free_port(), free_port()
        self.axis_url = f"http://127.0.0.1:{self.axis_port}"
        self.axis_db = base / "axis" / "axis.sqlite3"
        self.axis_config = base / "axis" / "config.json"
        self.axis: Service | None = None
        self.pki: Service | None = None
        self.province: Installation | None = None
        self.ward: Installation | None = None

    # environments
    def _environment(self, home: Path, system_id: str, secret: str, **values: str) -> dict[str, str]:
        """Its state in ``home/var`` (database, files, signing token), the shared PKI, its system."""
        env = {key: value for key, value in _env(home, production=False).items()
               if not key.startswith(_OWN_PREFIXES)}
        env.update(
            PYTHONPATH=str(BASE_DIR), SIGNING_PKI_DIR=str(self.base / "pki"), SIGNING_PKI_PORT=str(self.pki_port),
            SIGNING_SOFTHSM_DIR=str(home / "var" / "softhsm"), EGOV_DEMO_SERVICES="0",
            EXCHANGE_AXIS_URL=self.axis_url, EXCHANGE_SYSTEM_ID=system_id, EXCHANGE_SECRET=secret,
            EXCHANGE_POLL_SECONDS=str(self.poll_seconds), OUTBOX_GRACE_SECONDS="1", OUTBOX_DRAIN_SECONDS="1",
            OUTBOX_MAX_ATTEMPTS="30",  # a while without the axis must not exhaust the attempts
        )
        env.update(values)
        return env

    def start(self) -> Exchange:
        _require(6379, "Redis")
        (self.base / "axis").mkdir(parents=True, exist_ok=True)
        for folder in ("province", "ward"):
            (self.base / folder / "var").mkdir(parents=True, exist_ok=True)
        self.cluster = PostgresCluster().start()
        broker = f"{REDIS}/{self.redis_db}"
        import redis

        redis.Redis.from_url(broker).flushdb()  # messages an earlier, killed run left behind
        self.province = Installation(
            "province", "tinh-thai-nguyen", self.base / "province",
            self._environment(self.base / "province", "tinh-thai-nguyen", secrets.token_urlsafe(32),
                              DATABASE_URL=self.cluster.create_database("egov"), CELERY_BROKER_URL=broker))
        self.ward = Installation(
            "ward", "phuong-duc-xuan", self.base / "ward",
            self._environment(self.base / "ward", "phuong-duc-xuan", secrets.token_urlsafe(32),
                              DATABASE_URL=f"sqlite:///{self.base / 'ward' / 'var' / 'egov.sqlite3'}"))
        # One test PKI for both (made once, before the two demos read it at the same time).
        self.province.run("manage", "shell", "-c", "from signing import pki, signers\n"
                                                   f"pki.generate(signers.pki_dir(), port={self.pki_port})")
        with ThreadPoolExecutor(2) as pool:  # migrate, the demo's data, the signing keys registered
            for done in [pool.submit(side.run, "demo", "--no-serve") for side in (self.province, self.ward)]:
                done.result()
        codes = self.province.call("agency_codes")
        self._write_axis_config([code for code in codes if code != RECEIVER])
        self.pki = self.province.service("pki", [EGOV, "manage", "signing_pki", "serve"]).start()
        self.start_axis()
        self.province.service("worker", [EGOV, "worker", "--beat", "--concurrency", "2"],
                              cwd=self.province.directory).start()  # beat's schedule file in its own folder
        self.ward.service("runner", [EGOV, "manage", "shell", "-c",
                                     "from tests.exchange.scenarios import run_schedule\nrun_schedule()"]).start()
        self.until(lambda: self._answers(f"{self.axis_url}/health"), "the axis simulator answers", timeout=30)
        self.until(lambda: self._answers(f"http://127.0.0.1:{self.pki_port}/"), "the PKI responder answers",
                   timeout=60)
        return self

    def _write_axis_config(self, province_codes: list[str]) -> None:
        systems = [{"id": self.province.system_id, "secret": self.province.env["EXCHANGE_SECRET"],
                    "organs": province_codes},
                   {"id": self.ward.system_id, "secret": self.ward.env["EXCHANGE_SECRET"], "organs": [RECEIVER]}]
        self.axis_config.write_text(json.dumps({"systems": systems, "max_bytes": 50 * 1024 * 1024}))

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.status < 500
        except urllib.error.HTTPError as error:
            return error.code < 500
        except OSError:
            return False

    # the axis
    def start_axis(self) -> None:
        """The simulator, on the same port and the same storage as before."""
        if self.axis is None:
            env = {key: value for key, value in self.province.env.items() if not key.startswith(_OWN_PREFIXES)}
            self.axis = Service("axis simulator", [str(Path(EGOV).parent / "python"), "-m", "simulators.axis",
                                                   "--port", str(self.axis_port), "--db", str(self.axis_db),
                                                   "--config", str(self.axis_config)],
                                env, self.base / "axis" / "axis.log")
        self.axis.start()
        self.until(lambda: self._answers(f"{self.axis_url}/health"), "the axis simulator answers", timeout=30)

    def stop_axis(self) -> None:
        assert self.axis is not None
        self.axis.stop()

    def axis_packages(self) -> list[dict]:
        """What the simulator stored: one row per package handed over, with its deliveries."""
        with sqlite3.connect(f"file:{self.axis_db}?mode=ro", uri=True, timeout=30) as db:
            rows = db.execute(
                "SELECT p.from_system, p.package_id, count(d.system_id), "
                "sum(d.acked_at IS NOT NULL) FROM package p LEFT JOIN delivery d ON d.package_seq = p.seq "
                "GROUP BY p.seq ORDER BY p.seq").fetchall()
        return [{"from": r[0], "package_id": r[1], "deliveries": r[2], "acked": r[3]} for r in rows]

    # waiting
    def processes(self) -> list[Service]:
        found = [self.axis, self.pki]
        for side in (self.province, self.ward):
            found += list(side.services.values()) if side is not None else []
        return [service for service in found if service is not None]

    def logs(self, lines: int = 40) -> str:
        parts = [service.tail(lines) for service in self.processes()]
        if self.cluster is not None:
            parts.append(f"--- province PostgreSQL:\n{_tail(self.cluster.log, 15)}")
        return "\n".join(parts)

    def until(self, condition: Callable[[], Any], what: str, *, timeout: float = 120, expect: tuple = ()) -> Any:
        """Poll ``condition`` until it returns something true; fail with every log after ``timeout``
        or as soon as one of the ``expect``-ed services has died."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            for service in expect:
                if not service.alive:
                    raise HarnessError(f"{what}: {service.name} exited with {service.process.returncode}\n"
                                       f"{self.logs()}")
            last = condition()
            if last:
                return last
            time.sleep(0.5)
        raise HarnessError(f"{what}: not within {timeout:.0f} s (last seen: {last!r})\n{self.logs()}")

    def close(self) -> None:
        for service in reversed(self.processes()):
            with suppress(Exception):
                service.stop()
        if self.cluster is not None:
            self.cluster.close()
        with suppress(Exception):
            import redis

            redis.Redis.from_url(f"{REDIS}/{self.redis_db}").flushdb()
