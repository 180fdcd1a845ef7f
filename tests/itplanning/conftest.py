"""A small IT planning world built through the doors: a draft plan of the Department of Justice
(STP) with one project, its budget and disbursements, and a draft plan of the Department of
Construction (SXD)."""

import datetime as dt
from decimal import Decimal

import pytest

from itplanning import services
from itplanning.models import PlanKind, PlanLevel, ProjectKind, Source, SystemKind


@pytest.fixture
def people(demo):
    return demo.users


@pytest.fixture
def stp_plan(demo):
    return services.create_plan(user=demo.users["quantri.stp"], title="Kế hoạch CNTT Sở Tư pháp 2027",
                                kind=PlanKind.YEARLY, level=PlanLevel.AGENCY, agency=demo.agencies["STP"],
                                start_year=2027, end_year=2027, objectives="Thử nghiệm")


@pytest.fixture
def sxd_plan(demo):
    return services.create_plan(user=demo.users["giamdoc.sxd"], title="Kế hoạch CNTT Sở Xây dựng 2027",
                                kind=PlanKind.YEARLY, level=PlanLevel.AGENCY, agency=demo.agencies["SXD"],
                                start_year=2027, end_year=2027)


def project_in(plan, user, *, name="Dự án", kind_code="gis", starts_on=dt.date(2027, 1, 1),
               ends_on=dt.date(2027, 12, 31)):
    return services.create_project(user=user, plan=plan, name=name, agency=plan.agency, kind=ProjectKind.INVESTMENT,
                                   system_kind=SystemKind.objects.get(code=kind_code), starts_on=starts_on,
                                   ends_on=ends_on)


@pytest.fixture
def stp_project(demo, stp_plan):
    admin = demo.users["quantri.stp"]
    project = project_in(stp_plan, admin, name="Hệ thống GIS tư pháp")
    services.set_budget(user=admin, project=project, source=Source.PROVINCIAL, year=2027,
                        amount=Decimal("1250000000"))
    services.set_budget(user=admin, project=project, source=Source.CENTRAL, year=2027, amount=Decimal("750000000"))
    services.record_disbursement(user=admin, project=project, source=Source.PROVINCIAL, amount=Decimal("500000000"),
                                 disbursed_on=dt.date(2027, 3, 1), evidence="UNC 1")
    services.record_disbursement(user=admin, project=project, source=Source.PROVINCIAL, amount=Decimal("125000000"),
                                 disbursed_on=dt.date(2027, 6, 1), evidence="UNC 2")
    return project
