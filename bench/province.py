"""What the data-volume benchmarks share: a generated province (agencies with QCVN 102:2016 codes, a
unit in each, 8 procedures in 3 fields) and its dossiers written by one ``INSERT … SELECT
generate_series(…)`` with their timeline events, indexes dropped during the load and rebuilt after.

Used by ``bench/reports_1m.py`` (a province of 9 districts, before the 2025 reform) and
``bench/scale.py`` (the two-level province of 92 communes). Django must be set up.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.throwaway import check_columns, drop_indexes, log

P = "H05"
AGENCIES = 200
DEPARTMENTS = 20


@dataclass(frozen=True)
class Layout:
    """How the province's 200 agencies split: ``districts`` district committees (0 since 1 July 2025)
    with ``communes`` commune committees under them (or directly under the province), and the rest
    branches of the departments (chi cục, trung tâm)."""

    name: str = "Tỉnh Bắc Kạn"
    districts: int = 9
    communes: int = 170
    suffix: str = P  # the province's group in the agencies' codes


def _agency(code: str, name: str, parent, unit, abbreviation: str = "UBND"):
    from directory.models import Agency

    return Agency.objects.create(code=code, name=name, abbreviation=abbreviation, parent=parent,
                                 administrative_unit=unit)


def build(layout: Layout = Layout()) -> dict:
    """The province's agencies (People's Committee first, then departments, district committees,
    communes and branches: the generator's skew favours the first ones), a unit in each, 8
    procedures offered by every agency."""
    from directory.models import AdministrativeUnit, OrgUnit
    from procedures.models import Procedure, ProcedureField, ProcedureVersion
    from procedures.services import refresh_search_key

    province = AdministrativeUnit.objects.create(code="06", name=layout.name, level="province")
    P = layout.suffix  # noqa: N806 - the constant of the layout
    committee = _agency(f"000.00.00.{P}", f"Ủy ban nhân dân {layout.name[0].lower()}{layout.name[1:]}", None,
                        province)
    agencies = [committee]
    departments = [_agency(f"000.00.{group:02d}.{P}", f"Sở số {group}", committee, province, f"S{group}")
                   for group in range(1, DEPARTMENTS + 1)]
    agencies += departments
    districts = [_agency(f"000.00.{group}.{P}", f"Ủy ban nhân dân huyện số {group}", committee, province)
                 for group in range(31, 31 + layout.districts)]
    agencies += districts
    communes_left = layout.communes
    for index, district in enumerate(districts):
        share = communes_left // (len(districts) - index)
        district_group = district.code.split(".")[2]
        for group in range(1, share + 1):
            agencies.append(_agency(f"000.{district_group}.{group:02d}.{P}",
                                    f"Ủy ban nhân dân xã số {district_group}-{group}", district, province))
        communes_left -= share
    for number in range(1, communes_left + 1):  # two-level government: communes under the province
        commune = AdministrativeUnit.objects.create(code=f"{number:05d}", name=f"Xã số {number}", level="commune",
                                                    parent=province)
        agencies.append(_agency(f"000.{60 + number // 50}.{number % 50 + 1:02d}.{P}",
                                f"Ủy ban nhân dân xã số {number}", committee, commune))
    for number in range(AGENCIES - len(agencies)):
        department = departments[number % DEPARTMENTS]
        agencies.append(_agency(f"{number // DEPARTMENTS + 1:03d}.00.{department.code.split('.')[2]}.{P}",
                                f"Chi cục số {number + 1}", department, province, f"CC{number + 1}"))
    assert len(agencies) == AGENCIES and all(re.fullmatch(rf"\d{{3}}\.\d{{2}}\.\d{{2}}\.{P}", a.code) for a in agencies)
    assert len({a.code for a in agencies}) == AGENCIES
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
        version.agencies.set(agencies)
        procedure.current = version
        procedure.save(update_fields=["current"])
        refresh_search_key(procedure)
        versions.append(version.pk)
        limits.append(days)
    return {"province": province.pk, "agencies": [a.pk for a in agencies], "codes": [a.code for a in agencies],
            "units": [u.pk for u in units], "versions": versions, "limits": limits,
            "districts": [d.pk for d in districts]}


# --- The dossiers ----------------------------------------------------------------------------------

# Stage 1 draws the random numbers once per dossier (a subquery with volatile functions is never
# flattened, and OFFSET 0 fences it anyway); stage 2 decides the dossier's fate and moments;
# stage 3 writes the row. Agencies are skewed (power of a uniform draw): a few departments receive
# much, most communes little. Working days are approximated by 1.4 calendar days. Codes have the
# platform's format (dossiers.codes) with the series number as the day's sequence, so they are unique.
GENERATE = """
INSERT INTO dossiers_dossier (
    code, procedure_version_id, agency_id, unit_id, applicant_id, applicant_name, applicant_id_number,
    applicant_phone, applicant_email, applicant_address, form_data, status, channel, fee_amount, submission_key,
    created_at, updated_at, submitted_at, received_at, due_at, finished_at, result_ready_at, outcome,
    clock_stopped_at, current_agency_id, rating_comment, revision, receiving_centre_id, authorisation, post_item,
    representative_id_number, representative_name, representative_phone, return_method)
