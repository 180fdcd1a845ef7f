"""Plan and disbursement totals match the sums worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from itplanning import figures, services
from itplanning.demo import load_demo
from itplanning.models import Project, Source
from itplanning.selectors import readable_projects

from .conftest import project_in


def test_budget_table_by_source_and_year(stp_project):
    table = figures.budget_table(stp_project)
    assert table.years == [2027]
    # central 750,000,000 + provincial 1,250,000,000 = 2,000,000,000
    assert [(label, amounts) for label, amounts, _total in table.rows] == [
        (str(Source.CENTRAL.label), [Decimal("750000000")]), (str(Source.PROVINCIAL.label), [Decimal("1250000000")])]
    assert table.total == Decimal("2000000000")


def test_disbursement_against_plan(stp_project):
    against = figures.against_plan([stp_project])
    # disbursed 500,000,000 + 125,000,000 = 625,000,000 of 2,000,000,000: 31.25 % → 31.3 %
    assert against["total"].planned == Decimal("2000000000")
    assert against["total"].disbursed == Decimal("625000000")
    assert against["total"].remaining == Decimal("1375000000")
    assert against["total"].rate == Decimal("31.3")
    provincial = next(a for a in against["by_source"] if a.label == str(Source.PROVINCIAL.label))
    # provincial: 625,000,000 of 1,250,000,000 = 50.0 %
    assert (provincial.planned, provincial.disbursed, provincial.rate) == (
        Decimal("1250000000"), Decimal("625000000"), Decimal("50.0"))


def test_plan_totals_add_every_project(demo, stp_plan, stp_project):
    admin = demo.users["quantri.stp"]
    second = project_in(stp_plan, admin, name="Phần mềm một cửa", kind_code="one-stop")
    services.set_budget(user=admin, project=second, source=Source.ODA, year=2027, amount=Decimal("300000000"))
    services.record_disbursement(user=admin, project=second, source=Source.ODA, amount=Decimal("100000000"),
                                 disbursed_on=dt.date(2027, 4, 2), evidence="UNC 3")
    against = figures.against_plan(Project.objects.filter(plan=stp_plan))
    # planned 2,000,000,000 + 300,000,000 = 2,300,000,000; disbursed 625,000,000 + 100,000,000 = 725,000,000
    assert (against["total"].planned, against["total"].disbursed) == (Decimal("2300000000"), Decimal("725000000"))


def test_spending_by_agency_source_and_year(demo, stp_project):
    report = figures.spending(readable_projects(demo.users["quantri.tinh"]).filter(pk=stp_project.pk), 2027)
    assert [(r.agency, r.source, r.year, r.planned, r.disbursed) for r in report.rows] == [
        (stp_project.agency.name, str(Source.CENTRAL.label), 2027, Decimal("750000000"), Decimal(0)),
        (stp_project.agency.name, str(Source.PROVINCIAL.label), 2027, Decimal("1250000000"), Decimal("625000000"))]
    assert report.total.planned == Decimal("2000000000")


def test_project_page_shows_amounts_with_vietnamese_separators(sign_in, stp_project):
    page = sign_in("quantri.stp").get(f"/workspace/it-planning/projects/{stp_project.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2.000.000.000 đ" in text  # budget total
    assert "625.000.000 đ" in text  # disbursed
    assert "31,3 %" in text


def test_a_budget_line_outside_the_project_period_is_refused(demo, stp_project):
    with pytest.raises(ValidationError) as refused:
        services.set_budget(user=demo.users["quantri.stp"], project=stp_project, source=Source.ODA, year=2029,
                            amount=Decimal(1))
    assert "year" in refused.value.message_dict


def test_demo_loads_twice_and_flags_its_duplicate(demo):
    first = load_demo(demo)
    again = load_demo(demo)
    assert {k: p.pk for k, p in first.items()} == {k: p.pk for k, p in again.items()}
    pairs = figures.duplicates(Project.objects.all())
    assert {frozenset((a.pk, b.pk)) for a, b in pairs} == {frozenset((first["dc"].pk, first["sxd"].pk))}
    # the data centre: provincial 12,000 + 15,000 + 5,000 and central 8,000 (millions) = 40,000,000,000
    assert figures.budget_table(first["dc"]).total == Decimal("40000000000")
