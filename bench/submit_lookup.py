"""Benchmark: dossier submission and public lookup against minimal Django views, in both modes.

    bench/run.sh [--mode both|embedded|production] [--duration 10] [--warmup 3] [--connections 32]
                 [--workers 2] [--threads 8] [--celery-concurrency 2] [--drafts 600] [--profile]

One mode (bench/submit_modes.py): set its installation up (embedded: a throw-away database and one
gunicorn with bench.settings; production: bench/cluster.py with bench.settings), prepare drafts and
sessions (bench/submit_prepare.py), load the server with bench/loadgen.py on four endpoints (submit,
insert, lookup, select), sampling CPU, memory and the database's locks, check that the database agrees
with the client, time one request's steps in-process (embedded mode), print (bench/submit_report.py),
then stop everything (also on failure, Ctrl-C or SIGTERM). ``--mode both`` (the default) runs each mode
in a process of its own, one after the other, and prints them side by side. Writes
bench/results/latest.json ({"modes": {mode: report}}). See docs/benchmarks.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import submit_report
from bench.submit_server import Server  # noqa: F401 - scripts/sqlmap_scan.py takes it from here
from bench.throwaway import BenchFailed, log

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
MODES = ("embedded", "production")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=(*MODES, "both"), default="both",
                        help="embedded default, production mode, or both one after the other (both)")
    parser.add_argument("--duration", type=float, default=10, help="measured seconds per endpoint (10)")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds per endpoint (3)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2: one per core)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (8)")
    parser.add_argument("--celery-concurrency", type=int, default=2,
                        help="production mode: pool processes of the Celery worker (2: one per core)")
    parser.add_argument("--drafts", type=int, default=600,
                        help="drafts to prepare (600: 13 s at up to 45 submissions/s); if they run out, the "
                             "measured submit phase ends early, at the last answer")
    parser.add_argument("--breakdown", type=int, default=60,
                        help="embedded mode: requests timed in-process per endpoint (60)")
    parser.add_argument("--profile", action="store_true",
                        help="embedded mode: also cProfile 20 in-process submits and lookups (bench/results/*.pstats)")
    parser.add_argument("--what-if-own-row-lock", action="store_true",
                        help="embedded mode: then submit again on a server where select_for_update() on dossiers "
                             "locks the dossier row only (bench/whatif.py; prepares 800 more drafts)")
    parser.add_argument("--database", default=os.environ.get("BENCH_DB", "egov_bench"),
                        help="embedded mode: the throw-away database (production mode has a PostgreSQL of its own)")
    parser.add_argument("--keep-database", action="store_true", help="embedded mode: do not drop the database")
    parser.add_argument("--report-to", type=Path, help=argparse.SUPPRESS)  # --mode both: one mode's report
    return parser.parse_args(argv)


def _child_argv(args: argparse.Namespace, mode: str, report: Path) -> list[str]:
    argv = ["--mode", mode, "--report-to", str(report)]
    for option in ("duration", "warmup", "connections", "workers", "threads", "celery_concurrency", "drafts",
                   "breakdown", "database"):
        argv += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    for flag in ("profile", "what_if_own_row_lock", "keep_database"):
        if getattr(args, flag):
            argv.append(f"--{flag.replace('_', '-')}")
    return argv


def _machine() -> dict:
    import django

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "django": django.get_version(),
            "loadavg_at_start": [round(load, 2) for load in os.getloadavg()]}


# --- One mode --------------------------------------------------------------------------------------

def _phase(kind: str, target, args, *, pids: dict, sessions=None, drafts=None, codes=None,
           sample_database: bool = False) -> dict:
    from bench.submit_probes import DbSampler

    spec = {"base": target.base, "kind": kind, "connections": args.connections, "warmup_s": args.warmup,
            "duration_s": args.duration, "sessions": sessions or [], "drafts": drafts or [], "codes": codes or [],
            "pids": pids, "memory": list(submit_report.MEMORY_KINDS), "database": target.database, "seed": 2026}
    path = target.tmp / f"spec-{kind}.json"
    path.write_text(json.dumps(spec))
    sampler = DbSampler(target.database_url) if sample_database else None
    if sampler:
        sampler.start()
    log(f"{target.name} {kind}: {args.warmup:g} s warm-up + {args.duration:g} s measured at {args.connections} connections")
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
    log(f"{target.name} {kind}: {result['rps']} req/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"errors {result['errors']}, cpu {result.get('cpu_cores')}")
    return result


def _phases(target, args, ctx: dict, pids: dict) -> tuple[dict, dict]:
    """The four load phases, each after the background work of the one before is done."""
    from django.db import connection

    from dossiers.models import Dossier

    results, settled = {}, {}
    settled["insert"] = target.settle()
    results["insert"] = _phase("insert", target, args, sessions=ctx["sessions"], pids=pids, sample_database=True)
    settled["submit"] = target.settle()
    results["submit"] = _phase("submit", target, args, sessions=ctx["sessions"], drafts=ctx["drafts"], pids=pids,
                               sample_database=True)
    codes = list(Dossier.objects.exclude(code=None).order_by("?").values_list("code", flat=True)[:5000])
    connection.close()
    for kind in ("select", "lookup"):
        settled[kind] = target.settle()
        results[kind] = _phase(kind, target, args, codes=codes, pids=pids)
    return results, {"codes": codes, "settle_s": settled}


def _check(results: dict, drafts: list[int], target) -> None:
    """No errors, enough requests, and the database agrees with what the client saw."""
    from django.db import connection

    from dossiers.models import Dossier
    from dossiers.states import Status

    problems = [f"{kind}: {r['errors']} errors {r['failures']}" for kind, r in results.items() if r["errors"]]
    for kind, r in results.items():
        if kind.startswith("submit") and r["exhausted"]:
            log(f"{kind}: the drafts ran out; the measured phase ended after {r['duration_s']} s (more with --drafts)")
        if r["requests"] < 30:
            problems.append(f"{kind}: only {r['requests']} measured requests; too few to judge")
        elif r["requests"] < 200:
            log(f"{kind}: {r['requests']} measured requests only: its p99 is close to its maximum")
    submitted = Dossier.objects.filter(pk__in=drafts).exclude(status=Status.DRAFT).count()
    answered = sum(r["ok_total"] for kind, r in results.items() if kind.startswith("submit"))
    if submitted != answered:
        problems.append(f"submit: {answered} answered 302 but {submitted} dossiers submitted")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_row")
        rows = cursor.fetchone()[0]
    if rows != results["insert"]["ok_total"]:
        problems.append(f"insert: {results['insert']['ok_total']} answered 302 but {rows} rows inserted")
    if errors := target.error_log():
        log(f"{target.name}: error log (tail):\n{errors}")
    if problems:
        raise BenchFailed(f"INVALID RUN ({target.name}):\n  " + "\n  ".join(problems))


def run_mode(args: argparse.Namespace) -> tuple[dict, dict]:
    """Set the mode up, measure, check, tear down; its report and the breakdown's profiles (text)."""
    from bench import submit_prepare, submit_probes
    from bench.submit_modes import Embedded, Production

    started = time.perf_counter()
    machine = _machine()
    embedded = args.mode == "embedded"
    if not embedded and (args.profile or args.what_if_own_row_lock):
        log("production mode: --profile and --what-if-own-row-lock apply to the embedded mode only")
    with (Embedded if embedded else Production)(args) as target:
        from django.db import connection

        ctx = submit_prepare.prepare(args.drafts, args.connections)
        breakdown_drafts = submit_prepare.drafts(ctx, args.breakdown + 5) if embedded else []
        profile_drafts = submit_prepare.drafts(ctx, 20) if embedded and args.profile else []
        whatif_drafts = submit_prepare.drafts(ctx, 800) if embedded and args.what_if_own_row_lock else []
        connection.close()
        postgres = submit_probes.postgres_facts(target.database_url)
        floor = submit_probes.commit_floor(target.database_url)
        log(f"one autocommitted INSERT from Python: {floor}")
        pids = dict(target.pids)
        if postmaster := submit_probes.postmaster_pid(target.database_url):
            pids["postgres"] = postmaster

        results, extra = _phases(target, args, ctx, pids)
        if whatif_drafts:
            from bench.whatif import ENV

            target.restart({ENV: "1"})
            pids["gunicorn"] = target.pids["gunicorn"]
            log("what-if server: select_for_update() on dossiers locks the dossier row only")
            results["submit_whatif"] = _phase("submit", target, args, sessions=ctx["sessions"], drafts=whatif_drafts,
                                              pids=pids, sample_database=True)
        _check(results, [*ctx["drafts"], *whatif_drafts], target)

        breakdown = {}
        if embedded:
            from bench import breakdown as breakdown_module

            log(f"in-process breakdown: {args.breakdown} requests per endpoint")
            RESULTS.mkdir(exist_ok=True)
            breakdown = breakdown_module.run(user=ctx["citizen"], drafts=breakdown_drafts, codes=extra["codes"][:50],
                                             profile_dir=str(RESULTS) if args.profile else None,
                                             profile_drafts=profile_drafts)
        ratios = {"submit": submit_report.ratio(results["submit"], results["insert"]),
                  "lookup": submit_report.ratio(results["lookup"], results["select"])}
        if "submit_whatif" in results:
            ratios["submit_whatif"] = submit_report.ratio(results["submit_whatif"], results["insert"])
        report = {
            "mode": target.name, "title": target.title,
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine, "server": target.describe(), "postgres": postgres,
            "load": {"connections": args.connections, "warmup_s": args.warmup, "duration_s": args.duration},
            "results": results, "ratios": ratios, "settle_s": extra["settle_s"], "commit_floor": floor,
            "breakdown": {k: v for k, v in breakdown.items() if k != "profiles"},
            "table": submit_report.table(results, ratios),
        }
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    return report, breakdown.get("profiles", {})


