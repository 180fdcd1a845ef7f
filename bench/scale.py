"""Benchmark: the pages people use every day at 10 000, 1 000 000 and 10 000 000 dossiers.

    bench/scale.sh [--sizes 10000,1000000,10000000] [--samples 200] [--explain] [--keep-database]

One run: create a throw-away PostgreSQL database and migrate it; create a province of 200 agencies
(the People's Committee, 20 departments, 92 communes under the province since the 2025 reform and 87
department branches; bench.province), a unit in each, 8 procedures, a citizen, and at the busiest
department a one-stop desk officer and a specialist. Then, for each size in turn, add dossiers up to
that size (submitted over the last three years, with their events and steps; one official document
for every ten dossiers with its handling assignment; the audit entries of both: bench.scale_data) in
SQL, indexes dropped during the load and rebuilt after; and time, through the real views in this
process (Django's test client, the whole middleware stack, no HTTP), after a warm-up, --samples
requests each:

  lookup     the public lookup of a dossier by its code (/dossiers/lookup/?code=…), random dossiers
  desk queue the desk officer's work list (/workspace/dossiers/, tab "waiting for intake")
  due soon   the specialist's "due soon" list (/workspace/dossiers/?tab=due_soon)
  dossier    the dossier's page in the back office (/workspace/dossiers/<id>/), random dossiers of
             the department (each read writes an audit entry, as in production)
  catalog    the public procedure search (/procedures/?q=…)

Print p50 and p99 per page and size, and their ratio to the first size; the generation time and the
database's size. --explain prints EXPLAIN (ANALYZE, BUFFERS) of the slowest queries of each page at
each size. The embedded deadline sweep is kept out of the requests (production runs it in a worker).
The database is dropped at the end unless --keep-database (bench/partitions.py reads a kept one).
"""

import argparse
import datetime as dt
import io
import json
import os
import random
import re
import sys
import time
from contextlib import redirect_stdout

from bench import province, scale_data
from bench.throwaway import BenchFailed, add_database_arguments, database, log

PAGES = ["lookup", "desk queue", "due soon", "dossier", "catalog"]
MIN_SAMPLES = 20
YEARS = 3


def _world(suffix: str = province.P, citizen: str = "congdan@example.vn") -> dict:
    from accounts.models import User
    from directory.models import Agency, Membership, OrgUnit, Role
    from documents.models import DocumentType

    world = province.build(province.Layout(name="Tỉnh Thái Nguyên", districts=0, communes=92, suffix=suffix))
    applicant = User.objects.create(username=citizen, full_name="Nguyễn Thị Hồng")
    department = Agency.objects.get(pk=world["agencies"][1])  # the busiest after the People's Committee
    unit = OrgUnit.objects.get(agency=department)

    def official(username: str, full_name: str, role: Role) -> int:
        user = User.objects.create(username=username, full_name=full_name, kind=User.Kind.OFFICIAL)
        Membership.objects.create(official=user, agency=department, unit=unit, roles=[str(role)])
        return user.pk

    document_type = DocumentType.objects.order_by("pk").first() or DocumentType.objects.create(
        abbreviation="CV", name="Công văn", is_letter=True)
    return {**world, "citizen": applicant.pk, "department": department.pk, "unit": unit.pk,
            "desk": official("motcua.so1", "Trần Thị Mai", Role.DESK_OFFICER),
            "specialist": official("chuyenvien.so1", "Lê Văn Bình", Role.SPECIALIST),
            "clerk": official("vanthu.so1", "Phạm Thu Hà", Role.CLERK), "document_type": document_type.pk}


def _world_found() -> dict:
    """The officials and the department of a database kept by an earlier run (--reuse)."""
    from directory.models import Membership

    desk = Membership.objects.select_related("official").get(official__username="motcua.so1")
    specialist = Membership.objects.get(official__username="chuyenvien.so1")
    return {"department": desk.agency_id, "unit": desk.unit_id, "desk": desk.official_id,
            "specialist": specialist.official_id}


