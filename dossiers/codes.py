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

from django.db import transaction
from django.utils import timezone

from .models import DailySequence

CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,}$")


def format_code(agency_code: str, day: dt.date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def next_code(agency, moment: dt.datetime | None = None) -> str:
    """Reserve the next number of the day for ``agency``; safe under concurrent submissions
    (the counter row is locked until the caller's transaction ends)."""
    day = timezone.localdate(moment or timezone.now())
    with transaction.atomic():
        DailySequence.objects.get_or_create(agency=agency, day=day)
        counter = DailySequence.objects.select_for_update().get(agency=agency, day=day)
        counter.last += 1
        counter.save(update_fields=["last"])
    return format_code(agency.code, day, counter.last)
