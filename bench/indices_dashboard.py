"""Benchmark: the Decision 766 indices of the province for a year, from the daily roll-ups, beside a
hand-written SQL aggregate over the raw dossiers (issue 14).

    .venv/bin/python -m bench.indices_dashboard [--dossiers 10000000] [--runs 5] [--keep-database]

One run: create a throw-away PostgreSQL database, migrate it (the Decision 766 tree comes with the
migrations), create the province of ``bench.reports_1m`` (200 agencies, 8 procedures) and a provincial
service centre, then generate the dossiers over the last three years with one ``INSERT … SELECT
generate_series(…)`` (the generator of ``bench.reports_1m``, stretched to 1 095 days, with fees for a
fifth of the dossiers and a third received at the centre), the online payments of 60 % of the payable
ones, the scanned papers of half the counter dossiers (80 % of them confirmed digitised into the data
store), a reuse for 30 % of the online dossiers and the issued result of 70 % of the settled ones;
VACUUM ANALYZE; build the roll-ups (``indices.rollups.rebuild_range``, what ``manage.py indices_rebuild``
does); then time, for the last full calendar year,

  (a) ``indices.selectors.scores(Scope("province"), year)``: what the dashboard calls, and
  (b) the same indices from one hand-written SQL aggregate over the raw dossiers (plus the distinct
      procedures received), evaluated by the same formulas,

each the median of --runs runs after a warm-up; print both, their ratio, and check that the two give the
same scores to the last digit (MISMATCH and exit status 1 otherwise). The database is dropped at the end
(also on failure) unless --keep-database. ADR 0038.
"""

import argparse
import os
import sys
import time

from bench.reports_1m import GENERATE, _province
from bench.throwaway import BenchFailed, add_database_arguments, check_columns, database, drop_indexes, log, median_ms

DAYS = 1095
# The reports generator, over three years, with fees and a receiving centre.
DOSSIERS = (GENERATE
            .replace("lpad(g::text, 7, '0')", "lpad(g::text, 8, '0')")  # codes unique beyond 9 999 999
            .replace("random() * interval '730 days'", f"random() * interval '{DAYS} days'")
            .replace("    0, md5(g::text)::uuid,", "    CASE WHEN r_unit > 0.8 THEN 50000 ELSE 0 END, md5(g::text)::uuid,")
            .replace("    agency_id, '', 1, %(centre)s,", "    agency_id, '', 1, CASE WHEN r_lag < 0.33 THEN %(centre)s END,"))
assert DOSSIERS.count("%(centre)s") == 1 and "lpad(g::text, 8, '0')" in DOSSIERS and f"'{DAYS} days'" in DOSSIERS and "50000" in DOSSIERS

EXTRAS = [
    # 60 % of the payable dossiers paid online (a few refunded later).
    """INSERT INTO payments_payment (dossier_id, amount, txn_ref, status, order_info, ip, gateway_transaction_no,
           bank_code, response_code, created_at, expires_at, paid_at, updated_at, receipt_no, platform)
       SELECT id, fee_amount, 'B' || id, CASE WHEN random() < 0.02 THEN 'refunded' ELSE 'paid' END, 'Lệ phí', '',
           '', '', '00', received_at, received_at + interval '15 minutes', received_at, received_at, '', 'gateway'
       FROM dossiers_dossier WHERE fee_amount > 0 AND received_at IS NOT NULL AND random() < 0.6""",
    # The papers of half the dossiers received at the counter scanned at intake.
    """INSERT INTO dossiers_dossierfile (dossier_id, purpose, file, original_name, extension, content_type, size,
           sha256, uploaded_by_id, uploaded_at, replaced, issue_number)
       SELECT id, 'paper', 'bench/' || id || '.pdf', 'giay-to.pdf', 'pdf', 'application/pdf', 1000, md5(id::text),
           %(citizen)s, received_at, false, ''
       FROM dossiers_dossier WHERE channel IN ('counter', 'post') AND received_at IS NOT NULL AND random() < 0.5""",
    # The result of 70 % of the settled dossiers issued electronically (numbered and sealed).
    """INSERT INTO dossiers_dossierfile (dossier_id, purpose, file, original_name, extension, content_type, size,
           sha256, uploaded_by_id, uploaded_at, replaced, issue_number)
       SELECT id, 'result', 'bench/r' || id || '.pdf', 'ket-qua.pdf', 'pdf', 'application/pdf', 1000,
           md5('r' || id::text), %(citizen)s, result_ready_at, false, id || '/GCN'
       FROM dossiers_dossier WHERE outcome IN ('early', 'on_time', 'late') AND random() < 0.7""",
    # 80 % of those scans confirmed digitised by the desk into the applicant's data store (ADR 0044).
    """INSERT INTO datastore_storeditem (owner_id, title, source, file, extension, content_type, sha256, issuer,
           number, issued_on, dossier_id, dossier_file_id, created_at, confirmed_by_id)
       SELECT %(citizen)s, 'Giấy tờ', 'digitised', f.file, 'pdf', 'application/pdf', f.sha256, '', '',
           f.uploaded_at::date, f.dossier_id, f.id, f.uploaded_at, %(citizen)s
       FROM dossiers_dossierfile f WHERE f.purpose = 'paper' AND random() < 0.8""",
    # 30 % of the dossiers received online reused a paper or a datum instead of an upload.
    """INSERT INTO datastore_reuse (dossier_id, source, what, by_id, at)
       SELECT id, 'national', 'Thông tin công dân', %(citizen)s, received_at
       FROM dossiers_dossier WHERE channel IN ('online', 'api') AND received_at IS NOT NULL AND random() < 0.3""",
]
TABLES = ["dossiers_dossier", "dossiers_dossierfile", "payments_payment", "datastore_storeditem", "datastore_reuse"]