def _grow(world: dict, first: int, last: int, now: dt.datetime) -> dict:
    return province.generate(world, first=first, last=last, now=now, days=365 * YEARS,
                             more=scale_data.write, tables=scale_data.TABLES)


def _sizes() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        (database_bytes,) = cursor.fetchone()
        cursor.execute("""SELECT relname, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables
                          WHERE relname = ANY(%s) ORDER BY relname""",
                       [["dossiers_dossier", "dossiers_dossierevent", *scale_data.TABLES]])
        tables = {name: (rows, size) for name, rows, size in cursor.fetchall()}
    return {"database": database_bytes, "tables": tables}


# --- Measuring ---------------------------------------------------------------------------------------

def _samples(world: dict, n: int) -> dict:
    """What each request asks for: random dossier codes for the lookup, random dossiers of the
    specialist's unit for the dossier's page."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM dossiers_dossier")
        low, high = cursor.fetchone()
        picks = random.Random(7).sample(range(low, high + 1), min(n, high - low + 1))
        cursor.execute("SELECT code FROM dossiers_dossier WHERE id = ANY(%s)", [picks])
        codes = [code for (code,) in cursor.fetchall()]
        cursor.execute("""SELECT id FROM dossiers_dossier TABLESAMPLE BERNOULLI (%s) REPEATABLE (7)
                          WHERE agency_id = %s AND unit_id = %s AND status <> 'draft' LIMIT %s""",
                       [min(100.0, 100.0 * 50 * n / max(1, high - low + 1)), world["department"], world["unit"], n])
        ids = [pk for (pk,) in cursor.fetchall()]
    if not codes or not ids:
        raise BenchFailed("no dossiers to sample")
    return {"codes": (codes * n)[:n], "ids": (ids * n)[:n]}


def _requests(world: dict, picks: dict) -> dict:
    """For each page, a function of the sample number that makes one request and checks it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    anonymous, desk, specialist = Client(), Client(), Client()
    desk.force_login(users.get(pk=world["desk"]))
    specialist.force_login(users.get(pk=world["specialist"]))

    def ok(response, must_contain: str = ""):
        if response.status_code != 200:
            raise BenchFailed(f"{response.request['PATH_INFO']}: {response.status_code}")
        if must_contain and must_contain.encode() not in response.content:
            raise BenchFailed(f"{response.request['PATH_INFO']}: {must_contain!r} not on the page")

    return {
        "lookup": lambda i: ok(anonymous.get("/dossiers/lookup/", {"code": picks["codes"][i]}), picks["codes"][i]),
        "desk queue": lambda i: ok(desk.get("/workspace/dossiers/")),
        "due soon": lambda i: ok(specialist.get("/workspace/dossiers/", {"tab": "due_soon"})),
        "dossier": lambda i: ok(specialist.get(f"/workspace/dossiers/{picks['ids'][i]}/")),
        "catalog": lambda i: ok(anonymous.get("/procedures/", {"q": "thu tuc"},  # each from its own address:
                                              REMOTE_ADDR=f"10.1.{i // 256 % 256}.{i % 256}"),  # 120/min each (ADR 0052)
                                "9.000001"),
    }


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _blocks() -> int:
    """Buffer pages this database has read so far (from the cache or the disk): a page's work, which a
    loaded machine does not change as it changes the times."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT blks_hit + blks_read FROM pg_stat_database WHERE datname = current_database()")
        (blocks,) = cursor.fetchone()
    return blocks


def _measure(world: dict, samples: int, warmup: int, explain: bool, budget: float = 0) -> dict:
    from django.core.cache import cache
    from django.db import connection

    cache.set("deadline-sweep", "1", None)  # dossiers.sweeps: not inside a measured request
    picks = _samples(world, samples + warmup)
    requests = _requests(world, picks)
    results = {}
    with redirect_stdout(io.StringIO()):
        for page in PAGES:
            call = requests[page]
            for i in range(samples, samples + warmup):
                call(i)
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(1)
                return execute(sql, params, many, context)

            times = []
            blocks = _blocks()
            with connection.execute_wrapper(count):
                for i in range(samples):
                    started = time.perf_counter()
                    call(i)
                    times.append((time.perf_counter() - started) * 1000)
                    if budget and len(times) >= MIN_SAMPLES and sum(times) > budget * 1000:
                        break  # a page that takes seconds: its p99 is then the slowest of fewer
            results[page] = {"p50": _percentile(times, 0.5), "p99": _percentile(times, 0.99), "n": len(times),
                             "queries": len(queries) / len(times), "blocks": (_blocks() - blocks) / len(times)}
    if explain:
        for page in PAGES:
            _explain(page, requests[page])
    return results


def _explain(page: str, call) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT of one request of ``page``; the plans of the two
    slowest (by the time PostgreSQL reports, not by the wall clock of a loaded machine)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with redirect_stdout(io.StringIO()), CaptureQueriesContext(connection) as captured:
        call(0)
    plans = []
    for query in captured.captured_queries:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            lines = [line for (line,) in cursor.fetchall()]
        took = next((float(line.split(":")[1].split()[0]) for line in lines if line.startswith("Execution Time")), 0.0)
        plans.append((took, query["sql"], lines))
    for took, sql, lines in sorted(plans, key=lambda plan: -plan[0])[:2]:
        plan = "\n    ".join(lines)
        print(f"\n[{page}] {took:.1f} ms: {sql[:300]}\n    {plan}")


# --- Printing ----------------------------------------------------------------------------------------

def _print(stages: list[dict], samples: int, key: str = "results", title: str = "The pages") -> None:
    first = stages[0]
    counts = ", ".join(f"{s['size']:,}" for s in stages)
    print(f"\n{title} at {counts} dossiers "
          f"(p50 / p99 of {samples} requests after a warm-up, or of the number in brackets where a page "
          f"took over the budget, ms; ratio to {first['size']:,})")
    header = "".join(f" {s['size']:>12,} dossiers {'':14}" for s in stages)
    print(f"  {'page':<11}{header}")
    for page in PAGES:
        cells = []
        for stage in stages:
            r, base = stage[key][page], first[key][page]
            ratio = "" if stage is first else f"×{r['p50'] / base['p50']:.2f}/{r['p99'] / base['p99']:.2f}"
            fewer = f"({r['n']})" if r.get("n", samples) < samples else ""
            cells.append(f" {r['p50']:>7.1f} / {r['p99']:>7.1f} {ratio:<13}{fewer:<5}")
        print(f"  {page:<11}{''.join(cells)}")
    print(f"  buffer pages read per request (ratio to {first['size']:,}):")
    for page in PAGES:
        cells = []
        for stage in stages:
            blocks, base = stage[key][page]["blocks"], first[key][page]["blocks"]
            ratio = "" if stage is first else f"×{blocks / max(base, 1):.2f}"
            cells.append(f" {blocks:>12,.0f} {ratio:<23}")
        print(f"  {page:<11}{''.join(cells)}")
    queries = [", ".join(f"{s[key][p]['queries']:.0f}" for p in PAGES) for s in stages]
    print(f"  {'queries':<11}" + "".join(f" {q:<36}" for q in queries))
    if key != "results":
        return
    for stage in stages:
        sizes = stage["sizes"]
        if sizes is None:
            print(f"  {stage['size']:>12,}: from the earlier run's log; load average {stage['load']}")
            continue
        tables = ", ".join(f"{name.split('_', 1)[1]} {rows:,} rows {size / 2**30:.2f} GiB"
                           for name, (rows, size) in sizes["tables"].items())
        timings = ", ".join(f"{k} {v:.0f} s" for k, v in stage["timings"].items())
        print(f"  {stage['size']:>12,}: database {sizes['database'] / 2**30:.2f} GiB; generated in "
              f"{stage['generated']:.0f} s ({timings}); load average {stage['load']}\n"
              f"{'':16}{tables}")


LOGGED = re.compile(r"\]\s+(what-if )?(\S+(?: \S+)?)\s+p50\s+([\d.]+) ms\s+p99\s+([\d.]+) ms\s+(?:\((\d+) requests\)\s+)?"
                    r"(\d+) queries\s+([\d,]+) buffer pages")
READY = re.compile(r"\] ([\d,]+) dossiers ready in (\d+) s; measuring \(load average ([\d. ]+)\)")


def _stages_logged(path: str, samples: int) -> list[dict]:
    """The stages an earlier run of this script logged (--earlier-log), to compare a --reuse run with."""
    stages: list[dict] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if found := READY.search(line):
                stages.append({"size": int(found[1].replace(",", "")), "generated": float(found[2]), "timings": {},
                               "load": found[3], "results": {}, "whatif": {}, "sizes": None})
            elif (found := LOGGED.search(line)) and stages and found[2] in PAGES:
                stages[-1]["whatif" if found[1] else "results"][found[2]] = {
                    "p50": float(found[3]), "p99": float(found[4]), "n": int(found[5] or samples),
                    "queries": float(found[6]), "blocks": float(found[7].replace(",", ""))}
    return [stage for stage in stages if len(stage["results"]) == len(PAGES)]


def _log(results: dict, prefix: str = "") -> None:
    for page, r in results.items():
        log(f"  {prefix}{page:<11} p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms  ({r['n']} requests)  "
            f"{r['queries']:.0f} queries  "
            f"{r['blocks']:,.0f} buffer pages")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000,10000000",
                        help="dossier counts to measure at, growing (comma-separated)")
    parser.add_argument("--samples", type=int, default=200, help="timed requests per page and size")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    parser.add_argument("--explain", action="store_true", help="plans of each page's slowest queries")
    parser.add_argument("--budget", type=float, default=300,
                        help=f"seconds of requests per page and size at most (at least {MIN_SAMPLES} requests)")
    parser.add_argument("--earlier-log", help="with --reuse: compare with the smaller sizes this log of an earlier "
                        "run measured (its standard error)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure a database kept by an earlier run as it is (no generation; --sizes ignored)")
    add_database_arguments(parser, default="egov_bench_scale", variable="BENCH_SCALE_DB")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    if sizes != sorted(set(sizes)) or sizes[0] < 1000:
        parser.error("--sizes: growing, from 1000")
    started = time.perf_counter()
    # Persistent database connections, as production runs (EGOV_PRODUCTION's default): otherwise each
    # request reconnects and plans its statements with a cold catalogue, which is not the page's work.
    os.environ["DB_CONN_MAX_AGE"] = "60"
    try:
        with database(args.database, keep=args.keep_database or args.reuse, reuse=args.reuse):
            return _run(args, sizes, started)
    except BenchFailed as error:
        log(str(error))
        return 1


def _run(args, sizes: list[int], started: float) -> int:
    from django.utils import timezone

    world = _world_found() if args.reuse else _world()
    now = timezone.now().replace(microsecond=0)
    stages, done = [], 0
    if args.reuse:
        from dossiers.models import Dossier

        sizes = [Dossier.objects.count()]
        if args.earlier_log:
            stages = [stage for stage in _stages_logged(args.earlier_log, args.samples) if stage["size"] < sizes[0]]
    for size in sizes:
        step = time.perf_counter()
        timings = {} if args.reuse else _grow(world, done + 1, size, now)
        generated = time.perf_counter() - step
        done = size
        load = " ".join(f"{value:.1f}" for value in os.getloadavg())
        log(f"{size:,} dossiers ready in {generated:.0f} s; measuring (load average {load})")
        if args.explain:
            print(f"\n=== {size:,} dossiers ===")
        results = _measure(world, args.samples, args.warmup, args.explain, args.budget)
        stages.append({"size": size, "timings": timings, "generated": generated, "results": results,
                       "sizes": _sizes(), "load": load})
        _log(results)
    log("results as JSON: " + json.dumps(stages))
    _print(stages, args.samples)
    print(f"  whole run {time.perf_counter() - started:.0f} s; {time.strftime('%Y-%m-%d')}, "
          f"{os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
