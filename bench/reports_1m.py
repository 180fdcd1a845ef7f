"""Benchmark: the settlement report (reports.queries) on 1 000 000 dossiers across 200 agencies.

    bench/reports_1m.sh [--dossiers 1000000] [--runs 5] [--explain] [--keep-database]

One run: create a throw-away PostgreSQL database, migrate it, create a province of 200 agencies
(one People's Committee, 20 departments, 9 district committees and 170 communes under them, with
QCVN 102:2016 codes), a unit in each, 8 procedures in 3 fields, a province administrator and a
district leader; generate the dossiers over the last two years with one ``INSERT … SELECT
generate_series(…)`` (channels, fates, time limits, outcomes, clocks stopped), one "submitted"
event per dossier and "supplement" events for about 10 % of them; VACUUM ANALYZE; then time, for
the last full calendar year grouped by agency,

  (a) ``reports.queries.settlement_report`` as the province administrator (no scope filter) and
      as the district leader (scope: the district committee and its communes), and
  (b) the same numbers by hand-written SQL on the same data, in two forms: one statement with the
      same two aggregates (CTEs), and one scan of the dossiers with the period's supplement ids
      LEFT JOINed (which the ORM cannot express),

each as the median of --runs runs after a warm-up; check that all give the same numbers; then add
the indexes docs/reports.md asks for (unless the schema has them) and measure again; print the times
and ratios; drop the database (also on failure or Ctrl-C). See docs/reports.md.
"""

import argparse
import os
import sys
import time

from bench import province
from bench.throwaway import BenchFailed, add_database_arguments, database, log, median_ms

# --- The province --------------------------------------------------------------------------------

def _province() -> dict:
    """200 agencies under one People's Committee (bench.province, with 9 districts), a unit in each,
    8 procedures, two officials."""
    from accounts.models import User
    from directory.models import Agency, Membership, Role

    world = province.build(province.Layout(districts=9, communes=170))

    def official(username, agency_id, roles):
        user = User.objects.create(username=username, full_name=username, kind=User.Kind.OFFICIAL)
        Membership.objects.create(official=user, agency=Agency.objects.get(pk=agency_id),
                                  roles=[str(role) for role in roles])
        return user

    official("quantri.tinh", world["agencies"][5], [Role.PROVINCE_ADMIN])
    official("chutich.huyen", world["districts"][0], [Role.AGENCY_LEADER])
    citizen = User.objects.create(username="congdan@example.vn", full_name="Nguyễn Thị Hồng")
    return {**world, "citizen": citizen.pk, "district": world["districts"][0]}


# --- The hand-written report -----------------------------------------------------------------------

