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
import datetime as dt
import os
import re
import sys
import time

from bench.throwaway import BenchFailed, add_database_arguments, check_columns, database, drop_indexes, log, median_ms

P = "H05"


# --- The province --------------------------------------------------------------------------------

def _province() -> dict:
    """200 agencies under one People's Committee, a unit in each, 8 procedures, two officials."""
    from accounts.models import User
    from directory.models import AdministrativeUnit, Agency, Membership, OrgUnit, Role
    from procedures.models import Procedure, ProcedureField, ProcedureVersion

    province = AdministrativeUnit.objects.create(code="06", name="Tỉnh Bắc Kạn", level="province")
    committee = Agency.objects.create(code=f"000.00.00.{P}", name="Ủy ban nhân dân tỉnh Bắc Kạn",
                                      abbreviation="UBND", administrative_unit=province)
    agencies = [committee]
    for group in range(1, 21):
        agencies.append(Agency.objects.create(code=f"000.00.{group:02d}.{P}", name=f"Sở số {group}",
                                              abbreviation=f"S{group}", parent=committee,
                                              administrative_unit=province))
    districts = []
    for group in range(31, 40):
        district = Agency.objects.create(code=f"000.00.{group}.{P}", name=f"Ủy ban nhân dân huyện số {group}",
                                         abbreviation="UBND", parent=committee, administrative_unit=province)
        districts.append(district)
        agencies.append(district)
    communes_left = 200 - len(agencies)
    for index, district in enumerate(districts):
        share = communes_left // (len(districts) - index)
        district_group = district.code.split(".")[2]
        for group in range(1, share + 1):
            agencies.append(Agency.objects.create(
                code=f"000.{district_group}.{group:02d}.{P}", name=f"Ủy ban nhân dân xã số {district_group}-{group}",
                abbreviation="UBND", parent=district, administrative_unit=province))
        communes_left -= share
    assert len(agencies) == 200 and all(re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.H05", a.code) for a in agencies)
    units = [OrgUnit.objects.create(agency=agency, name="Bộ phận Một cửa") for agency in agencies]

    fields = [ProcedureField.objects.create(code=code, name=name) for code, name in
              [("ho_tich", "Hộ tịch"), ("dat_dai", "Đất đai"), ("xay_dung", "Xây dựng")]]
    versions, limits = [], []
    for number, days in enumerate([1, 3, 5, 7, 10, 12, 15, 20], start=1):
        procedure = Procedure.objects.create(code=f"9.{number:06d}")
        version = ProcedureVersion.objects.create(
            procedure=procedure, number=1, status="published", name=f"Thủ tục số {number}",
            field=fields[number % 3], level="commune", kind="full", old_level=4, time_limit=days,
            result_type="Giấy chứng nhận", fees=[])
        procedure.current = version
        procedure.save(update_fields=["current"])
        versions.append(version.pk)
        limits.append(days)

    def official(username, agency, roles):
        user = User.objects.create(username=username, full_name=username, kind=User.Kind.OFFICIAL)
        Membership.objects.create(official=user, agency=agency, roles=[str(role) for role in roles])
        return user

    official("quantri.tinh", agencies[5], [Role.PROVINCE_ADMIN])
    official("chutich.huyen", districts[0], [Role.AGENCY_LEADER])
    citizen = User.objects.create(username="congdan@example.vn", full_name="Nguyễn Thị Hồng")
    return {"agencies": [a.pk for a in agencies], "units": [u.pk for u in units], "versions": versions,
            "limits": limits, "citizen": citizen.pk, "district": districts[0].pk}


# --- The dossiers ----------------------------------------------------------------------------------

# Stage 1 draws the random numbers once per dossier (a subquery with volatile functions is never
# flattened, and OFFSET 0 fences it anyway); stage 2 decides the dossier's fate and moments;
# stage 3 writes the row. Agencies are skewed (power of a uniform draw): a few departments receive
# much, most communes little. Working days are approximated by 1.4 calendar days.
GENERATE = """
INSERT INTO dossiers_dossier (
    code, procedure_version_id, agency_id, unit_id, applicant_id, applicant_name, applicant_id_number,
    applicant_phone, applicant_email, applicant_address, form_data, status, channel, fee_amount, submission_key,
    created_at, updated_at, submitted_at, received_at, due_at, finished_at, result_ready_at, outcome,
    clock_stopped_at, current_agency_id, rating_comment, revision, receiving_centre_id, authorisation, post_item,
    representative_id_number, representative_name, representative_phone, return_method)
SELECT
    'BENCH-' || lpad(g::text, 7, '0'), version_id, agency_id,
    CASE WHEN r_unit < 0.7 THEN (%(units)s::bigint[])[agency_index] END,
    %(citizen)s, 'Nguyễn Văn An', '', '', '', '', '{}'::jsonb,
    CASE fate
        WHEN 'refused_at_intake' THEN 'refused' WHEN 'withdrawn_before_intake' THEN 'withdrawn'
        WHEN 'waiting_for_intake' THEN 'submitted'
        WHEN 'open' THEN CASE WHEN r_end < 0.8 THEN 'in_progress' WHEN r_end < 0.9 THEN 'supplement' ELSE 'paused' END
        WHEN 'refused' THEN 'refused' WHEN 'withdrawn' THEN 'withdrawn'
        ELSE CASE WHEN done + (r_end * interval '3 days') <= %(now)s THEN 'completed' ELSE 'result_ready' END
    END,
    CASE WHEN r_channel < 0.55 THEN 'online' WHEN r_channel < 0.62 THEN 'api' ELSE 'counter' END,
    0, md5(g::text)::uuid, submitted, submitted, submitted, received, due,
    CASE fate
        WHEN 'refused_at_intake' THEN submitted + r_lag * interval '1 day'
        WHEN 'withdrawn_before_intake' THEN submitted + r_lag * interval '2 days'
        WHEN 'refused' THEN done WHEN 'withdrawn' THEN done
        WHEN 'settled' THEN CASE WHEN done + (r_end * interval '3 days') <= %(now)s
                                 THEN done + (r_end * interval '3 days') END
    END,
    CASE WHEN fate = 'settled' THEN done END,
    CASE fate
        WHEN 'refused_at_intake' THEN 'refused' WHEN 'withdrawn_before_intake' THEN 'withdrawn'
        WHEN 'refused' THEN 'refused' WHEN 'withdrawn' THEN 'withdrawn'
        WHEN 'settled' THEN CASE
            WHEN (done AT TIME ZONE 'Asia/Ho_Chi_Minh')::date < (due AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                THEN 'early'
            WHEN done <= due THEN 'on_time' ELSE 'late' END
        ELSE ''
    END,
    CASE WHEN fate = 'open' AND r_end >= 0.8 THEN received + (%(now)s - received) * r_lag END,
    agency_id, '', 1, %(centre)s, '', '', '', '', '', 'desk'
FROM (
    SELECT *,
        CASE
            WHEN received IS NULL THEN NULL
            WHEN fate0 = 'stuck' OR received + spent > %(now)s THEN NULL
            ELSE received + spent
        END AS done,
        CASE
            WHEN received IS NULL THEN fate0
            WHEN fate0 = 'stuck' OR received + spent > %(now)s THEN 'open'
            ELSE fate0
        END AS fate
    FROM (
        SELECT *,
            CASE WHEN fate0 IN ('refused_at_intake', 'withdrawn_before_intake', 'waiting_for_intake') THEN NULL
                 ELSE submitted + r_lag * interval '2 days' END AS received,
            CASE WHEN fate0 IN ('refused_at_intake', 'withdrawn_before_intake', 'waiting_for_intake') THEN NULL
                 ELSE submitted + r_lag * interval '2 days' + limit_days * interval '1.4 days' END AS due,
            limit_days * interval '1.4 days' * (0.2 + 0.95 * r_speed * r_speed) AS spent
        FROM (
            SELECT *,
                (%(agencies)s::bigint[])[agency_index] AS agency_id,
                (%(versions)s::bigint[])[version_index] AS version_id,
                (%(limits)s::int[])[version_index] AS limit_days,
                CASE
                    WHEN r_fate < 0.02 THEN 'refused_at_intake'
                    WHEN r_fate < 0.03 THEN 'withdrawn_before_intake'
                    WHEN r_fate < 0.035 AND submitted > %(now)s - interval '3 days' THEN 'waiting_for_intake'
                    WHEN r_fate < 0.04 THEN 'stuck'
                    WHEN r_fate < 0.07 THEN 'refused'
                    WHEN r_fate < 0.08 THEN 'withdrawn'
                    ELSE 'settled'
                END AS fate0
            FROM (
                SELECT g,
                    1 + floor(200 * power(random(), 1.6))::int AS agency_index,
                    1 + floor(8 * random())::int AS version_index,
                    random() AS r_unit, random() AS r_channel, random() AS r_fate, random() AS r_speed,
                    random() AS r_lag, random() AS r_end,
                    %(now)s - random() * interval '730 days' AS submitted
                FROM generate_series(1, %(n)s) AS g
                OFFSET 0
            ) AS draws
        ) AS chosen
    ) AS timed
) AS decided
"""

EVENTS = [
    # What every dossier has: its submission.
    """INSERT INTO dossiers_dossierevent (dossier_id, at, status, from_status, note, internal)
       SELECT id, submitted_at, 'submitted', 'draft', '', false FROM dossiers_dossier""",
    # About 10 % of the received dossiers were asked for a supplement during processing, 2 % twice.
    """INSERT INTO dossiers_dossierevent (dossier_id, at, status, from_status, note, internal)
       SELECT id, received_at + (coalesce(result_ready_at, finished_at, %(now)s) - received_at) * 0.3,
              'supplement', 'in_progress', '', false
       FROM dossiers_dossier WHERE received_at IS NOT NULL AND random() < 0.08""",
    """INSERT INTO dossiers_dossierevent (dossier_id, at, status, from_status, note, internal)
       SELECT id, received_at + (coalesce(result_ready_at, finished_at, %(now)s) - received_at) * 0.6,
              'supplement', 'in_progress', '', false
       FROM dossiers_dossier WHERE received_at IS NOT NULL AND random() < 0.02""",
    # Those waiting for the applicant now were asked when their clock stopped.
    """INSERT INTO dossiers_dossierevent (dossier_id, at, status, from_status, note, internal)
       SELECT id, clock_stopped_at, 'supplement', 'in_progress', '', false
       FROM dossiers_dossier WHERE status = 'supplement'""",
]


def _generate(world: dict, n: int, now: dt.datetime) -> None:
    from django.db import connection, transaction

    params = {"centre": None, **world, "n": n, "now": now}
    with transaction.atomic(), connection.cursor() as cursor:
        check_columns(cursor, GENERATE)
        check_columns(cursor, EVENTS[0], "dossiers_dossierevent")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # The generator draws every foreign key from rows it has just created: the per-row checks of
        # the (deferred) foreign-key triggers would only double the load time. Superuser only.
        cursor.execute("SET LOCAL session_replication_role = replica")
        rebuild = drop_indexes(cursor, "dossiers_dossier") + drop_indexes(cursor, "dossiers_dossierevent")
        cursor.execute("SELECT setseed(0.42)")
        started = time.perf_counter()
        cursor.execute(GENERATE, params)
        log(f"{n:,} dossiers inserted in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        for statement in EVENTS:
            cursor.execute(statement, params)
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE status = 'supplement') FROM dossiers_dossierevent")
        events, supplements = cursor.fetchone()
        log(f"{events:,} events ({supplements:,} supplements) inserted in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        for statement in rebuild:
            cursor.execute(statement)
        log(f"{len(rebuild)} indexes and unique constraints rebuilt in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
        cursor.execute("VACUUM ANALYZE dossiers_dossierevent")
    log(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")


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
    _generate(world, args.dossiers, now)
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
