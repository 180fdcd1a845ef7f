"""Who may read and change IT plans: what a page offers is exactly what the door allows, and
attempts from outside are refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from itplanning import policy, services
from itplanning.models import Asset, AssetKind, Plan, PlanStatus, Source

BASE = "/workspace/it-planning"

# username → (reads the STP draft plan, edits it)
MATRIX = {
    "quantri.tinh": (True, True),  # province admin: every agency
    "quantri.stp": (True, True),  # the agency's administrator
    "giamdoc.stp": (True, True),  # the agency's leader
    "kiemtra.tinh": (True, False),  # the auditor reads only
    "chutich.tinh": (True, False),  # the province's leader reads the departments' plans (subtree)
    "giamdoc.sxd": (False, False),  # another agency's leader
    "chuyenvien.stp": (False, False),  # not a planner
    "vanthu.stp": (False, False),  # not a planner
}


@pytest.mark.parametrize("username", list(MATRIX))
def test_offered_if_and_only_if_allowed(sign_in, demo, stp_plan, username):
    reads, edits = MATRIX[username]
    client = sign_in(username)
    page = client.get(f"{BASE}/plans/{stp_plan.pk}/")
    assert page.status_code == (200 if reads else 404)
    if reads:
        text = page.content.decode()
        assert (f"{BASE}/plans/{stp_plan.pk}/edit/" in text) is edits
        assert (f"{BASE}/plans/{stp_plan.pk}/projects/new/" in text) is edits
        assert ('name="decision_number"' in text) is edits
    response = client.post(f"{BASE}/plans/{stp_plan.pk}/edit/", {
        "title": "Đổi tên", "kind": "yearly", "level": "agency", "agency": stp_plan.agency_id,
        "start_year": 2027, "end_year": 2027, "objectives": ""})
    stp_plan.refresh_from_db()
    assert (stp_plan.title == "Đổi tên") is edits, response.status_code
    assert policy.decide_plan(demo.users[username], stp_plan, "edit").allowed is edits


def test_another_agency_admin_can_neither_read_nor_edit_a_draft_plan(sign_in, demo, sxd_plan):
    client = sign_in("quantri.stp")
    assert client.get(f"{BASE}/plans/{sxd_plan.pk}/").status_code == 404
    assert client.get(f"{BASE}/plans/{sxd_plan.pk}/edit/").status_code == 404
    client.post(f"{BASE}/plans/{sxd_plan.pk}/approve/", {"decision_number": "1/QĐ", "decision_date": "01/01/2027"})
    assert Plan.objects.get(pk=sxd_plan.pk).status == PlanStatus.DRAFT
    listing = client.get(f"{BASE}/").content.decode()
    assert sxd_plan.title not in listing
    with pytest.raises(PermissionDenied):
        services.update_plan(user=demo.users["quantri.stp"], plan=sxd_plan, title="Chiếm quyền")


def test_an_approved_plan_is_read_by_every_planner_but_kept_by_its_agency(sign_in, demo, sxd_plan):
    services.approve_plan(user=demo.users["giamdoc.sxd"], plan=sxd_plan, decision_number="88/QĐ-SXD",
                          decision_date=dt.date(2026, 12, 1))
    client = sign_in("quantri.stp")
    page = client.get(f"{BASE}/plans/{sxd_plan.pk}/")
    assert page.status_code == 200 and "88/QĐ-SXD" in page.content.decode()
    assert f"{BASE}/plans/{sxd_plan.pk}/projects/new/" not in page.content.decode()
    assert client.get(f"{BASE}/plans/{sxd_plan.pk}/projects/new/").status_code == 404


def test_an_auditor_cannot_edit(sign_in, demo, stp_project):
    client = sign_in("kiemtra.tinh")
    page = client.get(f"{BASE}/projects/{stp_project.pk}/")
    assert page.status_code == 200
    assert 'name="amount"' not in page.content.decode()
    client.post(f"{BASE}/projects/{stp_project.pk}/disbursement/", {
        "source": Source.PROVINCIAL, "amount": "1000", "disbursed_on": "01/02/2027", "evidence": "giả"})
    client.post(f"{BASE}/projects/{stp_project.pk}/budget/", {"source": Source.ODA, "year": 2027, "amount": "9"})
    assert stp_project.disbursements.count() == 2
    assert not stp_project.budget_lines.filter(source=Source.ODA).exists()
    assert client.get(f"{BASE}/projects/{stp_project.pk}/edit/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_disbursement(user=demo.users["kiemtra.tinh"], project=stp_project, source=Source.OTHER,
                                     amount=Decimal(1), disbursed_on=dt.date(2027, 1, 2), evidence="x")


def test_the_project_page_offers_forms_to_its_keepers(sign_in, stp_project):
    text = sign_in("quantri.stp").get(f"{BASE}/projects/{stp_project.pk}/").content.decode()
    assert 'name="amount"' in text and 'name="evidence"' in text


def test_assets_of_another_agency_are_neither_listed_nor_editable(sign_in, demo):
    asset = services.create_asset(user=demo.users["giamdoc.sxd"], kind=AssetKind.SERVER, name="Máy chủ SXD-01",
                                  agency=demo.agencies["SXD"])
    client = sign_in("quantri.stp")
    assert "Máy chủ SXD-01" not in client.get(f"{BASE}/assets/").content.decode()
    assert client.get(f"{BASE}/assets/{asset.pk}/").status_code == 404
    auditor = sign_in("kiemtra.tinh")
    assert "Máy chủ SXD-01" in auditor.get(f"{BASE}/assets/").content.decode()
    assert auditor.get(f"{BASE}/assets/{asset.pk}/").status_code == 404  # reads, never edits
    assert Asset.objects.get(pk=asset.pk).name == "Máy chủ SXD-01"


def test_only_the_province_admin_synchronises_certificates(sign_in):
    agency_admin = sign_in("quantri.stp")
    assert f"{BASE}/assets/synchronise/" not in agency_admin.get(f"{BASE}/assets/").content.decode()
    assert agency_admin.post(f"{BASE}/assets/synchronise/").status_code == 404
    assert sign_in("quantri.tinh").post(f"{BASE}/assets/synchronise/").status_code == 302


def test_keepers_open_the_forms_and_create_a_project_through_the_page(sign_in, stp_plan):
    client = sign_in("quantri.stp")
    for path in (f"{BASE}/plans/new/", f"{BASE}/assets/new/", f"{BASE}/plans/{stp_plan.pk}/projects/new/",
                 f"{BASE}/plans/{stp_plan.pk}/edit/"):
        assert client.get(path).status_code == 200, path
    response = client.post(f"{BASE}/plans/{stp_plan.pk}/projects/new/", {
        "name": "Cổng thông tin Sở", "agency": stp_plan.agency_id, "kind": "investment",
        "starts_on": "01/02/2027", "ends_on": "30/11/2027"})
    assert response.status_code == 302
    assert stp_plan.projects.get().name == "Cổng thông tin Sở"
    outside = client.post(f"{BASE}/plans/{stp_plan.pk}/projects/new/", {
        "name": "Quá hạn", "agency": stp_plan.agency_id, "kind": "investment",
        "starts_on": "01/02/2027", "ends_on": "30/11/2028"})
    assert outside.status_code == 200 and stp_plan.projects.count() == 1
