"""Does declarative partitioning by year help the dossiers, their events and the audit trail?

    .venv/bin/python -m bench.partitions --database egov_bench_scale [--runs 50] [--tables dossiers,events,audit]

Reads a database kept by ``bench/scale.sh --keep-database`` (it is not changed: the copies go into a
schema ``part`` that is dropped at the end). Copies each table into a table partitioned by RANGE on
its time column (``submitted_at``, ``at``; one partition per calendar year, a default one for rows
without a time), with the same indexes (each unique one widened by the partition key: PostgreSQL
asks for it, so a dossier code or an audit hash is no longer unique across years); then times the
same statements on the plain table and on the partitioned copy — the median of --runs runs after a
warm-up — and what partitioning is for: removing the oldest year (DELETE against DETACH).
"""

# ruff: noqa: S608 - the table and column names and the years are this module's own, never input

import argparse
import random
import statistics
import sys
import time

import psycopg

from bench.throwaway import PG_ADMIN, log

TABLES = {  # table: (partition key, short name)
    "dossiers": ("dossiers_dossier", "submitted_at"),
    "events": ("dossiers_dossierevent", "at"),
    "audit": ("audit_auditentry", "at"),
}


def _copy(conn, table: str, key: str, years: list[int]) -> float:
    started = time.perf_counter()
    conn.execute(f"CREATE TABLE part.{table} (LIKE public.{table} INCLUDING DEFAULTS) PARTITION BY RANGE ({key})")
    for year in years:
        conn.execute(f"CREATE TABLE part.{table}_{year} PARTITION OF part.{table} "
                     f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')")
    conn.execute(f"CREATE TABLE part.{table}_default PARTITION OF part.{table} DEFAULT")
    conn.execute("SET maintenance_work_mem = '512MB'")
    conn.execute(f"INSERT INTO part.{table} SELECT * FROM public.{table}")
    rows = conn.execute("SELECT indexdef, (SELECT contype FROM pg_constraint c WHERE c.conname = indexname) "
                        "FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s", [table]).fetchall()
    for definition, kind in rows:
        definition = definition.replace(f"ON public.{table} ", f"ON part.{table} ")
        if "UNIQUE" in definition or kind in ("p", "u"):
            # The partition key must be in every unique index of a partitioned table.
            if "WHERE" in definition or "INCLUDE" in definition:
                continue
            definition = definition.rstrip(")") + f", {key})"
        definition = definition.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX p_").replace(
            "CREATE INDEX ", "CREATE INDEX p_")
        conn.execute(definition)
    conn.execute(f"VACUUM ANALYZE part.{table}")
    return time.perf_counter() - started