def _generate(world: dict, n: int, now) -> None:
    from django.db import connection, transaction

    params = {**world, "n": n, "now": now}
    with transaction.atomic(), connection.cursor() as cursor:
        check_columns(cursor, DOSSIERS)
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL session_replication_role = replica")  # foreign keys drawn from fresh rows
        rebuild = [statement for table in TABLES for statement in drop_indexes(cursor, table)]
        cursor.execute("SELECT setseed(0.42)")
        step = time.perf_counter()
        cursor.execute(DOSSIERS, params)
        log(f"{n:,} dossiers inserted in {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        for statement in EXTRAS:
            cursor.execute(statement, params)
        log(f"payments and files inserted in {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        for statement in rebuild:
            cursor.execute(statement)
        log(f"{len(rebuild)} indexes rebuilt in {time.perf_counter() - step:.1f} s")
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


HAND_WRITTEN = """
SELECT
    count(*) FILTER (WHERE rec) AS received,
    count(*) FILTER (WHERE rec AND channel IN ('online', 'api')) AS received_online,
    count(*) FILTER (WHERE rec AND code IS NOT NULL AND code <> '') AS received_coded,
    count(*) FILTER (WHERE rec AND channel IN ('counter', 'post')) AS received_paper,
    count(*) FILTER (WHERE rec AND channel IN ('counter', 'post') AND EXISTS (
        SELECT 1 FROM datastore_storeditem i WHERE i.dossier_id = d.id AND i.source = 'digitised'))
        AS paper_digitised,
    count(*) FILTER (WHERE rec AND fee_amount > 0) AS payable,
    count(*) FILTER (WHERE rec AND fee_amount > 0 AND EXISTS (
        SELECT 1 FROM payments_payment p WHERE p.dossier_id = d.id AND p.status IN ('paid', 'refunded')))
        AS paid_online,
    count(*) FILTER (WHERE sett AND outcome IN ('early', 'on_time', 'late')) AS settled,
    count(*) FILTER (WHERE sett AND outcome IN ('early', 'on_time')) AS settled_on_time,
    count(*) FILTER (WHERE sett AND outcome = 'late') AS settled_late,
    count(*) FILTER (WHERE sett AND outcome IN ('early', 'on_time', 'late') AND EXISTS (
        SELECT 1 FROM dossiers_dossierfile f WHERE f.dossier_id = d.id AND f.purpose = 'result' AND NOT f.replaced
        AND f.issue_number <> '')) AS settled_electronic,
    count(*) FILTER (WHERE rec AND channel IN ('online', 'api') AND EXISTS (
        SELECT 1 FROM datastore_reuse r LEFT JOIN dossiers_dossierfile f ON f.id = r.dossier_file_id
        WHERE r.dossier_id = d.id AND (r.dossier_file_id IS NULL OR NOT f.replaced))) AS reused_online
FROM (
    SELECT d.*, (received_at >= %(start)s AND received_at < %(end)s) IS TRUE AS rec,
           (result_ready_at >= %(start)s AND result_ready_at < %(end)s) IS TRUE AS sett
    FROM dossiers_dossier d
    WHERE status <> 'draft' AND ((received_at >= %(start)s AND received_at < %(end)s)
                                 OR (result_ready_at >= %(start)s AND result_ready_at < %(end)s))
) AS d
"""
HAND_PROCEDURES = """
SELECT DISTINCT v.procedure_id FROM dossiers_dossier d JOIN procedures_procedureversion v
    ON v.id = d.procedure_version_id
WHERE d.status <> 'draft' AND d.received_at >= %(start)s AND d.received_at < %(end)s
"""


def hand_written_scores(period):
    """The province's indices from the raw dossiers: the hand-written aggregates, the same formulas."""
    from django.db import connection

    from indices.formulas import Context
    from indices.selectors import _evaluate, index_set_for

    with connection.cursor() as cursor:
        cursor.execute(HAND_WRITTEN, {"start": period.start, "end": period.end})
        names = [column.name for column in cursor.description]
        counts = dict(zip(names, cursor.fetchone(), strict=True))
        cursor.execute(HAND_PROCEDURES, {"start": period.start, "end": period.end})
        procedures = {pk for (pk,) in cursor.fetchall()}
    context = Context(counts=counts, procedure_ids=procedures, agency_ids=None, first_day=period.first_day,
                      last_day=period.last_day)
    return _evaluate(index_set_for(period), context)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs after a warm-up; the median is shown")
    add_database_arguments(parser, default="egov_bench_indices", variable="BENCH_INDICES_DB")
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

    from directory.models import Agency, ServiceCentre

    world = _province()
    committee = Agency.objects.get(pk=world["agencies"][0])
    world["centre"] = ServiceCentre.objects.create(
        code="TTPVHCC", name="Trung tâm Phục vụ hành chính công tỉnh", level="province", agency=committee,
        administrative_unit=committee.administrative_unit).pk
    now = timezone.now().replace(microsecond=0)
    step = time.perf_counter()
    _generate(world, args.dossiers, now)
    generation = time.perf_counter() - step
    log(f"data ready in {generation:.1f} s")

    from indices.rollups import rebuild_range
    from indices.selectors import Scope, scores
    from workdays.report_periods import Period

    step = time.perf_counter()
    today = timezone.localdate(now)
    rows = rebuild_range(today.replace(year=today.year - 3), today)
    rollup_seconds = time.perf_counter() - step
    log(f"{rows:,} roll-up rows built in {rollup_seconds:.1f} s")

    period = Period.year(today.year - 1)
    load = os.getloadavg()
    ours_ms, ours = median_ms(lambda: scores(Scope("province"), period), args.runs)
    raw_ms, raw = median_ms(lambda: hand_written_scores(period), args.runs)
    print(f"\nDecision 766 indices of the province, {period.name}, on {args.dossiers:,} dossiers across 200 "
          f"agencies and {DAYS} days (load average at the start {load[0]:.1f}; median of {args.runs} runs, ms)")
    print(f"  scores(province, year) from the roll-ups  {ours_ms:>10.1f}")
    print(f"  hand-written SQL over the raw dossiers    {raw_ms:>10.1f}")
    print(f"  ratio roll-ups / raw                      {ours_ms / raw_ms:>10.4f}")
    for group in ours:
        print(f"  group {group.code}: {group.points} of {group.max_points} points; "
              + ", ".join(f"{i.code} {i.value if i.missing is None else 'missing'}" for i in group.indicators))
    print(f"  data generation {generation:.1f} s; roll-ups {rollup_seconds:.1f} s ({rows:,} rows); "
          f"whole run {time.perf_counter() - started:.1f} s")
    if ours != raw:
        print("MISMATCH: the roll-ups and the raw aggregate give different indices")
        for mine, theirs in zip(ours, raw, strict=False):
            if mine != theirs:
                print(f"  roll-ups {mine}\n  raw      {theirs}")
        return 1
    print("  the roll-ups and the raw aggregate agree exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