SELECT
    (%(codes)s::text[])[agency_index] || '-' || to_char(submitted AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD')
        || '-' || lpad(g::text, 8, '0'),
    version_id, agency_id,
    CASE WHEN r_unit < 0.7 THEN (%(units)s::bigint[])[agency_index] END,
    %(citizen)s, 'Nguyễn Văn An', '', '', '', '', '{}'::jsonb,  -- personal data is encrypted: left empty
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
                    %(now)s - random() * %(days)s * interval '1 day' AS submitted
                FROM generate_series(%(first)s, %(last)s) AS g
                OFFSET 0
            ) AS draws
        ) AS chosen
    ) AS timed
) AS decided
"""

# Of the dossiers inserted by this load (id > %(after)s).
EVENTS = [
    # What every dossier has: its submission.
    """INSERT INTO dossiers_dossierevent (dossier_id, at, status, from_status, note, internal)
       SELECT id, submitted_at, 'submitted', 'draft', '', false FROM dossiers_dossier WHERE id > %(after)s""",
    # About 10 % of the received dossiers were asked for a supplement during processing, 2 % twice.
    """INSERT INTO dossiers_dossierevent (dossier_id, at, status, from_status, note, internal)
       SELECT id, received_at + (coalesce(result_ready_at, finished_at, %(now)s) - received_at) * 0.3,
              'supplement', 'in_progress', '', false
       FROM dossiers_dossier WHERE id > %(after)s AND received_at IS NOT NULL AND random() < 0.08""",
    """INSERT INTO dossiers_dossierevent (dossier_id, at, status, from_status, note, internal)
       SELECT id, received_at + (coalesce(result_ready_at, finished_at, %(now)s) - received_at) * 0.6,
              'supplement', 'in_progress', '', false
       FROM dossiers_dossier WHERE id > %(after)s AND received_at IS NOT NULL AND random() < 0.02""",
    # Those waiting for the applicant now were asked when their clock stopped.
    """INSERT INTO dossiers_dossierevent (dossier_id, at, status, from_status, note, internal)
       SELECT id, clock_stopped_at, 'supplement', 'in_progress', '', false
       FROM dossiers_dossier WHERE id > %(after)s AND status = 'supplement'""",
]


def generate(world: dict, *, first: int, last: int, now: dt.datetime, days: int = 730,
             more: Callable[[object, dict], None] | None = None, tables: tuple[str, ...] = ()) -> dict:
    """Insert the dossiers numbered ``first``…``last`` (submitted over the ``days`` before ``now``) and
    their events; then ``more(cursor, params)`` adds whatever else the caller writes (into ``tables``,
    whose indexes are dropped too). Indexes are rebuilt once at the end; VACUUM ANALYZE. Returns
    the seconds each phase took."""
    from django.db import connection, transaction

    timings = {}
    all_tables = ("dossiers_dossier", "dossiers_dossierevent", *tables)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM dossiers_dossier")
        (after,) = cursor.fetchone()
    params = {"centre": None, **world, "first": first, "last": last, "now": now, "days": days, "after": after}
    with transaction.atomic(), connection.cursor() as cursor:
        check_columns(cursor, GENERATE)
        check_columns(cursor, EVENTS[0], "dossiers_dossierevent")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # The generator draws every foreign key from rows it has just created: the per-row checks of
        # the (deferred) foreign-key triggers would only double the load time. Superuser only.
        cursor.execute("SET LOCAL session_replication_role = replica")
        rebuild = [statement for table in all_tables for statement in drop_indexes(cursor, table)]
        cursor.execute("SELECT setseed(%s)", [0.42 if first == 1 else (first % 1000) / 1000])
        started = time.perf_counter()
        cursor.execute(GENERATE, params)
        timings["dossiers"] = time.perf_counter() - started
        log(f"{last - first + 1:,} dossiers inserted in {timings['dossiers']:.1f} s")
        started = time.perf_counter()
        for statement in EVENTS:
            cursor.execute(statement, params)
        timings["events"] = time.perf_counter() - started
        log(f"their events inserted in {timings['events']:.1f} s")
        if more is not None:
            started = time.perf_counter()
            more(cursor, params)
            timings["more"] = time.perf_counter() - started
        started = time.perf_counter()
        for statement in rebuild:
            cursor.execute(statement)
        timings["indexes"] = time.perf_counter() - started
        log(f"{len(rebuild)} indexes and unique constraints rebuilt in {timings['indexes']:.1f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in all_tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["vacuum"] = time.perf_counter() - started
    log(f"VACUUM ANALYZE in {timings['vacuum']:.1f} s")
    return timings
