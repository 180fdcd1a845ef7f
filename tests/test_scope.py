"""The permission matrix: role × record owner × action, decided in one place (directory.scope)."""

import pytest

from directory.models import Membership
from directory.scope import Action, can, visible

V, A, S, M, AU = Action.VIEW, Action.ACT, Action.ASSIGN, Action.MANAGE, Action.AUDIT
IN, SG, IS = Action.INTAKE, Action.SIGN, Action.ISSUE
NONE: set = set()

# Record owners, relative to the Department of Justice (STP) people of the demo:
#   hctp   – STP, Administrative Justice unit (where the specialist and unit head work)
#   botro  – STP, another unit of the same agency
#   stp    – STP itself, no unit (an agency-level record)
#   sxd    – another agency (Department of Construction)
#   commune – a commune's People's Committee, under the province's People's Committee
MATRIX = {
    "motcua.stp": {"hctp": {V, A, IN}, "botro": {V, A, IN}, "stp": {V, A, IN}, "sxd": NONE, "commune": NONE},
    "chuyenvien.stp": {"hctp": {V, A}, "botro": NONE, "stp": NONE, "sxd": NONE, "commune": NONE},
    "truongphong.stp": {"hctp": {V, A, S}, "botro": NONE, "stp": NONE, "sxd": NONE, "commune": NONE},
    "giamdoc.stp": {"hctp": {V, A, S, SG}, "botro": {V, A, S, SG}, "stp": {V, A, S, SG}, "sxd": NONE,
                    "commune": NONE},
    "vanthu.stp": {"hctp": {V, A, IS}, "botro": {V, A, IS}, "stp": {V, A, IS}, "sxd": NONE, "commune": NONE},
    "quantri.stp": {"hctp": {V, M}, "botro": {V, M}, "stp": {V, M}, "sxd": NONE, "commune": NONE},
    "quantri.tinh": {o: {V, M, AU} for o in ("hctp", "botro", "stp", "sxd", "commune")},
    "kiemtra.tinh": {o: {V, AU} for o in ("hctp", "botro", "stp", "sxd", "commune")},
    "chutich.tinh": {o: {V} for o in ("hctp", "botro", "stp", "sxd", "commune")},
    "congdan@example.vn": {o: NONE for o in ("hctp", "botro", "stp", "sxd", "commune")},
}


def _owners(demo):
    return {
        "hctp": (demo.agencies["STP"].pk, demo.units[("STP", "Phòng Hành chính tư pháp")].pk),
        "botro": (demo.agencies["STP"].pk, demo.units[("STP", "Phòng Bổ trợ tư pháp")].pk),
        "stp": (demo.agencies["STP"].pk, None),
        "sxd": (demo.agencies["SXD"].pk, demo.units[("SXD", "Phòng Quản lý xây dựng")].pk),
        "commune": (demo.agencies["01840"].pk, demo.units[("01840", "Tư pháp - Hộ tịch")].pk),
    }


@pytest.mark.parametrize("username", sorted(MATRIX))
def test_permission_matrix(demo, username):
    user = demo.users[username]
    owners = _owners(demo)
    for owner, allowed in MATRIX[username].items():
        agency_id, unit_id = owners[owner]
        for action in Action:
            expected = action in allowed
            assert can(user, action, agency_id=agency_id, unit_id=unit_id) is expected, (username, owner, action)


def test_leader_of_province_acts_only_on_the_province_committee_itself(demo):
    leader = demo.users["chutich.tinh"]
    assert can(leader, A, agency_id=demo.agencies["UBND"].pk)
    assert not can(leader, A, agency_id=demo.agencies["STP"].pk)


def test_ended_membership_no_longer_grants_anything(demo):
    import datetime as dt

    specialist = demo.users["chuyenvien.stp"]
    Membership.objects.filter(official=specialist).update(valid_to=dt.date(2020, 1, 1))
    specialist.refresh_from_db()
    hctp = demo.units[("STP", "Phòng Hành chính tư pháp")]
    assert not can(specialist, V, agency_id=hctp.agency_id, unit_id=hctp.pk)


def test_inactive_official_reaches_nothing(demo):
    leader = demo.users["giamdoc.stp"]
    leader.is_active = False
    assert not can(leader, V, agency_id=demo.agencies["STP"].pk)


def test_visible_filters_querysets_the_same_way(demo):
    memberships = Membership.objects.all()
    seen_by_specialist = set(visible(demo.users["chuyenvien.stp"], memberships).values_list("official__username", flat=True))
    assert seen_by_specialist == {"truongphong.stp", "chuyenvien.stp"}
    seen_by_desk = set(visible(demo.users["motcua.stp"], memberships).values_list("agency__abbreviation", flat=True))
    assert seen_by_desk == {"STP"}
    assert not visible(demo.users["congdan@example.vn"], memberships).exists()
    assert visible(demo.users["quantri.tinh"], memberships).count() == memberships.count()


def test_role_and_reach_come_from_the_same_membership(demo):
    """A clerk of one agency who staffs the desk of another issues for the first only and takes
    dossiers in at the second only."""
    from directory.models import Role

    official = demo.users["vanthu.stp"]
    Membership.objects.create(official=official, agency=demo.agencies["SXD"], roles=[str(Role.DESK_OFFICER)])
    official.refresh_from_db()
    stp, sxd = demo.agencies["STP"].pk, demo.agencies["SXD"].pk
    assert can(official, IS, agency_id=stp) and not can(official, IS, agency_id=sxd)
    assert can(official, IN, agency_id=sxd) and not can(official, IN, agency_id=stp)
