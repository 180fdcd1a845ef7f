"""The two installations bench/submit_lookup.py measures, each a context manager that sets Django up
in the benchmark's process against its database and leaves a server answering at ``base``:

- :class:`Embedded`: the embedded default, but on PostgreSQL: a throw-away database on the machine's
  PostgreSQL and one gunicorn (bench.settings); no broker, so background work runs in the server
  process after the response; local-memory cache; files in a folder.
- :class:`Production`: production mode (bench/cluster.py): one gunicorn server, one Celery worker and
  beat, Redis (cache and broker), the S3 stand-in, a PostgreSQL of its own; the servers run
  bench.settings too, so that the baselines are served by the same processes.

Both give the benchmark the same things: ``base``, ``database_url``, ``database`` (its name),
``pids`` (named processes whose CPU and memory are read), ``tmp``, :meth:`settle`,
:meth:`describe` and :meth:`error_log`.
"""

import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import submit_prepare
from bench.processes import free_port
from bench.submit_server import Server
from bench.throwaway import FOREIGN, PG_ADMIN, BenchFailed, admin_sql, log

BASE_DIR = Path(__file__).resolve().parent.parent
# The servers of the cluster serve the baselines too; the outbox's pauses are production's defaults,
# not the short ones bench/cluster.py sets for its fault tests.
PRODUCTION_ENV = {"DJANGO_SETTINGS_MODULE": "bench.settings", "OUTBOX_GRACE_SECONDS": "300",
                  "OUTBOX_DRAIN_SECONDS": "60", "OUTBOX_MAX_ATTEMPTS": "8"}


def _setup_django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


class _Mode:
    """Entering starts the installation (:meth:`_open`, then :meth:`_start`); a failure half-way
    stops what was started. Leaving closes this process's connections, then :meth:`_close`."""

    def _open(self) -> None:
        pass

    def __enter__(self):
        self._open()
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        self._close()


class Embedded(_Mode):
    name = "embedded"
    title = "Embedded default on PostgreSQL: gunicorn, background work in the server after the response"

    def __init__(self, args):
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
            raise BenchFailed("--database: lower-case letters, digits and _ only")
        self.args = args
        self.database = args.database
        self.tmp = Path(tempfile.mkdtemp(prefix="egov-bench-"))
        self.server: Server | None = None
        self.created = False

    def _start(self) -> None:
        for name in (*FOREIGN, "ROOT_URLCONF"):  # no Redis, broker, S3, SMTP or SMS gateway of the shell
            os.environ.pop(name, None)
        self.database_url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{self.database}"
        os.environ.update({
            "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": self.database_url, "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            # A key of its own and files in a temporary directory: nothing of the installation is touched.
            "SECRET_KEY": secrets.token_urlsafe(50), "EGOV_VAR_DIR": str(self.tmp / "var"),
            "MEDIA_ROOT": str(self.tmp / "media"),
        })
        log(f"creating database {self.database}")
        admin_sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)', f'CREATE DATABASE "{self.database}"')
        self.created = True
        _setup_django()
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", "--noinput", verbosity=0)
        submit_prepare.baseline_table()
        log(f"migrated in {time.perf_counter() - started:.1f} s")
        self.restart()

    def restart(self, extra_env: dict | None = None) -> None:
        """(Re)start the server, with ``extra_env`` added to its environment (the what-if)."""
        if self.server is not None:
            self.server.stop()
        self.server = Server(free_port(), self.args.workers, self.args.threads, self.tmp, extra_env=extra_env)
        self.server.start()
        self.base = self.server.base
        self.pids = {"gunicorn": self.server.process.pid}
        log(f"gunicorn on {self.base} (gthread, {self.args.workers} workers x {self.args.threads} threads)")

    def settle(self) -> float:
        return 0.0  # nothing runs outside the requests

    def describe(self) -> dict:
        return {"gunicorn": f"1 server, gthread, {self.args.workers} workers x {self.args.threads} threads",
                "background work": "in the server process, after the response (no broker)",
                "cache": "local memory, per process", "files": "a local folder", "DB_CONN_MAX_AGE": 60,
                "LOG_LEVEL": "WARNING", "EGOV_PRODUCTION": False,
                "database": f"{self.database} on the machine's PostgreSQL"}

    def error_log(self) -> str:
        return self.server.log_tail() if self.server else ""

    def __exit__(self, *_exc) -> None:
        if self.server is not None:  # before the connections: its requests may still hold the database
            self.server.stop()
        super().__exit__()

    def _close(self) -> None:
        if self.created and not self.args.keep_database:
            try:
                admin_sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
                log(f"database {self.database} dropped")
            except Exception as error:
                log(f"could not drop database {self.database}: {error}")
        shutil.rmtree(self.tmp, ignore_errors=True)


