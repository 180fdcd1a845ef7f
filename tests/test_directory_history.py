"""The directory through time: Bắc Kạn's departments before and after the reorganisation of
1 March 2025, the new Thái Nguyên province from 1 July 2025 (Resolution 202/2025/QH15), successors,
records that keep the agency of their day, and lists that offer only what exists today."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from directory.demo import KEYS, OFFICIALS, PORTAL_USERS, load_demo
from directory.history import predecessors_of, successors_in_force
from directory.models import AdministrativeUnit, Agency, Membership, ReceptionPoint, Role, ServiceCentre
from directory.selectors import province_name, province_unit
from dossiers.models import Dossier
from tests.factories import make_procedure

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BK_LONGSTANDING = {"BK:UBND", "BK:VP", "BK:SNV", "BK:STP", "BK:STC", "BK:SXD", "BK:SGDĐT", "BK:SYT", "BK:SCT",
                   "BK:SVHTTDL", "BK:SKHCN", "BK:TTr", "BK:TTPVHCC"}
# Bắc Kạn's departments until 28 February 2025, merged on 1 March 2025.
BK_MERGED_IN_MARCH = {"BK:SKHĐT", "BK:STNMT", "BK:STTTT", "BK:SLĐTBXH", "BK:SNN", "BK:SGTVT", "BK:BDT"}
BK_FROM_MARCH = {"BK:SNNMT", "BK:SDTTG"}  # Nông nghiệp và Môi trường; Dân tộc và Tôn giáo
THAI_NGUYEN = {"UBND", "VP", "SNV", "STP", "STC", "SXD", "SNNMT", "SKHCN", "SGDĐT", "SYT", "SCT", "SVHTTDL", "SDTTG",
               "TTr", "TTPVHCC"}
# The real chairman of Bắc Kạn's People's Committee, whose name an earlier demo carried by mistake.
REAL_OFFICE_HOLDERS = {"Nguyễn Đăng Bình"}


def options(page: str, name: str) -> dict[str, str]:
    """The options of the ``<select name=...>`` on ``page``: value → label."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select))


def provincial_agencies_on(day: dt.date) -> set[str]:
    """Keys of the demo's province-level agencies in force on ``day``, read with ``valid_on``."""
    rows = Agency.objects.valid_on(day).filter(code__in=list(KEYS), administrative_unit__level="province")
    return {KEYS[agency.code] for agency in rows}


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2025, 2, 28), BK_LONGSTANDING | BK_MERGED_IN_MARCH),
    (dt.date(2025, 3, 1), BK_LONGSTANDING | BK_FROM_MARCH),
    (dt.date(2025, 6, 30), BK_LONGSTANDING | BK_FROM_MARCH),
    (dt.date(2025, 7, 1), THAI_NGUYEN),
    (dt.date(2026, 11, 25), THAI_NGUYEN),
])
def test_each_period_has_its_own_departments(demo, day, expected):
    assert provincial_agencies_on(day) == expected


def test_bac_kan_ends_on_30_june_2025_and_thai_nguyen_code_19_begins_on_1_july(demo):
    before = AdministrativeUnit.objects.valid_on(dt.date(2025, 6, 30)).filter(level="province")
    after = AdministrativeUnit.objects.valid_on(dt.date(2025, 7, 1)).filter(level="province")
    assert sorted((u.code, u.name) for u in before) == [("06", "Tỉnh Bắc Kạn"), ("19", "Tỉnh Thái Nguyên")]
    assert [(u.code, u.name) for u in after] == [("19", "Tỉnh Thái Nguyên")] and after.get() == demo.province
    bac_kan = before.get(code="06")
    assert list(bac_kan.successors.all()) == [demo.province] and bac_kan.confirmed
    # Today's communes of the former Bắc Kạn area sit directly under Thái Nguyên.
    assert demo.agencies["01840"].administrative_unit.parent == demo.province