HAND_WRITTEN = """
WITH counts AS (
    SELECT agency_id,
        count(*) FILTER (WHERE received_at >= %(start)s AND received_at < %(end)s
                           AND channel IN ('online', 'api')) AS received_online,
        count(*) FILTER (WHERE received_at >= %(start)s AND received_at < %(end)s
                           AND channel = 'counter') AS received_counter,
        count(*) FILTER (WHERE received_at < %(start)s
                           AND (result_ready_at IS NULL OR result_ready_at >= %(start)s)
                           AND (finished_at IS NULL OR finished_at >= %(start)s)) AS carried_over,
        count(*) FILTER (WHERE result_ready_at >= %(start)s AND result_ready_at < %(end)s
                           AND outcome = 'early') AS settled_early,
        count(*) FILTER (WHERE result_ready_at >= %(start)s AND result_ready_at < %(end)s
                           AND outcome = 'on_time') AS settled_on_time,
        count(*) FILTER (WHERE result_ready_at >= %(start)s AND result_ready_at < %(end)s
                           AND outcome = 'late') AS settled_late,
        count(*) FILTER (WHERE received_at < %(end)s
                           AND (result_ready_at IS NULL OR result_ready_at >= %(end)s)
                           AND (finished_at IS NULL OR finished_at >= %(end)s)) AS in_progress_total,
        count(*) FILTER (WHERE received_at < %(end)s
                           AND (result_ready_at IS NULL OR result_ready_at >= %(end)s)
                           AND (finished_at IS NULL OR finished_at >= %(end)s)
                           AND due_at < %(end)s
                           AND (clock_stopped_at IS NULL OR clock_stopped_at >= %(end)s
                                OR clock_stopped_at >= due_at)) AS in_progress_overdue,
        count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s
                           AND outcome = 'refused') AS refused,
        count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s
                           AND outcome = 'withdrawn') AS withdrawn
    FROM dossiers_dossier
    WHERE status <> 'draft' {scope}
      AND (submitted_at < %(end)s OR submitted_at IS NULL) AND (finished_at IS NULL OR finished_at >= %(start)s)
    GROUP BY agency_id
), supplements AS (
    SELECT d.agency_id, count(DISTINCT e.dossier_id) AS supplements
    FROM dossiers_dossierevent e JOIN dossiers_dossier d ON d.id = e.dossier_id
    WHERE e.status = 'supplement' AND e.at >= %(start)s AND e.at < %(end)s AND d.status <> 'draft' {d_scope}
    GROUP BY d.agency_id
)
SELECT a.id, a.code, a.name,
       coalesce(received_online, 0), coalesce(received_counter, 0), coalesce(carried_over, 0),
       coalesce(settled_early, 0), coalesce(settled_on_time, 0), coalesce(settled_late, 0),
       coalesce(in_progress_total, 0), coalesce(in_progress_overdue, 0), coalesce(supplements, 0),
       coalesce(refused, 0), coalesce(withdrawn, 0)
FROM counts FULL JOIN supplements USING (agency_id) JOIN directory_agency a ON a.id = agency_id
ORDER BY a.code
"""
HAND_COLUMNS = ["received_online", "received_counter", "carried_over", "settled_early", "settled_on_time",
                "settled_late", "in_progress_total", "in_progress_overdue", "supplements", "refused", "withdrawn"]

# The same numbers in one scan of the dossiers: the period's distinct supplement ids LEFT JOINed.
# The ORM cannot join a derived table, hence the two aggregates of reports.queries.
HAND_WRITTEN_ONE_SCAN = """
SELECT d.agency_id,
    count(*) FILTER (WHERE received_at >= %(start)s AND received_at < %(end)s AND channel IN ('online', 'api')),
    count(*) FILTER (WHERE received_at >= %(start)s AND received_at < %(end)s AND channel = 'counter'),
    count(*) FILTER (WHERE received_at < %(start)s AND (result_ready_at IS NULL OR result_ready_at >= %(start)s)
                       AND (finished_at IS NULL OR finished_at >= %(start)s)),
    count(*) FILTER (WHERE result_ready_at >= %(start)s AND result_ready_at < %(end)s AND outcome = 'early'),
    count(*) FILTER (WHERE result_ready_at >= %(start)s AND result_ready_at < %(end)s AND outcome = 'on_time'),
    count(*) FILTER (WHERE result_ready_at >= %(start)s AND result_ready_at < %(end)s AND outcome = 'late'),
    count(*) FILTER (WHERE received_at < %(end)s AND (result_ready_at IS NULL OR result_ready_at >= %(end)s)
                       AND (finished_at IS NULL OR finished_at >= %(end)s)),
    count(*) FILTER (WHERE received_at < %(end)s AND (result_ready_at IS NULL OR result_ready_at >= %(end)s)
                       AND (finished_at IS NULL OR finished_at >= %(end)s) AND due_at < %(end)s
                       AND (clock_stopped_at IS NULL OR clock_stopped_at >= %(end)s OR clock_stopped_at >= due_at)),
    count(asked.dossier_id),
    count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s AND outcome = 'refused'),
    count(*) FILTER (WHERE finished_at >= %(start)s AND finished_at < %(end)s AND outcome = 'withdrawn')
FROM dossiers_dossier d
LEFT JOIN (SELECT DISTINCT dossier_id FROM dossiers_dossierevent
           WHERE status = 'supplement' AND at >= %(start)s AND at < %(end)s) AS asked ON asked.dossier_id = d.id
WHERE d.status <> 'draft' {scope}
  AND (d.submitted_at < %(end)s OR d.submitted_at IS NULL) AND (d.finished_at IS NULL OR d.finished_at >= %(start)s)
GROUP BY d.agency_id
"""