class Production(_Mode):
    name = "production"
    title = "Production mode: gunicorn, Celery worker and beat, Redis, S3 stand-in (bench/cluster.py)"

    def __init__(self, args):
        from bench.cluster import Cluster

        self.args = args
        self.cluster = Cluster(servers_wanted=1, workers_wanted=1, web_workers=args.workers, threads=args.threads,
                               concurrency=args.celery_concurrency, with_simulators=False, durable=True,
                               extra_env=PRODUCTION_ENV)

    def _open(self) -> None:
        self.cluster.__enter__()

    def _start(self) -> None:
        from bench.cluster import _SETTINGS_PREFIXES

        cluster = self.cluster
        # This process speaks to the cluster's database, Redis and bucket with the cluster's keys, as
        # its servers do: drafts prepared here are read there.
        for name in [name for name in os.environ if name.startswith(_SETTINGS_PREFIXES)]:
            os.environ.pop(name)
        os.environ.update(cluster.env)
        _setup_django()
        submit_prepare.baseline_table()
        self.database_url = cluster.database_url.replace("postgres://", "postgresql://")
        self.database = self.database_url.rsplit("/", 1)[1]
        self.tmp = cluster.base
        self.base = cluster.servers[0].url
        self.pids = {"gunicorn": cluster.servers[0].process.pid, "celery": cluster.workers[0].process.pid,
                     "beat": cluster.others["beat"].process.pid, "redis": cluster.others["redis"].process.pid,
                     "s3": cluster.others["s3"].process.pid}
        log(f"cluster: gunicorn on {self.base} (gthread, {self.args.workers} workers x {self.args.threads} threads), "
            f"1 Celery worker (concurrency {self.args.celery_concurrency}) and beat, Redis, S3 stand-in")

    def settle(self, timeout: float = 240.0) -> float:
        """Wait until the broker's queue is empty and the Celery worker idle for a second, so that the
        work one phase left behind does not load the next; the seconds waited."""
        import redis

        from bench.loadgen import family_cpu

        broker = redis.Redis.from_url(self.cluster.env["CELERY_BROKER_URL"])
        started, quiet = time.monotonic(), 0
        try:
            while quiet < 2:
                if time.monotonic() - started > timeout:
                    log(f"the Celery worker is still busy after {timeout:.0f} s; going on")
                    break
                before = family_cpu(self.pids["celery"])
                time.sleep(0.5)
                idle = family_cpu(self.pids["celery"]) - before < 0.05 and broker.llen("celery") == 0
                quiet = quiet + 1 if idle else 0
        finally:
            broker.close()
        return round(time.monotonic() - started, 1)

    def describe(self) -> dict:
        return {"gunicorn": f"1 server, gthread, {self.args.workers} workers x {self.args.threads} threads",
                "background work": f"1 Celery worker (prefork, concurrency {self.args.celery_concurrency}, acks late, "
                                   "prefetch 1) and beat",
                "cache": "Redis (its own, no persistence), also the broker", "files": "S3 stand-in (moto server)",
                "DB_CONN_MAX_AGE": 60, "LOG_LEVEL": "WARNING", "EGOV_PRODUCTION": True,
                "database": "a PostgreSQL cluster of its own (initdb, pg_ctl)"}

    def error_log(self) -> str:
        from bench.processes import _since_start

        server = _since_start(self.cluster.servers[0].log).split("\n", 1)[-1].strip()
        worker = [line for line in _since_start(self.cluster.workers[0].log).splitlines()
                  if "ERROR" in line or "Traceback" in line]
        return "\n".join([*server.splitlines()[-40:], *worker[-20:]])

    def _close(self) -> None:
        self.cluster.__exit__(None, None, None)
