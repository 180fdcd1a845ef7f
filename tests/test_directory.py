"""Directory: identifier codes, history across the 2025 reform, import/export, admin scope."""

import datetime as dt

import pytest
import tablib
from django.core.exceptions import ValidationError

from directory.models import AdministrativeUnit, Agency, Membership, OrgUnit
from directory.resources import AgencyResource, OrgUnitResource


@pytest.mark.parametrize("code", ["000.00.00.H05", "000.00.04.G14", "000.12.34.H55"])
def test_identifier_codes_follow_qcvn_102(db, code):
    Agency(code=code, name="x", abbreviation="X", administrative_unit_id=1).clean_fields(
        exclude=["administrative_unit"])


@pytest.mark.parametrize("code", ["H05", "000.00.00.h05", "00.00.00.H05", "000.00.00.H5", "000-00-00-H05"])
def test_malformed_identifier_codes_are_refused_in_vietnamese(db, code):
    with pytest.raises(ValidationError, match="QCVN 102:2016"):
        Agency(code=code, name="x", abbreviation="X").clean_fields(exclude=["administrative_unit"])


def test_three_level_structure_before_the_reform_and_two_levels_after(demo):
    before, after = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    districts_before = AdministrativeUnit.objects.valid_on(before).filter(level="district")
    assert districts_before.count() == 8
    assert not AdministrativeUnit.objects.valid_on(after).filter(level="district").exists()
    duc_xuan_then = AdministrativeUnit.objects.valid_on(before).get(code="01840")
    duc_xuan_now = AdministrativeUnit.objects.valid_on(after).get(code="01840")
    assert duc_xuan_then.parent.level == "district" and duc_xuan_now.parent.level == "province"
    merged = AdministrativeUnit.objects.valid_on(before).get(name="Phường Nguyễn Thị Minh Khai")
    assert list(merged.successors.all()) == [duc_xuan_now]


def test_every_role_has_a_demo_official(demo):
    from directory.models import Role

    held = {role for m in Membership.objects.all() for role in m.roles}
    assert held == set(Role.values)


def test_membership_unit_must_belong_to_its_agency(demo):
    membership = Membership(official=demo.users["chuyenvien.stp"], agency=demo.agencies["SXD"],
                            unit=demo.units[("STP", "Văn phòng Sở")], roles=["specialist"])
    with pytest.raises(ValidationError):
        membership.full_clean()
    membership.unit = None
    membership.roles = ["chief"]
    with pytest.raises(ValidationError, match="chief"):
        membership.full_clean()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_directory_round_trips_through_csv_and_excel(demo, fmt):
    exported = AgencyResource().export()
    data = exported.export(fmt)
    Agency.objects.filter(code="000.00.17.H55").update(name="Tên sai")
    dataset = tablib.Dataset().load(data, format=fmt)
    result = AgencyResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    assert Agency.objects.get(code="000.00.17.H55").name == "Thanh tra tỉnh"
    assert Agency.objects.get(code="000.00.03.H55").parent.code == "000.00.00.H55"


def test_importing_units_by_agency_code_creates_them(demo):
    dataset = tablib.Dataset(headers=["agency_code", "name", "abbreviation", "active"])
    dataset.append(["000.00.03.H55", "Phòng Phổ biến, giáo dục pháp luật", "PBGDPL", "1"])
    OrgUnitResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert OrgUnit.objects.get(name="Phòng Phổ biến, giáo dục pháp luật").agency == demo.agencies["STP"]


def test_importing_a_row_with_an_unknown_agency_reports_the_row(demo):
    dataset = tablib.Dataset(headers=["agency_code", "name", "abbreviation", "active"])
    dataset.append(["000.00.99.H05", "Phòng ma", "", "1"])
    result = OrgUnitResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors() or result.has_errors()
    assert not OrgUnit.objects.filter(name="Phòng ma").exists()


def test_agency_admin_manages_only_their_own_agency_in_the_admin(demo, sign_in):
    client = sign_in("quantri.stp")
    listing = client.get("/admin/directory/orgunit/").content.decode()
    assert "Phòng Hành chính tư pháp" in listing and "Phòng Quản lý xây dựng" not in listing
    other = demo.units[("SXD", "Phòng Quản lý xây dựng")]
    assert client.get(f"/admin/directory/orgunit/{other.pk}/change/").status_code in (302, 403, 404)
    own = demo.units[("STP", "Phòng Bổ trợ tư pháp")]
    assert client.get(f"/admin/directory/orgunit/{own.pk}/change/").status_code == 200
    # Shared lists are the province's: not even visible to an agency administrator.
    assert client.get("/admin/directory/administrativeunit/").status_code == 403


def test_province_admin_sees_every_agency_and_the_admin_is_in_vietnamese(demo, sign_in):
    client = sign_in("quantri.tinh")
    page = client.get("/admin/directory/agency/").content.decode()
    assert "Sở Xây dựng" in page and "Sở Tư pháp" in page
    assert "Quản trị" in page


def test_specialist_has_no_entry_to_the_admin(demo, sign_in):
    client = sign_in("chuyenvien.stp")
    assert client.get("/admin/").status_code == 302


def test_opening_a_citizens_account_in_the_admin_is_audited_as_a_read(demo, sign_in):
    from audit.models import AuditEntry

    client = sign_in("quantri.tinh")
    citizen = demo.users["congdan@example.vn"]
    assert client.get(f"/admin/accounts/user/{citizen.pk}/change/").status_code == 200
    entry = AuditEntry.objects.filter(action="read", object_type="accounts.portalprofile").last()
    assert entry.actor_label == "quantri.tinh" and "id_number" in entry.summary["fields"]