def hand_written(period, agency_ids: list[int] | None, *, one_scan: bool = False) -> dict[int, dict[str, int]]:
    from django.db import connection

    if one_scan:
        sql = HAND_WRITTEN_ONE_SCAN.format(scope="AND d.agency_id = ANY(%(agencies)s)" if agency_ids else "")
    else:
        sql = HAND_WRITTEN.format(scope="AND agency_id = ANY(%(agencies)s)" if agency_ids else "",
                                  d_scope="AND d.agency_id = ANY(%(agencies)s)" if agency_ids else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"start": period.start, "end": period.end, "agencies": agency_ids})
        rows = [(pk, values) for pk, *values in cursor.fetchall()]
    if not one_scan:
        rows = [(pk, values[2:]) for pk, values in rows]  # code, name
    return {pk: dict(zip(HAND_COLUMNS, values, strict=True)) for pk, values in rows}


# --- Measuring ---------------------------------------------------------------------------------------

def _same_numbers(report, hand: dict[int, dict[str, int]]) -> None:
    ours = {row.key: {key: row.counts[key] for key in HAND_COLUMNS} for row in report.rows}
    if ours != hand:
        differing = sorted(key for key in set(ours) | set(hand) if ours.get(key) != hand.get(key))[:3]
        raise BenchFailed(f"the report and the hand-written SQL differ for agencies {differing}: "
                          f"{[(ours.get(k), hand.get(k)) for k in differing]}")