# --- Both modes ------------------------------------------------------------------------------------

def _both(args: argparse.Namespace) -> int:
    """Each mode in a process of its own (Django is set up once per process, against one mode's
    settings), one after the other; then the two side by side."""
    folder = Path(tempfile.mkdtemp(prefix="egov-bench-modes-"))
    reports, failed, child = {}, [], None

    def terminated(signum, _frame):
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)  # it cleans up; Ctrl-C reaches it without us
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, terminated)
    started = time.perf_counter()
    machine = _machine()
    try:
        for mode in MODES:
            report = folder / f"{mode}.json"
            child = subprocess.Popen([sys.executable, "-m", "bench.submit_lookup", *_child_argv(args, mode, report)],
                                     cwd=BASE_DIR)
            try:
                returncode = child.wait()
            except BaseException:
                child.wait(timeout=300)  # its own clean-up: servers, cluster, database
                raise
            if returncode == 0 and report.exists():
                reports[mode] = json.loads(report.read_text())
            else:
                failed.append(mode)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if reports:
        text = submit_report.comparison(reports)
        _write({"machine": machine, "modes": reports, "comparison": text,
                "total_seconds": round(time.perf_counter() - started, 1)})
        print(f"\n{text}\n\nwritten: {RESULTS / 'latest.json'}  (total {round(time.perf_counter() - started, 1)} s)")
    if failed:
        log(f"failed: {', '.join(failed)} (see above)")
        return 1
    return 0


def _write(document: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    document = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **document}
    (RESULTS / "latest.json").write_text(json.dumps(document, indent=2, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.mode == "both":
        return _both(args)

    # Ctrl-C and SIGTERM unwind through the modes' clean-up.
    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    from bench.processes import ClusterError

    try:
        report, profiles = run_mode(args)
    except (BenchFailed, ClusterError) as error:
        log(str(error))
        return 1
    print()
    print(submit_report.mode_text(report, profiles))
    if args.report_to:
        args.report_to.write_text(json.dumps(report, ensure_ascii=False))
    else:
        _write({"machine": report["machine"], "modes": {report["mode"]: report}})
        print(f"\nwritten: {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
