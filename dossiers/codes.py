"""The dossier code (mã số hồ sơ): the one function that builds it.

Format: ``<agency identifier code (QCVN 102:2016)>-<YYMMDD>-<daily sequence, 4+ digits>``, for example
``000.00.03.H55-261125-0001``; the date is the day of submission in Vietnam and the sequence
restarts every day for every agency. It is the format of the codes issued under Circular
01/2018/TT-VPCP, kept for dossiers under Circular 03/2025/TT-VPCP (which also governs the dossier code
and the codes of sectors and fields): the circular's own text could not be checked here, so the
format is an assumption written down in decision 0014. Stored codes are never rewritten: a dossier
keeps the code it got. Changing the format means changing this module only.
"""

import datetime as dt
import re

from django.db import connection
from django.utils import timezone

from .models import DailySequence

CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,}$")


def format_code(agency_code: str, day: dt.date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


# One statement (PostgreSQL and SQLite ≥ 3.35): the first submission of the day creates the row, the
# next ones increment it; the row of this agency and day stays locked until the caller's transaction
# ends, so numbers are never given twice nor lost, and two agencies never wait for each other.
_NEXT = ("INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "
         "ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last")


def next_code(agency, moment: dt.datetime | None = None) -> str:
    """Reserve the next number of the day for ``agency``; safe under concurrent submissions.
    Callers take it as late as they can in their transaction (the row is locked until it ends)."""
    day = timezone.localdate(moment or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_NEXT.format(table=connection.ops.quote_name(DailySequence._meta.db_table)),
                       [agency.pk, day])
        (number,) = cursor.fetchone()
    return format_code(agency.code, day, number)
