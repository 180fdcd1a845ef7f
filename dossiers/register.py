"""Sổ theo dõi hồ sơ: the register of the dossiers a one-stop department received (Mẫu 07 of Circular
03/2025/TT-VPCP; Mẫu 06 of Circular 01/2018/TT-VPCP before 1 July 2025).

The one-stop department (Bộ phận Một cửa) whose register holds a dossier is the agency staffing the
service centre that received it, or, when no centre received it, the settling agency's own desk
(Decree 118/2025/NĐ-CP: a centre receives dossiers of any agency of the province). A dossier is
entered when it is received (accepted at the desk, or taken in at the counter: both go through
``dossiers.workflow.accept``): entry numbers run per department and restart every year, so the
register's book (quyển số) is the year and the entry number (số thứ tự) counts from 1 each year
(decision 0014).

A register is kept per form set (``legal.FormSet``): a dossier is listed in the book of the form
set it was submitted under, with that set's title, number and columns, so a dossier of June 2025
stays in the Circular 01/2018 register.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Agency
from directory.scope import Action, scope_of

from . import desks
from .models import Dossier, RegisterSequence
from .states import Status

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# --- entering a dossier ------------------------------------------------------------------------


def department_id(dossier: Dossier) -> int:
    """The agency whose one-stop department keeps the dossier's register entry: the receiving desk
    (dossiers.desks)."""
    return desks.receiving_desk_agency(dossier).pk


def _next_entry(agency_id: int, year: int) -> int:
    """The department's next entry number for ``year``, in one atomic statement (an upsert that
    returns the new value), so that concurrent receipts never get the same number and no row
    lock is held beyond the statement itself."""
    table = connection.ops.quote_name(RegisterSequence._meta.db_table)
    last = connection.ops.quote_name("last")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, year, {last}) VALUES (%s, %s, 1) "  # noqa: S608 - names are ours
            f"ON CONFLICT (agency_id, year) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}",
            [agency_id, year])
        return cursor.fetchone()[0]


def assign_entry(dossier: Dossier) -> None:
    """Give a dossier just received its register entry (year and number), once; the caller saves
    the dossier in the same transaction. The year is the year of receipt in Vietnam."""
    if dossier.register_number is not None or dossier.received_at is None:
        return
    year = timezone.localtime(dossier.received_at, VN).year
    dossier.register_year = year
    dossier.register_number = _next_entry(department_id(dossier), year)


# --- who reads which register --------------------------------------------------------------------


def _scopes(user):
    return scope_of(user, Action.VIEW), scope_of(user, Action.INTAKE)


# Departments in operation first (the register opens on the reader's own), then those that ended
# (the predecessors whose records a successor reads), most recent first.
IN_FORCE_FIRST = (F("valid_to").desc(nulls_first=True), "code")


def departments_for(user) -> QuerySet[Agency]:
    """The departments whose register ``user`` may read: those of the agencies in their reach to
    view or to take in dossiers (a desk officer: their own department; a leader: the agencies
    under theirs; the province: every department that has received a dossier or staffs a centre)."""
    view, intake = _scopes(user)
    if view.everything or intake.everything:
        return Agency.objects.filter(
            Q(pk__in=Dossier.objects.filter(receiving_centre__isnull=True, received_at__isnull=False)
              .values("agency_id"))
            | Q(service_centres__isnull=False)).distinct().order_by(*IN_FORCE_FIRST)
    return Agency.objects.filter(pk__in=view.agency_ids | intake.agency_ids).order_by(*IN_FORCE_FIRST)


def may_read(user, agency_id: int) -> bool:
    view, intake = _scopes(user)
    return view.allows(agency_id) or intake.allows(agency_id)


# --- the entries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    procedure_id: int | None = None
    status: str = ""
    outcome: str = ""
    channel: str = ""


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VN)


def entries(agency_id: int, book, filters: Filters) -> QuerySet[Dossier]:
    """The dossiers of the register of ``agency_id``'s department in the form set ``book``, received
    from ``filters.start`` to ``filters.end`` (days in Vietnam, both included), in register order."""
    dossiers = Dossier.objects.filter(
        Q(receiving_centre__agency_id=agency_id) | Q(receiving_centre__isnull=True, agency_id=agency_id),
        form_set=book, received_at__gte=_start_of(filters.start),
        received_at__lt=_start_of(filters.end + dt.timedelta(days=1)))
    if filters.procedure_id:
        dossiers = dossiers.filter(procedure_version__procedure_id=filters.procedure_id)
    if filters.status:
        dossiers = dossiers.filter(status=filters.status)
    if filters.outcome:
        dossiers = dossiers.filter(outcome=filters.outcome)
    if filters.channel:
        dossiers = dossiers.filter(channel=filters.channel)
    return (dossiers.select_related("procedure_version", "agency", "organisation", "receiving_centre",
                                    "reception_point", "return_centre")
            .annotate(handed_at=Min("steps__received_at"))
            .order_by("register_year", "register_number", "received_at", "id"))


# --- the layout of each book -------------------------------------------------------------------
# The columns of Mẫu 06 (Circular 01/2018) as published; Circular 03/2025's Mẫu 07 is assumed to keep
# them and to add how and where the dossier was received and how the result goes back (Decree
# 118/2025: receiving anywhere, by post, online) — decision 0014 says which are confirmed.

COLUMNS = {
    "entry": gettext_lazy("Register entry no."),
    "code": gettext_lazy("Dossier code"),
    "procedure": gettext_lazy("Name of the administrative procedure"),
    "sets": gettext_lazy("Number of dossiers (sets)"),
    "applicant": gettext_lazy("Name of the person or organisation"),
    "contact": gettext_lazy("Address, phone number"),
    "channel": gettext_lazy("How the dossier was received"),
    "place": gettext_lazy("Place of receipt"),
    "settling": gettext_lazy("Agency in charge of settling it"),
    "received": gettext_lazy("Dossier received (day, month, year)"),
    "due": gettext_lazy("Appointment for the result (day, month, year)"),
    "handed": gettext_lazy("Dossier handed to the settling agency (day, month, year)"),
    "result": gettext_lazy("Result received from the settling agency (day, month, year)"),
    "returned": gettext_lazy("Result returned to the person or organisation (day, month, year)"),
    "return_method": gettext_lazy("How the result is returned"),
    "note": gettext_lazy("Notes"),
}
# Relative widths of the columns in the PDF (A4 landscape).
WIDTHS = {"entry": 3, "code": 8.5, "procedure": 9, "sets": 3, "applicant": 7, "contact": 8, "channel": 5.5,
          "place": 6, "settling": 6, "received": 6.5, "due": 6.5, "handed": 6.5, "result": 6.5, "returned": 6.5,
          "return_method": 5.5, "note": 5}
TT01 = ["entry", "code", "procedure", "sets", "applicant", "contact", "settling", "received", "due", "handed",
        "result", "returned", "note"]
CURRENT = ["entry", "code", "procedure", "sets", "applicant", "contact", "channel", "place", "settling", "received",
           "due", "handed", "result", "returned", "return_method", "note"]
LAYOUTS = {"tt01-2018": TT01}


def columns_of(book) -> list[str]:
    """The columns of ``book``'s register (a form set entered later takes today's layout)."""
    return LAYOUTS.get(book.code, CURRENT)


def _day(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment, VN).strftime("%d/%m/%Y") if moment else ""


def place_of_receipt(dossier: Dossier) -> str:
    if dossier.receiving_centre_id:
        place = dossier.receiving_centre.name
        if dossier.reception_point_id:
            place += f" – {dossier.reception_point.name}"
        return place
    return dossier.agency.name


def _note(dossier: Dossier) -> str:
    parts = [dossier.get_outcome_display() if dossier.outcome else dossier.get_status_display()]
    if dossier.apology_due_at:
        parts.append(_("new appointment %(day)s (apology letter)") % {"day": _day(dossier.apology_due_at)})
    return "; ".join(parts)


def cells(dossier: Dossier, columns: list[str]) -> list[str]:
    """One line of the register, in the active language (the exports render it in Vietnamese)."""
    applicant = dossier.applicant_name
    if dossier.organisation_id:
        applicant = f"{dossier.organisation.name} ({applicant})"
    values = {
        "entry": str(dossier.register_number or ""),
        "code": dossier.code or "",
        "procedure": dossier.procedure_version.name,
        "sets": "01",
        "applicant": applicant,
        "contact": ", ".join(part for part in (dossier.applicant_address, dossier.applicant_phone) if part),
        "channel": dossier.get_channel_display(),
        "place": place_of_receipt(dossier),
        "settling": dossier.agency.name,
        "received": _day(dossier.received_at),
        "due": _day(dossier.due_at),
        "handed": _day(getattr(dossier, "handed_at", None)),
        "result": _day(dossier.result_ready_at),
        "returned": _day(dossier.finished_at) if dossier.status == Status.COMPLETED else "",
        "return_method": dossier.get_return_method_display(),
        "note": _note(dossier),
    }
    return [values[name] for name in columns]
