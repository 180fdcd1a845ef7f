"""Bắc Kạn demo data: the province's real structure with plausible officials for every role.

Loaded by ``egov demo`` and reused by the tests. Loading twice changes nothing.

Codes: the administrative-unit codes follow the national list (province 06, districts
058–066); the agencies' identifier codes (QCVN 102:2016) use ``H05`` for the province, which
is to be confirmed against the province's published list — they are data, not code.
The two-level structure in force since 1 July 2025 is shown with a sample of the new
communes; the district level is kept with its end date so that history stays true.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PortalProfile, User

from .models import AdministrativeUnit, Agency, Membership, OrgUnit, Position, Role

DEMO_PASSWORD = "BacKan@2026"
REFORM = dt.date(2025, 7, 1)
BEFORE_REFORM = REFORM - dt.timedelta(days=1)
PROVINCE_CODE = "06"
P = "H05"

DISTRICTS = [
    ("058", "Thành phố Bắc Kạn"),
    ("060", "Huyện Pác Nặm"),
    ("061", "Huyện Ba Bể"),
    ("062", "Huyện Ngân Sơn"),
    ("063", "Huyện Bạch Thông"),
    ("064", "Huyện Chợ Đồn"),
    ("065", "Huyện Chợ Mới"),
    ("066", "Huyện Na Rì"),
]
# Communes before the reform: (code, name, district code).
OLD_COMMUNES = [
    ("01834", "Phường Nguyễn Thị Minh Khai", "058"),
    ("01837", "Phường Sông Cầu", "058"),
    ("01840", "Phường Đức Xuân", "058"),
    ("01843", "Phường Phùng Chí Kiên", "058"),
    ("01846", "Phường Huyền Tụng", "058"),
    ("01849", "Xã Dương Quang", "058"),
    ("01864", "Thị trấn Chợ Rã", "061"),
    ("01882", "Xã Nam Mẫu", "061"),
    ("01954", "Thị trấn Nà Phặc", "062"),
    ("02044", "Thị trấn Bằng Lũng", "064"),
]
# Communes after the reform, directly under the province: (code, name, merged from).
NEW_COMMUNES = [
    ("01840", "Phường Đức Xuân", ["01840", "01834", "01843"]),
    ("01837", "Phường Bắc Kạn", ["01837", "01846", "01849"]),
    ("01864", "Xã Chợ Rã", ["01864", "01882"]),
    ("01954", "Xã Nà Phặc", ["01954"]),
    ("02044", "Xã Chợ Đồn", ["02044"]),
]

# Level-2 agencies of the province: (group, name, abbreviation, units).
DEPARTMENTS = [
    ("01", "Văn phòng Ủy ban nhân dân tỉnh", "VP", ["Phòng Hành chính - Tổ chức", "Phòng Kiểm soát thủ tục hành chính"]),
    ("02", "Sở Nội vụ", "SNV", ["Văn phòng Sở", "Phòng Tổ chức, biên chế", "Phòng Cải cách hành chính"]),
    ("03", "Sở Tư pháp", "STP", ["Văn phòng Sở", "Phòng Hành chính tư pháp", "Phòng Bổ trợ tư pháp"]),
    ("04", "Sở Kế hoạch và Đầu tư", "SKHĐT", ["Văn phòng Sở", "Phòng Đăng ký kinh doanh"]),
    ("05", "Sở Tài chính", "STC", ["Văn phòng Sở", "Phòng Quản lý giá, công sản"]),
    ("06", "Sở Xây dựng", "SXD", ["Văn phòng Sở", "Phòng Quản lý xây dựng"]),
    ("07", "Sở Tài nguyên và Môi trường", "STNMT", ["Văn phòng Sở", "Phòng Quản lý đất đai"]),
    ("08", "Sở Thông tin và Truyền thông", "STTTT", ["Văn phòng Sở", "Phòng Công nghệ thông tin"]),
    ("09", "Sở Giáo dục và Đào tạo", "SGDĐT", ["Văn phòng Sở"]),
    ("10", "Sở Y tế", "SYT", ["Văn phòng Sở", "Phòng Nghiệp vụ Dược"]),
    ("11", "Sở Lao động - Thương binh và Xã hội", "SLĐTBXH", ["Văn phòng Sở"]),
    ("12", "Sở Nông nghiệp và Phát triển nông thôn", "SNN", ["Văn phòng Sở"]),
    ("13", "Sở Công Thương", "SCT", ["Văn phòng Sở"]),
    ("14", "Sở Giao thông vận tải", "SGTVT", ["Văn phòng Sở"]),
    ("15", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", ["Văn phòng Sở"]),
    ("16", "Sở Khoa học và Công nghệ", "SKHCN", ["Văn phòng Sở"]),
    ("17", "Thanh tra tỉnh", "TTr", ["Văn phòng"]),
    ("18", "Ban Dân tộc", "BDT", ["Văn phòng Ban"]),
    ("19", "Trung tâm Phục vụ hành chính công tỉnh", "TTPVHCC", ["Bộ phận Một cửa"]),
]
DISTRICT_GROUP = {code: f"{30 + i:02d}" for i, (code, _) in enumerate(DISTRICTS)}
COMMUNE_GROUP = {code: f"{60 + i:02d}" for i, (code, _, _) in enumerate(NEW_COMMUNES)}
COMMUNE_UNITS = ["Bộ phận Một cửa", "Tư pháp - Hộ tịch", "Địa chính - Xây dựng", "Văn phòng - Thống kê"]

POSITIONS = [
    ("Chủ tịch", 10), ("Phó Chủ tịch", 20), ("Giám đốc", 30), ("Phó Giám đốc", 40), ("Chánh Văn phòng", 50),
    ("Trưởng phòng", 60), ("Phó Trưởng phòng", 70), ("Chuyên viên", 80), ("Công chức", 85), ("Văn thư", 90),
]

# (username, full name, agency abbreviation or commune code, unit, position, roles)
OFFICIALS = [
    ("chutich.tinh", "Sầm Quốc Khải", "UBND", None, "Chủ tịch", [Role.AGENCY_LEADER]),
    ("quantri.tinh", "Hoàng Văn Tuấn", "STTTT", "Phòng Công nghệ thông tin", "Trưởng phòng",
     [Role.PROVINCE_ADMIN]),
    ("kiemtra.tinh", "Lương Thị Hạnh", "UBND", None, "Chuyên viên", [Role.AUDITOR]),
    ("vanthu.tinh", "Triệu Thị Mai", "VP", "Phòng Hành chính - Tổ chức", "Văn thư", [Role.CLERK]),
    ("giamdoc.stp", "Hà Văn Thắng", "STP", None, "Giám đốc", [Role.AGENCY_LEADER]),
    ("truongphong.stp", "Nông Thị Lan", "STP", "Phòng Hành chính tư pháp", "Trưởng phòng", [Role.UNIT_HEAD]),
    ("chuyenvien.stp", "Ma Văn Sơn", "STP", "Phòng Hành chính tư pháp", "Chuyên viên", [Role.SPECIALIST]),
    ("chuyenvien2.stp", "Lý Thị Hoa", "STP", "Phòng Bổ trợ tư pháp", "Chuyên viên", [Role.SPECIALIST]),
    ("motcua.stp", "Đàm Thị Thu", "STP", "Văn phòng Sở", "Chuyên viên", [Role.DESK_OFFICER]),
    ("vanthu.stp", "Bế Thị Nga", "STP", "Văn phòng Sở", "Văn thư", [Role.CLERK]),
    ("quantri.stp", "Dương Văn Hùng", "STP", "Văn phòng Sở", "Chuyên viên", [Role.AGENCY_ADMIN]),
    ("giamdoc.sxd", "Lục Văn Quang", "SXD", None, "Giám đốc", [Role.AGENCY_LEADER]),
    ("truongphong.sxd", "Hoàng Thị Thanh", "SXD", "Phòng Quản lý xây dựng", "Trưởng phòng", [Role.UNIT_HEAD]),
    ("chuyenvien.sxd", "Nguyễn Văn Đức", "SXD", "Phòng Quản lý xây dựng", "Chuyên viên", [Role.SPECIALIST]),
    ("motcua.sxd", "Lăng Thị Vân", "SXD", "Văn phòng Sở", "Chuyên viên", [Role.DESK_OFFICER]),
    ("chutich.ducxuan", "Phùng Văn Minh", "01840", None, "Chủ tịch", [Role.AGENCY_LEADER]),
    ("motcua.ducxuan", "Hà Thị Phương", "01840", "Bộ phận Một cửa", "Công chức", [Role.DESK_OFFICER]),
    ("tuphap.ducxuan", "Nông Văn Khánh", "01840", "Tư pháp - Hộ tịch", "Công chức", [Role.SPECIALIST]),
    ("vanthu.ducxuan", "Đinh Thị Yến", "01840", "Văn phòng - Thống kê", "Văn thư", [Role.CLERK]),
    ("motcua.backan", "Triệu Văn Long", "01837", "Bộ phận Một cửa", "Công chức", [Role.DESK_OFFICER]),
]
PORTAL_USERS = [
    ("congdan@example.vn", "Nguyễn Thị Hồng", User.Kind.CITIZEN, {"id_number": "006190001234", "phone": "0912345678",
                                                                   "address": "Tổ 1, phường Đức Xuân"}),
    ("doanhnghiep@example.vn", "Trần Văn Nam", User.Kind.BUSINESS, {"business_name": "Công ty TNHH Nông sản Ba Bể",
                                                                     "tax_code": "4700123456"}),
]


@dataclass
class Demo:
    province: AdministrativeUnit
    agencies: dict[str, Agency] = field(default_factory=dict)  # by abbreviation, communes by unit code
    units: dict[tuple[str, str], OrgUnit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    totp_secrets: dict[str, str] = field(default_factory=dict)


def _unit(code, name, level, parent=None, valid_from=None, valid_to=None) -> AdministrativeUnit:
    unit, _ = AdministrativeUnit.objects.update_or_create(
        code=code, valid_from=valid_from,
        defaults={"name": name, "level": level, "parent": parent, "valid_to": valid_to},
    )
    return unit


def _agency(code, name, abbreviation, parent, admin_unit, valid_to=None) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        code=code,
        defaults={"name": name, "abbreviation": abbreviation, "parent": parent,
                  "administrative_unit": admin_unit, "valid_to": valid_to},
    )
    return agency


def _units(demo: Demo, key: str, agency: Agency, names: list[str]) -> None:
    for name in names:
        demo.units[(key, name)], _ = OrgUnit.objects.get_or_create(agency=agency, name=name)


def _structure(demo: Demo) -> None:
    province = demo.province
    districts = {code: _unit(code, name, "district", province, None, BEFORE_REFORM) for code, name in DISTRICTS}
    old = {code: _unit(code, name, "commune", districts[d], None, BEFORE_REFORM) for code, name, d in OLD_COMMUNES}
    for code, name, merged in NEW_COMMUNES:
        new = _unit(code, name, "commune", province, REFORM, None)
        for predecessor in merged:
            old[predecessor].successors.add(new)

    ubnd = _agency(f"000.00.00.{P}", "Ủy ban nhân dân tỉnh Bắc Kạn", "UBND", None, province)
    demo.agencies["UBND"] = ubnd
    for group, name, abbreviation, units in DEPARTMENTS:
        demo.agencies[abbreviation] = agency = _agency(f"000.00.{group}.{P}", name, abbreviation, ubnd, province)
        _units(demo, abbreviation, agency, units)
    for code, name in DISTRICTS:
        agency_name = "Ủy ban nhân dân " + name[0].lower() + name[1:]
        demo.agencies[code] = _agency(f"000.00.{DISTRICT_GROUP[code]}.{P}", agency_name, "UBND", ubnd,
                                      districts[code], BEFORE_REFORM)
    for code, name, _merged in NEW_COMMUNES:
        unit = AdministrativeUnit.objects.get(code=code, valid_from=REFORM)
        agency_name = "Ủy ban nhân dân " + name[0].lower() + name[1:]
        demo.agencies[code] = agency = _agency(f"000.00.{COMMUNE_GROUP[code]}.{P}", agency_name, "UBND", ubnd, unit)
        _units(demo, code, agency, COMMUNE_UNITS)


def _people(demo: Demo) -> None:
    positions = {name: Position.objects.update_or_create(name=name, defaults={"rank": rank})[0]
                 for name, rank in POSITIONS}
    for username, full_name, agency_key, unit_name, position, roles in OFFICIALS:
        user = _user(username, full_name, User.Kind.OFFICIAL, f"{username}@backan.gov.vn")
        agency = demo.agencies[agency_key]
        Membership.objects.update_or_create(
            official=user, agency=agency,
            defaults={"unit": demo.units.get((agency_key, unit_name)) if unit_name else None,
                      "position": positions[position], "roles": [str(r) for r in roles]},
        )
        demo.users[username] = user
        if set(roles) & {Role.AGENCY_LEADER, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN, Role.AUDITOR}:
            device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Demo"})
            demo.totp_secrets[username] = device.key
    for email, full_name, kind, profile in PORTAL_USERS:
        user = _user(email, full_name, kind, email)
        PortalProfile.objects.update_or_create(user=user, defaults=profile)
        demo.users[email] = user


_password_hash: str | None = None


def _demo_password_hash() -> str:
    """One Argon2 hash of the shared demo password, computed once per process: hashing it for
    each of the demo users would cost seconds at every load (and in every test that loads it)."""
    global _password_hash
    if _password_hash is None:
        _password_hash = make_password(DEMO_PASSWORD)
    return _password_hash


def _user(username: str, full_name: str, kind: str, email: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, kind=kind, email=email, email_verified=True,
                    password=_demo_password_hash())
        user.save()
    return user


def _loaded() -> Demo | None:
    """The demo as it already stands in the database, read without writing anything."""
    usernames = [row[0] for row in OFFICIALS] + [row[0] for row in PORTAL_USERS]
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    province = AdministrativeUnit.objects.filter(code=PROVINCE_CODE, level="province").first()
    if province is None or len(users) != len(usernames):
        return None
    demo = Demo(province=province, users=users)
    commune_codes = {code for code, _name, _merged in NEW_COMMUNES}
    for agency in Agency.objects.select_related("administrative_unit"):
        unit_code = agency.administrative_unit.code
        key = unit_code if unit_code in commune_codes or agency.administrative_unit.level == "district" else (
            agency.abbreviation)
        demo.agencies[key] = agency
    keys = {agency.pk: key for key, agency in demo.agencies.items()}
    for unit in OrgUnit.objects.all():
        demo.units[(keys[unit.agency_id], unit.name)] = unit
    for device in TOTPDevice.objects.filter(user__username__in=usernames, confirmed=True).select_related("user"):
        demo.totp_secrets[device.user.username] = device.key
    return demo


@transaction.atomic
def load_demo() -> Demo:
    from legal.data import ensure

    ensure()  # the legal bases the migrations enter (a test database may have been emptied since)
    if (demo := _loaded()) is not None:
        return demo
    province = _unit(PROVINCE_CODE, "Tỉnh Bắc Kạn", "province")
    demo = Demo(province=province)
    _structure(demo)
    _people(demo)
    return demo
