"""Benchmark: dossier submission and public lookup against minimal Django views, on PostgreSQL.

    bench/run.sh [--duration 10] [--warmup 3] [--connections 32] [--workers 2] [--threads 8] [--profile]

One run: create a throw-away database, migrate it, load the demo directory, prepare drafts, serve
the platform (bench.settings: the platform's settings plus two baseline views) with gunicorn,
load it with bench/loadgen.py, measure four endpoints, time one request's steps in-process,
print a table, write bench/results/latest.json, then stop gunicorn and drop the database (also on
failure or Ctrl-C). See docs/benchmarks.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class BenchFailed(RuntimeError):
    pass


_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[bench +{time.monotonic() - _T0:5.1f}s] {message}", file=sys.stderr, flush=True)


# --- Environment (before Django is imported) ------------------------------------------------------

def _environment(db_name: str, tmp: Path) -> dict:
    admin = PG_ADMIN.rsplit("/", 1)[0]
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{admin}/{db_name}",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        # A key of its own and files in a temporary directory: nothing of the installation is touched.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "EGOV_VAR_DIR": str(tmp / "var"),
        "MEDIA_ROOT": str(tmp / "media"),
    }
    # The embedded default, but on PostgreSQL: no Redis, no broker, no S3, no SMTP, no SMS gateway.
    for name in ("EGOV_PRODUCTION", "EGOV_DEBUG", "REDIS_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME",
                 "EMAIL_HOST", "SMS_GATEWAY_URL", "ROOT_URLCONF"):
        os.environ.pop(name, None)
    os.environ.update(env)
    return env


def _admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Setup -------------------------------------------------------------------------------------

def _prepare(drafts_wanted: int, sessions_wanted: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.middleware.csrf import get_token
    from django.test import Client, RequestFactory

    from directory.demo import load_demo
    from dossiers import services
    from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_row (id bigserial PRIMARY KEY, payload text, "
                       "created_at timestamptz NOT NULL DEFAULT now())")
    log(f"migrated in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    demo = load_demo()
    citizen = demo.users["congdan@example.vn"]
    agency = demo.agencies["01840"]  # UBND phường Đức Xuân
    procedure = make_procedure(agencies=[agency])
    papers = list(procedure.current.papers.filter(required=True).order_by("order"))
    log(f"demo directory and procedure {procedure.code} loaded in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    drafts = []
    for _ in range(drafts_wanted):
        dossier = services.start_draft(applicant=citizen, procedure=procedure, agency=agency)
        services.save_draft(dossier=dossier, applicant=citizen, form_values=BIRTH_VALUES)
        services.attach_papers(dossier=dossier, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
        drafts.append(dossier.pk)
    elapsed = time.perf_counter() - started
    log(f"{len(drafts)} drafts prepared in {elapsed:.1f} s ({elapsed / max(1, len(drafts)) * 1000:.1f} ms each)")

    # One signed-in session per connection, as that many browsers of the citizen would have, each
    # with its CSRF cookie and the masked token a form of the platform would carry.
    sessions = []
    for _ in range(sessions_wanted):
        client = Client()
        client.force_login(citizen)
        request = RequestFactory().get("/")
        token = get_token(request)
        cookie = f"sessionid={client.cookies['sessionid'].value}; egov_language=vi; csrftoken={request.META['CSRF_COOKIE']}"
        sessions.append({"cookie": cookie, "token": token})
    return {"citizen": citizen, "procedure": procedure, "agency": agency, "drafts": drafts, "sessions": sessions,
            "papers": papers}


def _extra_drafts(ctx: dict, count: int) -> list[int]:
    from dossiers import services
    from tests.factories import BIRTH_VALUES, pdf_file, png_file

    citizen, papers = ctx["citizen"], ctx["papers"]
    made = []
    for _ in range(count):
        dossier = services.start_draft(applicant=citizen, procedure=ctx["procedure"], agency=ctx["agency"])
        services.save_draft(dossier=dossier, applicant=citizen, form_values=BIRTH_VALUES)
        services.attach_papers(dossier=dossier, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
        made.append(dossier.pk)
    return made


# --- Server ------------------------------------------------------------------------------------

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


# --- What the database is doing during a phase --------------------------------------------------

def _normalise(query: str) -> str:
    query = re.sub(r"'[^']*'", "?", query or "")
    query = re.sub(r"\b\d+\b", "N", query)
    query = re.sub(r'"', "", query)
    return re.sub(r"\s+", " ", query)[:150]


class DbSampler(threading.Thread):
    """Samples pg_stat_activity and pg_locks every 20 ms: how many backends of the benchmark's
    database run, wait for a lock (which lock, which statement), wait for the WAL, or sit idle in a
    transaction (holding its locks) while Python works."""

    def __init__(self, database_url: str):
        super().__init__(daemon=True)
        self.url = database_url
        self.stop_event = threading.Event()
        self.samples = 0
        self.states: Counter = Counter()
        self.locks: Counter = Counter()
        self.statements: Counter = Counter()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop_event.wait(0.02):
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend'").fetchall()
                waiting = conn.execute(
                    "SELECT l.locktype, coalesce(l.relation::regclass::text, ''), l.mode FROM pg_locks l "
                    "JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE NOT l.granted AND a.datname = current_database()").fetchall()
                self.samples += 1
                for state, wait_type, wait_event, query in rows:
                    if state == "active":
                        if wait_type == "Lock":
                            self.states["active: waiting for a lock"] += 1
                            self.statements[_normalise(query)] += 1
                        elif wait_type in {"IO", "LWLock"}:
                            self.states[f"active: waiting {wait_type}:{wait_event}"] += 1
                        else:
                            self.states["active: running"] += 1
                    elif state and state.startswith("idle in transaction"):
                        self.states["idle in transaction (the app works, locks held)"] += 1
                for locktype, relation, mode in waiting:
                    self.locks[f"{locktype} {relation} {mode}".replace("  ", " ")] += 1

    def summary(self) -> dict:
        n = max(1, self.samples)
        return {"samples": self.samples,
                "mean_backends": {k: round(v / n, 2) for k, v in self.states.most_common()},
                "mean_lock_waits_by_lock": {k: round(v / n, 2) for k, v in self.locks.most_common(6)},
                "mean_lock_waits_by_statement": {k: round(v / n, 2) for k, v in self.statements.most_common(4)}}


def _commit_floor(database_url: str, count: int = 200) -> dict:
    """Milliseconds of one autocommitted single-row INSERT from Python (p50), with the server's
    synchronous_commit (on: the commit waits for the WAL flush) and without (off): the floor
    under every write request on this machine."""
    import psycopg

    floor = {}
    with psycopg.connect(database_url, autocommit=True) as conn:
        for mode in ("on", "off"):
            conn.execute(f"SET synchronous_commit = {mode}")
            times = []
            for _ in range(count):
                begin = time.perf_counter()
                conn.execute("INSERT INTO bench_row (payload) VALUES ('floor')")
                times.append((time.perf_counter() - begin) * 1000)
            times.sort()
            floor[f"synchronous_commit={mode}"] = {"p50_ms": round(times[len(times) // 2], 2),
                                                   "p99_ms": round(times[int(len(times) * 0.99) - 1], 2)}
        conn.execute("TRUNCATE bench_row")
    return floor


def _ppid(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])


def _postmaster_pid() -> int | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        return _ppid(backend)
    except OSError:
        return None


# --- Load phases -------------------------------------------------------------------------------

def _phase(kind: str, server: Server, args, tmp: Path, *, sessions=None, drafts=None, codes=None,
           sampler_url: str | None = None, pids: dict) -> dict:
    spec = {"base": server.base, "kind": kind, "connections": args.connections, "warmup_s": args.warmup,
            "duration_s": args.duration, "sessions": sessions or [], "drafts": drafts or [], "codes": codes or [],
            "pids": pids, "database": args.database, "seed": 2026}
    path = tmp / f"spec-{kind}.json"
    path.write_text(json.dumps(spec))
    sampler = DbSampler(sampler_url) if sampler_url else None
    if sampler:
        sampler.start()
    log(f"{kind}: {args.warmup:g} s warm-up + {args.duration:g} s measured at {args.connections} connections")
    try:
        done = subprocess.run([sys.executable, "-m", "bench.loadgen", str(path)], cwd=BASE_DIR, capture_output=True,
                              text=True, timeout=args.warmup + args.duration + 120, check=False)
    finally:
        if sampler:
            sampler.stop_event.set()
            sampler.join()
    if done.returncode != 0:
        raise BenchFailed(f"load generator failed for {kind}:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout)
    if sampler:
        result["database"] = sampler.summary()
    log(f"{kind}: {result['rps']} req/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"errors {result['errors']}, cpu {result.get('cpu_cores')}")
    return result


def _ratio(ours: dict, baseline: dict) -> dict:
    def div(a, b):
        return round(a / b, 3) if a and b else None

    return {"rps": div(ours["rps"], baseline["rps"]), "p50": div(ours["p50_ms"], baseline["p50_ms"]),
            "p99": div(ours["p99_ms"], baseline["p99_ms"])}


def _table(results: dict, ratios: dict) -> str:
    lines = [f"{'endpoint':<24}{'req/s':>9}{'p50 ms':>10}{'p99 ms':>10}{'errors':>9}{'requests':>10}"]

    def row(label, r):
        lines.append(f"{label:<24}{r['rps']:>9.1f}{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}{r['errors']:>9}"
                     f"{r['requests']:>10}")

    def ratio_row(q):
        lines.append(f"{'ratio ours/baseline':<24}{q['rps']:>9.2f}{q['p50']:>10.1f}{q['p99']:>10.1f}")

    row("submit (ours)", results["submit"])
    row("insert (baseline)", results["insert"])
    ratio_row(ratios["submit"])
    if "submit_whatif" in results:
        row("submit (what-if lock)", results["submit_whatif"])
        ratio_row(ratios["submit_whatif"])
    row("lookup (ours)", results["lookup"])
    row("select (baseline)", results["select"])
    ratio_row(ratios["lookup"])
    return "\n".join(lines)


def _breakdown_table(breakdown: dict) -> str:
    lines = ["In-process, one request at a time (Django test client, no HTTP): ms and queries per request"]
    for name in ("submit", "insert", "lookup", "select"):
        b = breakdown[name]
        lines.append(f"  {name:<8} {b['ms_per_request']:>7.2f} ms  {b['queries_per_request']:>5.1f} queries  "
                     f"{b['db_ms_per_request']:>6.2f} ms in the database")
    lines.append("  submit steps (inclusive ms, queries issued directly in the step, their ms):")
    for label, s in breakdown["submit"]["steps"].items():
        if label == "request":
            continue
        lines.append(f"    {label:<58}{s['ms']:>7.2f} ms {s['queries']:>5.1f} q {s['db_ms']:>6.2f} ms")
    for label, held in breakdown["submit"]["lock_held_ms"].items():
        lines.append(f"  lock held: {label:<50}{held:>7.2f} ms")
    return "\n".join(lines)


# --- Main --------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10, help="measured seconds per endpoint (10)")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds per endpoint (3)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2: one per core)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (8)")
    parser.add_argument("--drafts", type=int, default=600,
                        help="drafts to prepare (600: 13 s at up to 45 submissions/s); if they run out, the "
                             "measured submit phase ends early, at the last answer")
    parser.add_argument("--breakdown", type=int, default=60, help="requests timed in-process per endpoint (60)")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile 20 in-process submits and lookups (bench/results/*.pstats)")
    parser.add_argument("--what-if-own-row-lock", action="store_true",
                        help="then submit again on a server where select_for_update() on dossiers locks the "
                             "dossier row only (bench/whatif.py; prepares 800 more drafts)")
    parser.add_argument("--database", default=os.environ.get("BENCH_DB", "egov_bench"))
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database at the end")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        parser.error("--database: lower-case letters, digits and _ only")
    drafts_wanted = args.drafts

    # Ctrl-C and SIGTERM unwind through the finally below, which cleans up.
    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    tmp = Path(tempfile.mkdtemp(prefix="egov-bench-"))
    server = None
    database_created = False
    started = time.perf_counter()
    load_at_start = os.getloadavg()
    try:
        env = _environment(args.database, tmp)
        log(f"creating database {args.database}")
        _admin_sql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)', f'CREATE DATABASE "{args.database}"')
        database_created = True
        sys.path.insert(0, str(BASE_DIR))
        import django

        django.setup()
        from django.db import connection

        ctx = _prepare(drafts_wanted, args.connections)
        breakdown_drafts = _extra_drafts(ctx, args.breakdown + 5)
        profile_drafts = _extra_drafts(ctx, 20) if args.profile else []
        whatif_drafts = _extra_drafts(ctx, 800) if args.what_if_own_row_lock else []
        postmaster = _postmaster_pid()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
        connection.close()
        floor = _commit_floor(env["DATABASE_URL"])
        log(f"one autocommitted INSERT from Python: {floor}")

        server = Server(_free_port(), args.workers, args.threads, tmp)
        server.start()
        log(f"gunicorn on {server.base} (gthread, {args.workers} workers x {args.threads} threads)")
        pids = {"gunicorn": server.process.pid}
        if postmaster:
            pids["postgres"] = postmaster

        results = {}
        results["insert"] = _phase("insert", server, args, tmp, sessions=ctx["sessions"], pids=pids,
                                   sampler_url=env["DATABASE_URL"])
        results["submit"] = _phase("submit", server, args, tmp, sessions=ctx["sessions"], drafts=ctx["drafts"],
                                   pids=pids, sampler_url=env["DATABASE_URL"])
        from dossiers.models import Dossier
        from dossiers.states import Status

        codes = list(Dossier.objects.exclude(code=None).order_by("?").values_list("code", flat=True)[:5000])
        connection.close()
        results["select"] = _phase("select", server, args, tmp, codes=codes, pids=pids)
        results["lookup"] = _phase("lookup", server, args, tmp, codes=codes, pids=pids)
        server.stop()
        all_drafts = list(ctx["drafts"])
        if whatif_drafts:
            from bench.whatif import ENV

            server = Server(_free_port(), args.workers, args.threads, tmp, extra_env={ENV: "1"})
            server.start()
            pids["gunicorn"] = server.process.pid
            log("what-if server: select_for_update() on dossiers locks the dossier row only")
            results["submit_whatif"] = _phase("submit", server, args, tmp, sessions=ctx["sessions"],
                                              drafts=whatif_drafts, pids=pids, sampler_url=env["DATABASE_URL"])
            all_drafts += whatif_drafts
            server.stop()

        # Validity: no errors, enough drafts, and the database agrees with what the client saw.
        problems = [f"{kind}: {r['errors']} errors {r['failures']}" for kind, r in results.items() if r["errors"]]
        for kind in ("submit", "submit_whatif"):
            if kind in results and results[kind]["exhausted"]:
                log(f"{kind}: the drafts ran out; the measured phase ended after "
                    f"{results[kind]['duration_s']} s (more with --drafts)")
        for kind, r in results.items():
            if r["requests"] < 30:
                problems.append(f"{kind}: only {r['requests']} measured requests; too few to judge")
            elif r["requests"] < 200:
                log(f"{kind}: {r['requests']} measured requests only: its p99 is close to its maximum")
        submitted = Dossier.objects.filter(pk__in=all_drafts).exclude(status=Status.DRAFT).count()
        answered = sum(r["ok_total"] for kind, r in results.items() if kind.startswith("submit"))
        if submitted != answered:
            problems.append(f"submit: {answered} answered 302 but {submitted} dossiers submitted")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM bench_row")
            rows = cursor.fetchone()[0]
        if rows != results["insert"]["ok_total"]:
            problems.append(f"insert: {results['insert']['ok_total']} answered 302 but {rows} rows inserted")
        if server.log_tail():
            log("gunicorn error log (tail):\n" + server.log_tail())
        if problems:
            raise BenchFailed("INVALID RUN:\n  " + "\n  ".join(problems))

        log(f"in-process breakdown: {args.breakdown} requests per endpoint")
        from bench import breakdown as breakdown_module

        RESULTS.mkdir(exist_ok=True)
        breakdown = breakdown_module.run(user=ctx["citizen"], drafts=breakdown_drafts, codes=codes[:50],
                                         profile_dir=str(RESULTS) if args.profile else None,
                                         profile_drafts=profile_drafts)

        ratios = {"submit": _ratio(results["submit"], results["insert"]),
                  "lookup": _ratio(results["lookup"], results["select"])}
        if "submit_whatif" in results:
            ratios["submit_whatif"] = _ratio(results["submit_whatif"], results["insert"])
        table = _table(results, ratios)
        report = {
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "postgres": pg_version,
                        "django": django.get_version(), "loadavg_at_start": load_at_start},
            "server": {"gunicorn": f"gthread, {args.workers} workers x {args.threads} threads",
                       "DB_CONN_MAX_AGE": 60, "cache": "local memory", "LOG_LEVEL": "WARNING",
                       "EGOV_PRODUCTION": False},
            "load": {"connections": args.connections, "warmup_s": args.warmup, "duration_s": args.duration},
            "results": results,
            "ratios": ratios,
            "commit_floor": floor,
            "breakdown": {k: v for k, v in breakdown.items() if k != "profiles"},
            "table": table,
            "total_seconds": round(time.perf_counter() - started, 1),
        }
        (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        print()
        print(table)
        print()
        print(_breakdown_table(breakdown))
        for kind in ("submit", "insert", "lookup", "select"):
            cpu = results[kind].get("cpu_cores") or {}
            print(f"  cpu cores used during {kind:<7}: " + ", ".join(f"{k} {v}" for k, v in cpu.items()))
        for kind in ("submit", "insert", "submit_whatif"):
            db = results.get(kind, {}).get("database")
            if db:
                print(f"  database during {kind} (mean backends per sample): {db['mean_backends']}")
                print(f"    waiting on locks: {db['mean_lock_waits_by_lock']}")
                for statement, mean in db["mean_lock_waits_by_statement"].items():
                    print(f"    {mean:>6.2f} waiting in: {statement}")
        for name, text in breakdown.get("profiles", {}).items():
            print(f"\ncProfile of 20 in-process {name} requests (bench/results/{name}.pstats):")
            print(text)
        print(f"  one autocommitted INSERT round trip, p50: {floor}")
        print(f"  load average when the run started: {report['machine']['loadavg_at_start']}")
        print(f"\nwritten: {RESULTS / 'latest.json'}  (total {report['total_seconds']} s)")
        return 0
    except BenchFailed as error:
        log(str(error))
        return 1
    finally:
        if server is not None:
            server.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        if database_created and not args.keep_database:
            try:
                _admin_sql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
                log(f"database {args.database} dropped")
            except Exception as error:
                log(f"could not drop database {args.database}: {error}")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