def test_planning_and_investment_went_to_finance_in_march_and_to_thai_nguyen_in_july(demo):
    planning, bk_finance, finance = demo.agencies["BK:SKHĐT"], demo.agencies["BK:STC"], demo.agencies["STC"]
    assert successors_in_force(planning, dt.date(2025, 2, 28)) == [planning]
    assert successors_in_force(planning, dt.date(2025, 3, 1)) == [bk_finance]
    assert successors_in_force(planning, dt.date(2025, 6, 30)) == [bk_finance]
    assert successors_in_force(planning, dt.date(2025, 7, 1)) == [finance]
    assert successors_in_force(planning) == [finance]
    assert (finance.code, bk_finance.code, planning.code) == ("000.00.05.H55", "000.00.05.H05", "000.00.04.H05")
    assert predecessors_of(finance) == [bk_finance, planning]  # the most recent first
    assert successors_in_force(finance, dt.date(2025, 6, 30)) == []  # Thái Nguyên's did not exist yet


def test_a_department_split_in_march_has_every_successor(demo):
    labour = demo.agencies["BK:SLĐTBXH"]  # to Home Affairs, with parts to Health and to Education
    assert successors_in_force(labour, dt.date(2025, 7, 1)) == [
        demo.agencies["SNV"], demo.agencies["SGDĐT"], demo.agencies["SYT"]]  # by code: 02, 09, 10


def test_abolished_districts_and_merged_communes(demo):
    july = dt.date(2025, 7, 1)
    minh_khai = AdministrativeUnit.objects.get(code="01834")
    assert [u.name for u in successors_in_force(minh_khai, july)] == ["Phường Đức Xuân"]
    district = AdministrativeUnit.objects.get(code="058")
    assert successors_in_force(district, july) == []  # the district level was abolished, not merged
    # Its People's Committee's records went to the wards formed on its territory.
    assert successors_in_force(demo.agencies["BK:058"], july) == [demo.agencies["01840"], demo.agencies["01837"]]
    old_duc_xuan = demo.agencies["BK:01840"]
    assert old_duc_xuan.name == "Ủy ban nhân dân phường Đức Xuân, thành phố Bắc Kạn"
    assert successors_in_force(old_duc_xuan, july) == [demo.agencies["01840"]]


@pytest.mark.parametrize("configured", ["06", "19"])
def test_the_platform_serves_thai_nguyen_today_whether_configured_for_bac_kan_or_thai_nguyen(demo, settings,
                                                                                              configured):
    settings.EGOV_PROVINCE_CODE = configured
    assert province_name() == "Tỉnh Thái Nguyên"
    assert province_unit(dt.date(2025, 6, 30)).name == ("Tỉnh Bắc Kạn" if configured == "06" else "Tỉnh Thái Nguyên")


