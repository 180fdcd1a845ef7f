"""Deadlines at every edge (issue 9): each kind of time limit at its cut-off, after office hours, at
a desk's Saturday-morning session, and with the extension for a commune with special difficulty
(decision 0017). Every expected moment is worked out by hand in the comments.

Office hours 07:30–11:30 and 13:30–17:00 (7.5 h a day); the legal default end of a period (the close
of its last working day). Mon 30/11/2026, Fri 4/12, Sat 5/12; Tue 24/11/2026 and Fri 1/1/2027 are
days off. The Department of Justice (STP) settles the dossiers unless said otherwise.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from directory.models import Agency, Membership, Role
from dossiers import deadlines, services, workflow
from dossiers.models import Slip
from procedures.models import ProcedureVersion
from processes.models import ProcessDefinition, ProcessStep
from processes.services import publish
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file
from workdays.models import CalendarOverride
from workdays.periods import LimitKind, TimeLimit, due

VN = ZoneInfo("Asia/Ho_Chi_Minh")
EXAMINING_UNIT = "Phòng Hành chính tư pháp"


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


# --- scenario builders (shared with test_supplement_rule and test_calendar_changes) -------------

def procedure_for(demo, code, *, days=3, kind=LimitKind.WORKING_DAYS, cutoff=None, extension=None, agency=None):
    """A procedure settled by ``agency`` (default STP); ``extension``: what it grants a commune with
    special difficulty (set on the published version, as an import of the catalogue would)."""
    procedure = make_procedure(agencies=[agency or demo.agencies["STP"]], code=code, days=days, limit_kind=kind,
                               cutoff=cutoff)
    if extension is not None:
        ProcedureVersion.objects.filter(pk=procedure.current.pk).update(difficulty_extension=Decimal(extension))
    return procedure


def leader_process(procedure, agency):
    """One step: the commune's chairman examines and approves (a commune without other roles)."""
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=agency)
    ProcessStep.objects.create(definition=definition, order=1, name="Xem xét, phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["supplement", "pause", "approve", "refuse"])
    publish(definition=definition)
    return procedure


def submitted(demo, procedure, when, *, agency=None):
    """Submitted online by the demo citizen at ``when``."""
    citizen = demo.users["congdan@example.vn"]
    with time_machine.travel(when, tick=False):
        draft = services.start_draft(applicant=citizen, procedure=procedure, agency=agency or demo.agencies["STP"])
        services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
        papers = list(procedure.current.papers.all())
        services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
        return services.submit(dossier=draft, applicant=citizen)


def accepted(demo, procedure, when, *, agency=None, desk="motcua.stp"):
    """Submitted an hour before ``when`` and accepted at the desk at ``when``; at STP the
    examining unit is the administrative-justice office (the default process's first step)."""
    dossier = submitted(demo, procedure, when - dt.timedelta(hours=1), agency=agency)
    unit = demo.units[("STP", EXAMINING_UNIT)] if agency is None else None
    with time_machine.travel(when, tick=False):
        return workflow.accept(dossier=dossier, acting_user=User.objects.get(username=desk), unit=unit)


def with_saturday_session(agency, opens=dt.time(7, 30), closes=dt.time(11, 30)):
    agency.saturday_opens, agency.saturday_closes = opens, closes
    agency.save(update_fields=["saturday_opens", "saturday_closes"])
    return agency


# --- same day: the cut-off hour ------------------------------------------------------------------

@pytest.mark.parametrize(("received", "expected"), [
    (at(2026, 12, 1, 14, 59), at(2026, 12, 1, 17)),  # Tue 14:59, before 15:00: that evening
    (at(2026, 12, 1, 15, 0), at(2026, 12, 2, 17)),  # Tue 15:00, at the cut-off: Wednesday
    (at(2026, 12, 4, 15, 0), at(2026, 12, 7, 17)),  # Fri 15:00: the next working day is Monday
    (at(2026, 11, 23, 15, 30), at(2026, 11, 25, 17)),  # Mon 15:30: Tue 24/11 is Culture Day, so Wednesday
])
def test_a_same_day_procedure_is_due_that_evening_before_the_cut_off_and_the_next_working_day_after(
        demo, received, expected):
    procedure = procedure_for(demo, "9.009001", days=0, kind=LimitKind.SAME_DAY, cutoff=dt.time(15, 0))
    dossier = accepted(demo, procedure, received)
    assert dossier.received_at == received and dossier.due_at == expected


# --- after office hours, every kind ----------------------------------------------------------------

@pytest.mark.parametrize(("kind", "amount", "expected"), [
    # Received Fri 4/12 17:30: counted from Mon 7/12 07:30, and Monday is the day not counted.
    (LimitKind.WORKING_DAYS, 2, at(2026, 12, 9, 17)),  # Tue 8 (1), Wed 9 (2): the close of Wed 9/12
    (LimitKind.WORKING_HOURS, 4, at(2026, 12, 7, 11, 30)),  # Mon 07:30 + 4 h = Mon 11:30
    (LimitKind.CALENDAR_DAYS, 10, at(2026, 12, 17, 17)),  # Mon 7/12 + 10 days = Thu 17/12, at its close
    (LimitKind.SAME_DAY, 0, at(2026, 12, 7, 17)),  # Monday 07:30 is before the cut-off: Monday evening
])
def test_a_dossier_received_after_office_hours_counts_from_the_next_opening(demo, kind, amount, expected):
    procedure = procedure_for(demo, "9.009002", days=amount, kind=kind)
    dossier = accepted(demo, procedure, at(2026, 12, 4, 17, 30))
    assert dossier.received_at == at(2026, 12, 4, 17, 30)  # the moment it was really received
    assert dossier.due_at == expected


def test_working_hours_received_in_the_lunch_break_start_at_the_afternoon_opening(demo):
    # Mon 30/11 12:00 → 13:30; 6 h: 13:30–17:00 (3.5 h), Tue 07:30 + 2.5 h = Tue 1/12 10:00.
    procedure = procedure_for(demo, "9.009003", days=6, kind=LimitKind.WORKING_HOURS)
    assert accepted(demo, procedure, at(2026, 11, 30, 12)).due_at == at(2026, 12, 1, 10)


def test_a_calendar_day_limit_ending_on_new_year_moves_to_the_next_working_day(demo):
    # Fri 25/12/2026 10:00 + 7 days = Fri 1/1/2027, New Year's Day; Sat, Sun off → Mon 4/1/2027 17:00
    # (Civil Code art. 148(5)).
    procedure = procedure_for(demo, "9.009004", days=7, kind=LimitKind.CALENDAR_DAYS)
    assert accepted(demo, procedure, at(2026, 12, 25, 10)).due_at == at(2027, 1, 4, 17)


# --- a desk's Saturday-morning session ---------------------------------------------------------------

def test_the_desk_is_open_during_its_saturday_session_only(demo):
    stp = with_saturday_session(demo.agencies["STP"])  # 07:30–11:30
    assert deadlines.desk_open(stp, at(2026, 12, 5, 7, 30)) and deadlines.desk_open(stp, at(2026, 12, 5, 11, 29))
    assert not deadlines.desk_open(stp, at(2026, 12, 5, 7, 29))
    assert not deadlines.desk_open(stp, at(2026, 12, 5, 11, 30))  # closing minute excluded
    assert not deadlines.desk_open(stp, at(2026, 12, 5, 14))  # Saturday afternoon
    assert not deadlines.desk_open(stp, at(2026, 12, 6, 9))  # Sunday
    assert not deadlines.desk_open(demo.agencies["SXD"], at(2026, 12, 5, 9))  # an agency without a session
    # Sat 6/2/2027 is the first day of Tết: no session on a public holiday.
    assert not deadlines.desk_open(stp, at(2027, 2, 6, 9))
    # A Saturday the province makes a working day has the full office hours, afternoon included.
    CalendarOverride.objects.create(date=dt.date(2026, 12, 12), kind="working_day", name="Làm bù")
    assert deadlines.desk_open(stp, at(2026, 12, 12, 14)) and deadlines.desk_open(demo.agencies["SXD"],
                                                                                  at(2026, 12, 12, 9))


def test_a_dossier_received_at_the_saturday_session_counts_from_the_next_working_day(demo):
    stp = with_saturday_session(demo.agencies["STP"])
    procedure = procedure_for(demo, "9.009005", days=3)
    # Submitted online Fri 4/12 16:00. The intake time limit (7.5 working hours) does not count the
    # Saturday session either: Fri 16:00–17:00 (1 h), Mon 07:30–11:30 (4 h), 13:30–16:00 (2.5 h).
    dossier = submitted(demo, procedure, at(2026, 12, 4, 16))
    assert dossier.intake_due_at == at(2026, 12, 7, 16)
    # Accepted at the session, Sat 5/12 09:00: the desk is open, the clock is not. Counted from Mon
    # 7/12 07:30, Monday not counted: Tue 8 (1), Wed 9 (2), Thu 10 (3) → the close of Thu 10/12.
    assert deadlines.desk_open(stp, at(2026, 12, 5, 9))
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        dossier = workflow.accept(dossier=dossier, acting_user=User.objects.get(username="motcua.stp"),
                                  unit=demo.units[("STP", EXAMINING_UNIT)])
    assert dossier.received_at == at(2026, 12, 5, 9)
    assert dossier.due_at == at(2026, 12, 10, 17)
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    assert receipt.content["counted_from"] == at(2026, 12, 7, 7, 30).isoformat()


def test_a_same_day_procedure_received_at_the_saturday_session_is_due_on_monday(demo):
    with_saturday_session(demo.agencies["STP"])
    procedure = procedure_for(demo, "9.009006", days=0, kind=LimitKind.SAME_DAY)
    # Sat 5/12 10:00 → counted from Mon 7/12 07:30, before the cut-off → the close of Monday.
    assert accepted(demo, procedure, at(2026, 12, 5, 10)).due_at == at(2026, 12, 7, 17)


# --- the extension for a commune with special difficulty ----------------------------------------------

@pytest.mark.parametrize(("limit", "received", "expected"), [
    # 3 + 2 working days from Mon 30/11 10:00: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 → the close of Mon 7/12.
    (TimeLimit(LimitKind.WORKING_DAYS, Decimal(3), extension=Decimal(2)), at(2026, 11, 30, 10), at(2026, 12, 7, 17)),
    # 4 + 2 working hours from Mon 10:00: 10:00–11:30, 13:30–17:00 (5 h), Tue 07:30 + 1 h → Tue 08:30.
    (TimeLimit(LimitKind.WORKING_HOURS, Decimal(4), extension=Decimal(2)), at(2026, 11, 30, 10),
     at(2026, 12, 1, 8, 30)),
    # 3 + 0.5 working days = 26.25 h, hour-precise: Mon 5 h, Tue 7.5, Wed 7.5 (20 h), Thu 07:30 + 6.25 h:
    # 4 h to 11:30, then 13:30 + 2.25 h → Thu 3/12 15:45.
    (TimeLimit(LimitKind.WORKING_DAYS, Decimal(3), extension=Decimal("0.5")), at(2026, 11, 30, 10),
     at(2026, 12, 3, 15, 45)),
    # 10 + 5 calendar days from Mon 30/11 → Tue 15/12, at its close.
    (TimeLimit(LimitKind.CALENDAR_DAYS, Decimal(10), extension=Decimal(5)), at(2026, 11, 30, 10),
     at(2026, 12, 15, 17)),
    # Same day + 1 working day: before the cut-off Mon 30/11 → Tue 1/12; after it Tue → Wed 2/12.
    (TimeLimit(LimitKind.SAME_DAY, extension=Decimal(1)), at(2026, 11, 30, 10), at(2026, 12, 1, 17)),
    (TimeLimit(LimitKind.SAME_DAY, extension=Decimal(1)), at(2026, 11, 30, 15), at(2026, 12, 2, 17)),
])
def test_an_extension_is_counted_in_the_unit_of_the_limit(limit, received, expected, db):
    assert due(received, limit) == expected


def test_a_fraction_of_a_day_cannot_extend_a_calendar_day_or_same_day_limit():
    with pytest.raises(ValueError):
        TimeLimit(LimitKind.CALENDAR_DAYS, Decimal(10), extension=Decimal("0.5"))


@pytest.fixture
def difficult_commune(demo):
    """A commune of the demo settling dossiers itself: its desk and its chairman (officials of the
    demo given a place there), its administrative unit not yet flagged as specially difficult."""
    agency = (Agency.objects.filter(administrative_unit__level="commune", valid_to__isnull=True)
              .select_related("administrative_unit").order_by("code").first())
    Membership.objects.create(official=demo.users["motcua.stp"], agency=agency, roles=[Role.DESK_OFFICER])
    Membership.objects.create(official=demo.users["giamdoc.stp"], agency=agency, roles=[Role.AGENCY_LEADER])
    return agency


def test_a_commune_with_special_difficulty_gets_the_extension_and_the_receipt_says_so(demo, difficult_commune):
    procedure = leader_process(procedure_for(demo, "9.009007", days=3, extension="2", agency=difficult_commune),
                               difficult_commune)
    # Not flagged: Mon 30/11 10:00 + 3 working days → the close of Thu 3/12.
    ordinary = accepted(demo, procedure, at(2026, 11, 30, 10), agency=difficult_commune)
    assert ordinary.due_at == at(2026, 12, 3, 17)
    unit = difficult_commune.administrative_unit
    unit.special_difficulty = True
    unit.save(update_fields=["special_difficulty"])
    # Flagged: 3 + 2 working days → Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 → the close of Mon 7/12.
    extended = accepted(demo, procedure, at(2026, 11, 30, 10), agency=difficult_commune)
    assert extended.due_at == at(2026, 12, 7, 17)
    receipt = extended.slips.get(form=Slip.Form.RECEIPT)
    assert receipt.content["time_limit"] == "3 ngày làm việc (gia hạn thêm 2 ngày làm việc: xã có điều kiện đặc biệt khó khăn)"
    assert ordinary.slips.get(form=Slip.Form.RECEIPT).content["time_limit"] == "3 ngày làm việc"


def test_no_extension_where_the_procedure_grants_none_or_the_settling_agency_is_not_in_such_a_commune(
        demo, difficult_commune):
    unit = difficult_commune.administrative_unit
    unit.special_difficulty = True
    unit.save(update_fields=["special_difficulty"])
    none_granted = leader_process(procedure_for(demo, "9.009008", days=3, agency=difficult_commune),
                                  difficult_commune)
    assert accepted(demo, none_granted, at(2026, 11, 30, 10), agency=difficult_commune).due_at == at(2026, 12, 3, 17)
    # The provincial department settles it: its unit is the province, not a commune with special difficulty.
    at_the_department = procedure_for(demo, "9.009009", days=3, extension="2")
    assert accepted(demo, at_the_department, at(2026, 11, 30, 10)).due_at == at(2026, 12, 3, 17)