def _explain(period, username: str) -> None:
    """EXPLAIN ANALYZE of the report's aggregate queries, exactly as the ORM sends them."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.queries import Grouping, settlement_report

    with CaptureQueriesContext(connection) as captured:
        settlement_report(get_user_model().objects.get(username=username), period=period, grouping=Grouping.AGENCY)
    for query in captured.captured_queries:
        if "COUNT(" not in query["sql"]:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            print(f"\nPlan for {username}:")
            print("\n".join(line for (line,) in cursor.fetchall() if "Filter: " not in line))


READERS = [("quantri.tinh", "province administrator (whole province)"),
           ("chutich.huyen", "district leader (district + its communes)")]


def _measure(period, runs: int) -> list[dict]:
    from django.contrib.auth import get_user_model

    from directory.scope import Action, scope_of
    from reports.queries import Grouping, settlement_report

    users = get_user_model().objects
    results = []
    for username, label in READERS:
        # A fresh user object for each run, as in a request: the reader's scope is computed again.
        fresh = iter([users.get(username=username) for _ in range(runs + 1)])

        def ours(fresh=fresh):
            return settlement_report(next(fresh), period=period, grouping=Grouping.AGENCY)

        scope = scope_of(users.get(username=username), Action.VIEW)
        agency_ids = None if scope.everything else sorted(scope.agency_ids)
        ours_ms, report = median_ms(ours, runs)
        two_ms, two = median_ms(lambda agency_ids=agency_ids: hand_written(period, agency_ids), runs)
        one_ms, one = median_ms(lambda agency_ids=agency_ids: hand_written(period, agency_ids, one_scan=True),
                                 runs)
        _same_numbers(report, two)
        _same_numbers(report, one)
        counts = report.total.counts
        results.append({"who": label, "rows": len(report.rows), "ours_ms": ours_ms, "two_ms": two_ms,
                        "one_ms": one_ms, "received": counts["received_total"],
                        "settled": counts["settled_total"], "in_progress": counts["in_progress_total"],
                        "supplements": counts["supplements"]})
    return results


# The indexes docs/reports.md asks for, as the model would create them (unless already there).
PROPOSED = {
    "dossier_report_idx": """CREATE INDEX IF NOT EXISTS dossier_report_idx ON dossiers_dossier
        (agency_id, submitted_at) INCLUDE (id, unit_id, procedure_version_id, status, channel, received_at, due_at,
        result_ready_at, finished_at, outcome, clock_stopped_at)""",
    "dossierevent_supplement_idx": """CREATE INDEX IF NOT EXISTS dossierevent_supplement_idx
        ON dossiers_dossierevent (at) INCLUDE (dossier_id) WHERE status = 'supplement'""",
}


def _add_proposed_indexes() -> list[str]:
    from django.db import connection

    added = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN ('dossiers_dossier', "
                       "'dossiers_dossierevent')")
        existing = cursor.fetchall()
        there = {
            "dossier_report_idx": any(t == "dossiers_dossier" and "INCLUDE" in d for t, d in existing),
            "dossierevent_supplement_idx": any(t == "dossiers_dossierevent" and "'supplement'" in d
                                               for t, d in existing),
        }
        for name, statement in PROPOSED.items():
            if there[name]:
                continue
            cursor.execute(statement)
            added.append(name)
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
        cursor.execute("VACUUM ANALYZE dossiers_dossierevent")
    return added


def _print(title: str, period, results: list[dict], runs: int) -> None:
    print(f"\n{title}: {period.first_day:%d/%m/%Y}–{period.last_day:%d/%m/%Y}, by agency "
          f"(median of {runs} runs after a warm-up, ms)")
    print(f"  {'reader':44} {'rows':>4} {'reports.queries':>15} {'SQL, 2 aggregates':>17} {'ratio':>5} "
          f"{'SQL, 1 scan':>11} {'ratio':>5}")
    for r in results:
        print(f"  {r['who']:44} {r['rows']:>4} {r['ours_ms']:>15.0f} {r['two_ms']:>17.0f} "
              f"{r['ours_ms'] / r['two_ms']:>5.2f} {r['one_ms']:>11.0f} {r['ours_ms'] / r['one_ms']:>5.2f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs after a warm-up; the median is shown")
    parser.add_argument("--explain", action="store_true", help="also print the plan of the main aggregate query")
    add_database_arguments(parser, default="egov_bench_reports", variable="BENCH_REPORTS_DB")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        with database(args.database, keep=args.keep_database):
            return _run(args, started)
    except BenchFailed as error:
        log(str(error))
        return 1


def _run(args, started: float) -> int:
    from django.utils import timezone

    step = time.perf_counter()
    world = _province()
    log(f"200 agencies, their units, 8 procedures and 2 officials created in {time.perf_counter() - step:.1f} s")
    now = timezone.now().replace(microsecond=0)
    step = time.perf_counter()
    province.generate(world, first=1, last=args.dossiers, now=now)
    generation = time.perf_counter() - step
    log(f"data ready in {generation:.1f} s")
    from reports.periods import Period

    period = Period.year(now.year - 1)
    load = os.getloadavg()
    log(f"measuring (load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})")
    as_migrated = _measure(period, args.runs)
    if args.explain:
        for username, _label in READERS:
            _explain(period, username)
    added = _add_proposed_indexes()
    log(f"proposed indexes added: {', '.join(added) or 'none, the schema has them'}")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)) FROM pg_class c
                          WHERE c.relname IN ('dossiers_dossier', 'dossiers_dossierevent', %s, %s)""",
                       list(PROPOSED))
        sizes = ", ".join(f"{name} {size}" for name, size in sorted(cursor.fetchall()))
    log(f"sizes: {sizes}")
    with_indexes = _measure(period, args.runs)
    if args.explain:
        for username, _label in READERS:
            _explain(period, username)
    print(f"\nSettlement report on {args.dossiers:,} dossiers across 200 agencies, PostgreSQL "
          f"(load average at the start {load[0]:.1f})")
    _print("Indexes as migrated", period, as_migrated, args.runs)
    _print("With the proposed indexes", period, with_indexes, args.runs)
    for r in with_indexes:
        print(f"  {r['who']}: received {r['received']:,}, settled {r['settled']:,}, in progress at the end "
              f"{r['in_progress']:,}, supplements {r['supplements']:,} (the same numbers all three ways)")
    print(f"  data generation {generation:.1f} s; whole run {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