def _time(conn, sql: str, params_list: list, runs: int) -> float:
    conn.execute(sql, params_list[0]).fetchall()
    times = []
    for i in range(runs):
        started = time.perf_counter()
        conn.execute(sql, params_list[i % len(params_list)]).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _statements(conn, sample: int) -> list[tuple[str, str, list]]:
    """(what, SQL with {schema}, parameter sets) as the everyday pages send them."""
    (high,) = conn.execute("SELECT max(id) FROM public.dossiers_dossier").fetchone()
    ids = random.Random(3).sample(range(1, high + 1), sample)
    codes = [(c,) for (c,) in conn.execute("SELECT code FROM public.dossiers_dossier WHERE id = ANY(%s)", [ids])]
    (agency,) = conn.execute("SELECT agency_id FROM public.dossiers_dossier GROUP BY 1 ORDER BY count(*) DESC "
                             "OFFSET 1 LIMIT 1").fetchone()
    (year,) = conn.execute("SELECT extract(year FROM now())::int - 1").fetchone()
    return [
        ("lookup by code", "SELECT * FROM {s}.dossiers_dossier WHERE code = %s AND status <> 'draft'", codes),
        ("events of a dossier", "SELECT * FROM {s}.dossiers_dossierevent WHERE dossier_id = %s ORDER BY at, id",
         [(i,) for i in ids]),
        ("dossier by id", "SELECT * FROM {s}.dossiers_dossier WHERE id = %s", [(i,) for i in ids]),
        ("desk: waiting for intake", "SELECT id FROM {s}.dossiers_dossier WHERE agency_id = %s AND status = "
         "'submitted' ORDER BY submitted_at LIMIT 50", [(agency,)]),
        ("due soon (next day)", "SELECT id FROM {s}.dossiers_dossier WHERE agency_id = %s AND status = 'in_progress' "
         "AND due_at BETWEEN now() AND now() + interval '1 day' ORDER BY due_at LIMIT 50", [(agency,)]),
        ("open dossiers of an agency (count)", "SELECT count(*) FROM {s}.dossiers_dossier WHERE agency_id = %s AND "
         "status IN ('submitted', 'in_progress', 'paused', 'supplement')", [(agency,)]),
        ("a year's received, by agency", "SELECT agency_id, count(*) FROM {s}.dossiers_dossier WHERE submitted_at "
         f">= '{year}-01-01' AND submitted_at < '{year + 1}-01-01' GROUP BY agency_id", [()]),
        ("a year's supplements", "SELECT count(DISTINCT dossier_id) FROM {s}.dossiers_dossierevent WHERE status = "
         f"'supplement' AND at >= '{year}-01-01' AND at < '{year + 1}-01-01'", [()]),
        ("audit: one record's entries", "SELECT * FROM {s}.audit_auditentry WHERE object_type = 'dossiers.dossier' "
         "AND object_id = %s ORDER BY id", [(str(i),) for i in ids]),
        ("audit: latest page", "SELECT * FROM {s}.audit_auditentry ORDER BY id DESC LIMIT 50", [()]),
    ]


def _remove_oldest(conn, table: str, key: str, oldest: int) -> tuple[str, float, float]:
    """Removing the oldest year, plain table (DELETE) against partitions (DETACH and DROP), inside a
    transaction rolled back, so nothing is lost."""
    with conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL session_replication_role = replica")  # the audit trail's append-only trigger
        started = time.perf_counter()
        conn.execute(f"DELETE FROM public.{table} WHERE {key} < '{oldest + 1}-01-01'")
        plain = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute(f"ALTER TABLE part.{table} DETACH PARTITION part.{table}_{oldest}")
        conn.execute(f"DROP TABLE part.{table}_{oldest}")
        partitioned = time.perf_counter() - started
    return (f"{table}: remove the year {oldest}", plain * 1000, partitioned * 1000)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="egov_bench_scale")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--tables", default="dossiers,events,audit")
    args = parser.parse_args(argv)
    names = args.tables.split(",")
    url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{args.database}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS part CASCADE")
        conn.execute("CREATE SCHEMA part")
        try:
            (first, last) = conn.execute("SELECT extract(year FROM min(submitted_at))::int, "
                                         "extract(year FROM max(submitted_at))::int FROM dossiers_dossier").fetchone()
            years = list(range(first, last + 1))
            (count,) = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()
            for name in names:
                table, key = TABLES[name]
                log(f"partitioned copy of {table} by year of {key} ({years[0]}–{years[-1]}) "
                    f"made in {_copy(conn, table, key, years):.0f} s")
            for name in TABLES:  # a statement on a table not copied reads the plain one
                if name not in names:
                    conn.execute(f"CREATE VIEW part.{TABLES[name][0]} AS SELECT * FROM public.{TABLES[name][0]}")
            rows = []
            for what, sql, params in _statements(conn, 200):
                rows.append((what, _time(conn, sql.format(s="public"), params, args.runs),
                             _time(conn, sql.format(s="part"), params, args.runs)))
            for name in names:
                table, key = TABLES[name]
                rows.append(_remove_oldest(conn, table, key, years[0]))
        finally:
            conn.execute("DROP SCHEMA IF EXISTS part CASCADE")
    print(f"\nPartitioned by year ({', '.join(names)}) against plain tables, {count:,} dossiers "
          f"(median of {args.runs} runs, ms)")
    print(f"  {'statement':<52} {'plain':>10} {'by year':>10} {'ratio':>6}")
    for what, plain, partitioned in rows:
        print(f"  {what:<52} {plain:>10.2f} {partitioned:>10.2f} {partitioned / plain:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