def test_a_dossier_of_2024_keeps_the_bac_kan_department_on_the_officials_page(demo, sign_in):
    from dossiers.pdf import heading

    bk_justice = demo.agencies["BK:STP"]
    procedure = make_procedure(agencies=[bk_justice], code="9.024001", name="Cấp Phiếu lý lịch tư pháp")
    received = dt.datetime(2024, 3, 15, 9, tzinfo=VN)
    dossier = Dossier.objects.create(
        code="000.00.03.H05-240315-0001", procedure_version=procedure.current, agency=bk_justice,
        applicant=demo.users["congdan@example.vn"], applicant_name="Nguyễn Thị Hồng", status="completed",
        channel="counter", submitted_at=received, received_at=received, due_at=received + dt.timedelta(days=10),
        finished_at=received + dt.timedelta(days=7), outcome="early")
    page = sign_in("quantri.tinh").get(f"/workspace/dossiers/{dossier.pk}/").content.decode()
    assert "Sở Tư pháp tỉnh Bắc Kạn" in page and dossier.code in page
    # Its documents are headed by the authorities of its day.
    # (a place name is kept on one line with non-breaking spaces)
    assert {k: v.replace("\xa0", " ") for k, v in heading(dossier.agency).items()} == {
        "parent": "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "name": "SỞ TƯ PHÁP TỈNH BẮC KẠN"}
    # Today's Department of Justice took over from it: its director and desk read the old dossier, act
    # on nothing of it; another department reads none of it.
    from directory.scope import Action, can
    from dossiers import selectors

    for username in ("giamdoc.stp", "motcua.stp"):
        user = demo.users[username]
        assert selectors.can_read(user, dossier), username
        assert sign_in(username).get(f"/workspace/dossiers/{dossier.pk}/").status_code == 200
        assert not can(user, Action.ACT, agency_id=bk_justice.pk), username
    assert not selectors.can_read(demo.users["giamdoc.sxd"], dossier)
    assert sign_in("giamdoc.sxd").get(f"/workspace/dossiers/{dossier.pk}/").status_code == 404


def test_the_catalog_offers_only_agencies_that_exist_today(demo, client):
    justice, bk_justice = demo.agencies["STP"], demo.agencies["BK:STP"]
    procedure = make_procedure(agencies=[bk_justice, justice], code="9.024002", name="Chứng thực chữ ký thử")
    offered = options(client.get("/procedures/").content.decode(), "agency")
    assert str(justice.pk) in offered and str(bk_justice.pk) not in offered
    detail = client.get(f"/procedures/{procedure.code}/").content.decode()
    assert "Sở Tư pháp tỉnh Bắc Kạn" not in detail
    assert f'name="agency" value="{justice.pk}"' in detail  # the only one left: no choice to make


def test_membership_choices_offer_agencies_in_force_and_keep_an_old_records_own(demo, sign_in):
    client = sign_in("quantri.tinh")
    bk_justice, justice = demo.agencies["BK:STP"], demo.agencies["STP"]
    offered = options(client.get("/admin/directory/membership/add/").content.decode(), "agency")
    assert str(justice.pk) in offered and str(bk_justice.pk) not in offered
    assert not set(offered) - {str(a.pk) for a in Agency.objects.valid_on()}
    old = Membership.objects.create(official=demo.users["chuyenvien2.stp"], agency=bk_justice,
                                    roles=[str(Role.SPECIALIST)], valid_to=dt.date(2025, 6, 30))
    kept = options(client.get(f"/admin/directory/membership/{old.pk}/change/").content.decode(), "agency")
    assert kept[str(bk_justice.pk)] == "Sở Tư pháp tỉnh Bắc Kạn" and str(demo.agencies["BK:SXD"].pk) not in kept


def test_choosing_a_parent_agency_offers_only_agencies_in_force(demo, sign_in):
    found = sign_in("quantri.tinh").get("/admin/autocomplete/", {
        "app_label": "directory", "model_name": "agency", "field_name": "parent", "term": "Sở Tư pháp"}).json()
    assert [row["text"] for row in found["results"]] == ["Sở Tư pháp"]  # not "Sở Tư pháp tỉnh Bắc Kạn"


def test_the_province_edits_successors_and_an_agency_administrator_only_reads_them(demo, sign_in):
    own = demo.agencies["STP"]
    page = sign_in("quantri.tinh").get(f"/admin/directory/agency/{demo.agencies['BK:SKHĐT'].pk}/change/")
    assert page.status_code == 200 and 'name="successors"' in page.content.decode()
    page = sign_in("quantri.stp").get(f"/admin/directory/agency/{own.pk}/change/").content.decode()
    assert 'name="successors"' not in page and 'name="name"' in page
    assert "Sở Tư pháp tỉnh Bắc Kạn" in page  # the agency it took over from


def test_the_province_edits_service_centres_and_a_commune_administrator_reads_its_own(demo, sign_in):
    province = sign_in("quantri.tinh")
    centre = demo.centres["TTPVHCC"]
    page = province.get(f"/admin/directory/servicecentre/{centre.pk}/change/").content.decode()
    assert 'name="name"' in page and "Điểm tiếp nhận Bắc Kạn" in page
    assert province.get("/admin/directory/receptionpoint/").status_code == 200
    admin = demo.users["quantri.stp"]
    Membership.objects.create(official=admin, agency=demo.agencies["01840"], roles=[str(Role.AGENCY_ADMIN)])
    commune = sign_in("quantri.stp")
    own = demo.centres["01840"]
    page = commune.get(f"/admin/directory/servicecentre/{own.pk}/change/")
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()  # read only
    assert commune.post(f"/admin/directory/servicecentre/{own.pk}/change/", {"name": "x"}).status_code == 403
    assert commune.get(f"/admin/directory/servicecentre/{centre.pk}/change/").status_code in (302, 403, 404)


def test_the_provincial_centre_and_the_commune_centres(demo):
    centre = demo.centres["TTPVHCC"]
    assert (centre.level, centre.agency, centre.administrative_unit) == ("province", demo.agencies["TTPVHCC"],
                                                                           demo.province)
    assert [p.name for p in centre.points.all()] == ["Trụ sở Trung tâm",
                                                      "Điểm tiếp nhận Bắc Kạn (trụ sở Trung tâm tỉnh Bắc Kạn cũ)"]
    desk = demo.agencies["TTPVHCC"]
    assert (desk.saturday_opens, desk.saturday_closes) == (dt.time(7, 30), dt.time(11, 30))
    assert Membership.objects.get(official=demo.users["motcua.ttpvhcc"]).roles == [str(Role.DESK_OFFICER)]
    for code in ("01840", "01837", "01864", "01954", "02044"):
        committee = demo.agencies[code]
        assert committee.collective and committee.valid_from == dt.date(2025, 7, 1)
        assert demo.centres[code].agency == committee and demo.centres[code].level == "commune"
    assert demo.agencies["UBND"].collective and not demo.agencies["STP"].collective
    difficult = AdministrativeUnit.objects.valid_on().filter(special_difficulty=True)
    assert sorted(u.code for u in difficult) == ["01954", "02044"]


def test_assumed_codes_are_marked_and_positions_know_where_they_stand(demo):
    assert not Agency.objects.filter(code__in=list(KEYS), confirmed=True).exists()  # H05, H55 are assumed
    assert AdministrativeUnit.objects.get(code="06").confirmed and demo.province.confirmed
    assert not AdministrativeUnit.objects.get(code="01840", valid_from=dt.date(2025, 7, 1)).confirmed
    standing = {m.position.name: m.position.standing for m in Membership.objects.filter(position__isnull=False)}
    assert standing["Chủ tịch"] == standing["Giám đốc"] == "head"
    assert standing["Trưởng phòng"] == "unit_head" and standing["Chuyên viên"] == ""


def test_demo_officials_have_invented_unique_names_on_the_thai_nguyen_domain(demo):
    names = [row[1] for row in OFFICIALS + PORTAL_USERS]
    assert len(names) == len(set(names))
    assert not set(names) & REAL_OFFICE_HOLDERS
    assert demo.users["chutich.tinh"].full_name == "Sầm Quốc Khải"
    assert all(demo.users[row[0]].email == f"{row[0]}@thainguyen.gov.vn" for row in OFFICIALS)


def test_loading_the_demo_again_changes_nothing(demo):
    models = (Agency, AdministrativeUnit, Membership, ServiceCentre, ReceptionPoint)
    before = {model: model.objects.count() for model in models}
    again = load_demo()  # read back
    assert again.agencies == demo.agencies and again.centres == demo.centres and again.units == demo.units
    demo.users["motcua.ttpvhcc"].delete()  # forces the full load, which writes every row again
    rebuilt = load_demo()
    assert {model: model.objects.count() for model in models} == before
    assert rebuilt.agencies == demo.agencies and rebuilt.centres == demo.centres
    assert list(demo.agencies["BK:TTPVHCC"].successors.all()) == [demo.agencies["TTPVHCC"]]
