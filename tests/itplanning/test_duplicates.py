"""Duplicate investments: two agencies, the same kind of system, periods sharing at least a day."""

import datetime as dt

from itplanning import figures

from .conftest import project_in


def _pair(demo, stp_plan, sxd_plan, *, stp_end, sxd_start, stp_kind="gis", sxd_kind="gis"):
    a = project_in(stp_plan, demo.users["quantri.stp"], kind_code=stp_kind, starts_on=dt.date(2027, 1, 1),
                   ends_on=stp_end)
    b = project_in(sxd_plan, demo.users["giamdoc.sxd"], kind_code=sxd_kind, starts_on=sxd_start,
                   ends_on=dt.date(2027, 12, 31))
    return figures.duplicates([a, b])


def test_same_kind_overlapping_by_one_day_is_flagged(demo, stp_plan, sxd_plan):
    assert len(_pair(demo, stp_plan, sxd_plan, stp_end=dt.date(2027, 6, 30), sxd_start=dt.date(2027, 6, 30))) == 1


def test_adjacent_periods_are_not_flagged(demo, stp_plan, sxd_plan):
    assert _pair(demo, stp_plan, sxd_plan, stp_end=dt.date(2027, 6, 30), sxd_start=dt.date(2027, 7, 1)) == []


def test_different_kinds_are_not_flagged(demo, stp_plan, sxd_plan):
    assert _pair(demo, stp_plan, sxd_plan, stp_end=dt.date(2027, 12, 31), sxd_start=dt.date(2027, 1, 1),
                 sxd_kind="one-stop") == []


def test_the_same_agency_twice_is_not_flagged(demo, stp_plan):
    admin = demo.users["quantri.stp"]
    first = project_in(stp_plan, admin, name="GIS 1")
    second = project_in(stp_plan, admin, name="GIS 2")
    assert figures.duplicates([first, second]) == []


def test_the_duplicates_report_lists_the_pair(sign_in, demo, stp_plan, sxd_plan):
    _pair(demo, stp_plan, sxd_plan, stp_end=dt.date(2027, 6, 30), sxd_start=dt.date(2027, 6, 30))
    page = sign_in("quantri.tinh").get("/workspace/it-planning/reports/duplicates/").content.decode()
    assert stp_plan.agency.name in page and sxd_plan.agency.name in page
