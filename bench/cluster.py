"""Production mode on loopback, as a context manager: the platform as an administrator runs it
(docs/production.md), every part on a free port and in a temporary folder.

    with Cluster(servers=2, workers=2) as cluster:
        cluster.servers[0].url            # http://127.0.0.1:PORT, a gunicorn (gthread) of the platform
        cluster.kill_web_worker(0)        # kill -9 one of that server's gunicorn workers
        cluster.kill_worker(1)            # kill -9 a Celery worker (and its pool), mid-task if it can
        cluster.restart_redis(); cluster.restart_postgres()
        cluster.stop_simulator("gateways"); cluster.start_simulator("gateways")

What runs (each a process group of its own, all stopped on leaving, also on Ctrl-C or SIGTERM):

- **PostgreSQL**: a cluster of its own (initdb into a temporary folder, pg_ctl), so that it can
  be restarted without disturbing anything else on the machine; **Redis**: a ``redis-server`` of
  its own without persistence (a restart loses the broker's queue and the cache, as a crash would:
  the outbox must send again what was lost); the **S3 stand-in** (moto's server, one bucket).
- The platform migrated, the demo directory loaded (``directory.demo``), with ``signing=True`` the
  test PKI and the officials' signing keys on a SoftHSM2 token, and its OCSP/TSA responder.
- ``servers`` application servers (gunicorn, ``egov.wsgi``, gthread) in production mode,
  ``workers`` Celery workers and one beat process, all on the same database, Redis and bucket.
- The simulators: the payment gateway and the SMS gateway (pages of the platform, served by a
  server of their own in the embedded mode, since production mode refuses to serve them — the
  ``gateways`` simulator), the exchange axis (``axis``) and the national systems (their names).
- An SMTP sink (``messages``): every e-mail the platform sends.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench import cluster_cache
from bench.processes import BASE_DIR, ClusterError, Process, _answers, _listens, _since_start, _tail, free_port

BIN = Path(sys.executable).parent
NATIONAL = ("population", "npsp", "payment", "business", "civil_status")
# A developer's shell must not reach the cluster's processes: they get exactly the environment built here.
_SETTINGS_PREFIXES = (
    "EGOV_", "DATABASE_URL", "DB_CONN_MAX_AGE", "TEST_DB_NAME", "SECRET_KEY", "REDIS_URL", "CELERY_", "AWS_",
    "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_", "STATIC_ROOT", "MEDIA_ROOT", "OIDC_", "EMAIL_",
    "WEB_CONCURRENCY", "PAYMENT_", "SMS_", "SIGNING_", "EXCHANGE_", "NATIONAL_", "OUTBOX_", "AUDIT_",
    "DJANGO_ALLOW_ASYNC_UNSAFE", "SOFTHSM2_CONF", "DJANGO_SETTINGS_MODULE", "DATA_",
)



@dataclass
class Cluster:
    servers_wanted: int = 2
    workers_wanted: int = 2
    web_workers: int = 2
    threads: int = 4
    concurrency: int = 2
    signing: bool = False
    with_simulators: bool = True  # the gateways and the axis (``national`` adds the national systems)
    national: bool = True
    durable: bool = False  # PostgreSQL with fsync on (the submit benchmark), off for the fault tests
    extra_env: dict[str, str] = field(default_factory=dict)
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="egov-cluster-")))
    servers: list[Process] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)
    simulators: dict[str, Process] = field(default_factory=dict)
    others: dict[str, Process] = field(default_factory=dict)
    messages: list = field(default_factory=list)

    # --- life ---------------------------------------------------------------------------------------
    def __enter__(self) -> Cluster:
        def interrupted(signum, _frame):
            raise KeyboardInterrupt(f"signal {signum}")

        self._previous = signal.signal(signal.SIGTERM, interrupted)
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
        signal.signal(signal.SIGTERM, self._previous)

    def log(self, text: str) -> None:
        print(f"[cluster {time.strftime('%H:%M:%S', time.gmtime())}Z] {text}", file=sys.stderr, flush=True)

    def start(self) -> None:
        from tests.exchange.installations import PostgresCluster  # initdb/pg_ctl as the postgres user

        started = time.monotonic()
        (self.base / "var").mkdir(parents=True, exist_ok=True)
        self.postgres = PostgresCluster(durable=self.durable).start()
        self.database_url = self.postgres.create_database("egov")
        self.redis_port = free_port()
        self.others["redis"] = Process("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                                 "--save", "", "--appendonly", "no"], dict(os.environ),
                                       self.base / "redis.log", ready=lambda: _listens(self.redis_port)).start()
        s3_port = free_port()
        self.s3_url = f"http://127.0.0.1:{s3_port}"
        self.others["s3"] = Process("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
                                    dict(os.environ), self.base / "s3.log", ready=lambda: _listens(s3_port)).start()
        self.s3().create_bucket(Bucket="egov-ho-so")
        self._smtp()
        self.env = self._environment()
        collected = None
        if not (Path(self.env["STATIC_ROOT"]) / "staticfiles.json").exists():
            collected = subprocess.Popen([str(BIN / "egov"), "manage", "collectstatic", "--noinput", "-v", "0"],
                                         cwd=BASE_DIR, env=self.env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
        if cluster_cache.restore(signing=self.signing, pg_bin=self.postgres.bin, url=self._libpq_url(), env=self.env):
            self.log(f"database restored from the saved template in {time.monotonic() - started:.0f} s")
        else:
            self.manage("migrate", "--noinput", "-v", "0", timeout=900)
            setup = "from directory.demo import load_demo\nload_demo()\n"
            if self.signing:
                self.manage("signing_pki", "setup", "--port", self.env["SIGNING_PKI_PORT"])
                setup += ("from signing import pki, setup, signers\n"
                          "setup.register_demo(pki.load(signers.pki_dir()))\n")
            self.shell(setup)
            cluster_cache.save(signing=self.signing, pg_bin=self.postgres.bin, url=self._libpq_url(), env=self.env)
        if collected is not None and collected.wait(timeout=600):
            shutil.rmtree(self.env["STATIC_ROOT"], ignore_errors=True)
            raise ClusterError("collectstatic failed")
        self.log(f"database migrated and demo loaded in {time.monotonic() - started:.0f} s")
        if self.signing:
            port = int(self.env["SIGNING_PKI_PORT"])
            self.others["pki"] = Process("pki", [str(BIN / "egov"), "manage", "signing_pki", "serve"], self.env,
                                         self.base / "pki.log", ready=lambda: _listens(port))
        if self.with_simulators:
            self._simulators()
        self.servers = [self._server(index) for index in range(self.servers_wanted)]
        self.workers = [self._worker(index) for index in range(self.workers_wanted)]
        self.others["beat"] = Process("beat", [str(BIN / "celery"), "-A", "egov", "beat", "--loglevel", "INFO",
                                               "--schedule", str(self.base / "var" / "beat-schedule")],
                                      self.env, self.base / "beat.log")
        everything = [*self.simulators.values(), *self.servers, *self.workers, self.others["beat"]]
        if self.signing:
            everything.append(self.others["pki"])
        for process in everything:  # all at once: each spends seconds importing Django
            process.spawn()
        for process in everything:
            process.wait(timeout=180)
        self.log(f"up in {time.monotonic() - started:.0f} s: {len(self.servers)} servers, {len(self.workers)} workers, "
                 f"simulators {', '.join(self.simulators)}")

    def _libpq_url(self) -> str:
        return self.database_url.replace("postgres://", "postgresql://")

    def close(self) -> None:
        every = [*self.servers, *self.workers, *self.simulators.values(), *reversed(self.others.values())]
        for process in every:  # all asked at once, then whatever is left killed
            if process.alive:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in every:
            with contextlib.suppress(Exception):
                process.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in every:
            with contextlib.suppress(Exception):
                process.kill()
        if getattr(self, "_smtp_controller", None) is not None:
            with contextlib.suppress(Exception):
                self._smtp_controller.stop()
        if getattr(self, "postgres", None) is not None:
            self.postgres.close()
        if not os.environ.get("CLUSTER_KEEP"):
            shutil.rmtree(self.base, ignore_errors=True)

    # --- environment -----------------------------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(_SETTINGS_PREFIXES)}
        redis = f"redis://127.0.0.1:{self.redis_port}"
        self.server_ports = [free_port() for _ in range(self.servers_wanted)]
        self.gateways_port, self.axis_port = free_port(), free_port()
        env.update(
            DJANGO_SETTINGS_MODULE="egov.settings", PYTHONUNBUFFERED="1", PYTHONPATH=str(BASE_DIR), LOG_LEVEL="WARNING",
            EGOV_PRODUCTION="1", EGOV_VAR_DIR=str(self.base / "var"), STATIC_ROOT=str(cluster_cache.static_root()),
            SECRET_KEY=secrets.token_urlsafe(64), AUDIT_SEAL_KEY=secrets.token_urlsafe(48),
            DATA_ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            DATA_LOOKUP_KEY=secrets.token_urlsafe(48), DATABASE_URL=self.database_url, DB_CONN_MAX_AGE="60",
            REDIS_URL=f"{redis}/1", CELERY_BROKER_URL=f"{redis}/0", ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",  # loopback: no TLS proxy in front
            EGOV_PUBLIC_URL=f"http://127.0.0.1:{self.server_ports[0]}", EGOV_DEMO_SERVICES="0",
            AWS_STORAGE_BUCKET_NAME="egov-ho-so", AWS_S3_ENDPOINT_URL=self.s3_url, AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",  # noqa: S106 - moto's
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(self.smtp_port),
            PAYMENT_SECRET=secrets.token_urlsafe(32), SIGNING_TOKEN_PIN=secrets.token_hex(6),
            SIGNING_TOKEN_SO_PIN=secrets.token_hex(6), SIGNING_TOKEN_LABEL="egov-cluster",
            SIGNING_PKI_DIR=str(self.base / "signing" / "pki"), SIGNING_SOFTHSM_DIR=str(self.base / "signing" / "hsm"),
            SIGNING_PKI_PORT=str(free_port()),
            # Short pauses: a side effect lost with a killed worker or a restarted broker is sent again soon.
            OUTBOX_GRACE_SECONDS="15", OUTBOX_DRAIN_SECONDS="5", OUTBOX_MAX_ATTEMPTS="40", AUDIT_SEAL_SECONDS="10",
        )
        if self.with_simulators:  # without them, no SMS and no exchange (the platform's settings say so)
            env.update(
                PAYMENT_GATEWAY_URL=f"{self.gateways_url}/paysim/", SMS_GATEWAY_URL=f"{self.gateways_url}/simulators/sms/send",
                SMS_API_KEY=secrets.token_hex(8), SMS_SECRET_KEY=secrets.token_hex(8),
                EXCHANGE_AXIS_URL=f"http://127.0.0.1:{self.axis_port}", EXCHANGE_SYSTEM_ID="tinh-thai-nguyen",
                EXCHANGE_SECRET=secrets.token_urlsafe(32), EXCHANGE_POLL_SECONDS="5")
        if self.with_simulators and self.national:
            for system in NATIONAL:
                env[f"NATIONAL_{system.upper()}_URL"] = f"http://127.0.0.1:{free_port()}"
                env[f"NATIONAL_{system.upper()}_TOKEN"] = secrets.token_urlsafe(24)
        env.update(self.extra_env)
        return env

    @property
    def gateways_url(self) -> str:
        return f"http://127.0.0.1:{self.gateways_port}"

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run([str(BIN / "egov"), "manage", *args], cwd=BASE_DIR, env=self.env, capture_output=True,
                              text=True, timeout=timeout)
        if done.returncode:
            raise ClusterError(f"egov manage {' '.join(args)[:120]}: {done.stdout[-2000:]}{done.stderr[-4000:]}")
        return done.stdout

    def shell(self, script: str, timeout: float = 300) -> str:
        """Run ``script`` in ``egov manage shell`` with the cluster's environment; its output."""
        return self.manage("shell", "-c", script, timeout=timeout)

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self._libpq_url(), autocommit=True)

    def s3(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.s3_url, region_name="us-east-1", aws_access_key_id="testing",
                            aws_secret_access_key="testing")  # noqa: S106 - moto's

    def _smtp(self) -> None:
        from email import message_from_bytes, policy

        from aiosmtpd.controller import Controller

        messages = self.messages

        class Inbox:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
                return "250 OK"

        self.smtp_port = free_port()
        self._smtp_controller = Controller(Inbox(), hostname="127.0.0.1", port=self.smtp_port)
        self._smtp_controller.start()

    # --- the platform's processes --------------------------------------------------------------------
    def _server(self, index: int) -> Process:
        port = self.server_ports[index]
        argv = [sys.executable, "-m", "gunicorn", "egov.wsgi:application", "--bind", f"127.0.0.1:{port}",
                "--worker-class", "gthread", "--workers", str(self.web_workers), "--threads", str(self.threads),
                "--timeout", "60", "--graceful-timeout", "10", "--log-level", "warning"]
        return Process(f"server {index + 1}", argv, self.env, self.base / f"server{index + 1}.log",
                       ready=lambda: _answers(f"http://127.0.0.1:{port}/healthz"), url=f"http://127.0.0.1:{port}")

    def _worker(self, index: int) -> Process:
        argv = [str(BIN / "celery"), "-A", "egov", "worker", "-n", f"worker{index + 1}@%h", "--concurrency",
                str(self.concurrency), "--without-gossip", "--without-mingle", "--loglevel", "INFO"]
        return Process(f"worker {index + 1}", argv, self.env, self.base / f"worker{index + 1}.log",
                       ready=lambda: "ready." in _since_start(self.base / f"worker{index + 1}.log"))

    def _simulators(self) -> None:
        sims = dict(self.env)
        # The gateways' simulators are pages of the platform that production mode refuses to serve:
        # a server of their own in the embedded mode, on the same database.
        for name in ("EGOV_PRODUCTION", "REDIS_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME"):
            sims.pop(name, None)
        sims.update(EGOV_SIMULATORS="1", SMS_SIMULATOR_API_KEY=self.env["SMS_API_KEY"],
                    SMS_SIMULATOR_SECRET_KEY=self.env["SMS_SECRET_KEY"], EGOV_VAR_DIR=str(self.base / "gateways"))
        (self.base / "gateways").mkdir(exist_ok=True)
        self.simulators["gateways"] = Process(
            "gateways", [sys.executable, "-m", "gunicorn", "egov.wsgi:application", "--bind",
                         f"127.0.0.1:{self.gateways_port}", "--worker-class", "gthread", "--workers", "1",
                         "--threads", "8", "--log-level", "warning"], sims, self.base / "gateways.log",
            ready=lambda: _answers(f"{self.gateways_url}/healthz"), url=self.gateways_url)
        folder = self.base / "axis"
        folder.mkdir(exist_ok=True)
        with self.connect() as conn:
            codes = [row[0] for row in conn.execute("SELECT code FROM directory_agency")]
        organs = sorted({f"*.{code.rpartition('.')[2]}" if "." in code else code for code in codes})
        (folder / "config.json").write_text(json.dumps({"systems": [{
            "id": self.env["EXCHANGE_SYSTEM_ID"], "secret": self.env["EXCHANGE_SECRET"], "organs": organs}],
            "max_bytes": 50 * 1024 * 1024}))
        axis = self.env["EXCHANGE_AXIS_URL"]
        self.simulators["axis"] = Process(
            "axis", [sys.executable, "-m", "simulators.axis", "--port", str(self.axis_port), "--db",
                     str(folder / "axis.sqlite3"), "--config", str(folder / "config.json")], self.env,
            self.base / "axis.log", ready=lambda: _answers(f"{axis}/health"), url=axis)
        if self.national:
            for system in NATIONAL:
                url = self.env[f"NATIONAL_{system.upper()}_URL"]
                self.simulators[system] = Process(
                    system, [sys.executable, "-m", f"simulators.national.{system}", "--port", url.rsplit(":", 1)[1],
                             "--data", str(self.base / "national"), f"--secret={self.env[f'NATIONAL_{system.upper()}_TOKEN']}"],
                    self.env, self.base / f"{system}.log", ready=lambda url=url: _answers(f"{url}/health"), url=url)

    # --- faults ------------------------------------------------------------------------------------------
    def kill_web_worker(self, index: int = 0) -> int:
        """kill -9 one gunicorn worker of server ``index`` (its master starts another); its pid."""
        children = self.servers[index].children()
        if not children:
            raise ClusterError(f"server {index + 1} has no worker to kill")
        os.kill(children[0], signal.SIGKILL)
        return children[0]

    def busy_pool_process(self, index: int) -> bool:
        """Whether a pool process of worker ``index`` is using the CPU (a task running) right now."""
        def cpu(pid: int) -> int:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                return int(fields[11]) + int(fields[12])
            return 0

        pool = self.workers[index].children()
        before = {pid: cpu(pid) for pid in pool}
        time.sleep(0.1)
        return any(cpu(pid) > ticks for pid, ticks in before.items())

    def kill_worker(self, index: int = 0, *, wait: float = 20, restart_after: float = 3) -> bool:
        """kill -9 Celery worker ``index`` with its pool, while a task runs if one starts within
        ``wait`` seconds; started again after ``restart_after`` seconds (as its supervisor would).
        Whether it was caught mid-task."""
        deadline = time.monotonic() + wait
        busy = False
        while time.monotonic() < deadline and not (busy := self.busy_pool_process(index)):
            pass
        self.workers[index].kill()
        time.sleep(restart_after)
        self.workers[index].start()
        return busy

    def restart_redis(self, down: float = 2) -> None:
        """Redis stopped (no persistence: the broker's queue and the cache are lost) and started again."""
        self.others["redis"].kill()
        time.sleep(down)
        self.others["redis"].start()

    def restart_postgres(self) -> None:
        """pg_ctl restart -m fast: every connection of every process is cut; the data stays."""
        self.postgres.restart()

    def stop_simulator(self, name: str) -> None:
        self.simulators[name].stop()

    def start_simulator(self, name: str) -> None:
        self.simulators[name].start()

    def logs(self, lines: int = 20) -> str:
        every = [*self.servers, *self.workers, *self.simulators.values(), *self.others.values()]
        return "\n".join(f"--- {p.name}:\n{_tail(p.log, lines)}" for p in every)
