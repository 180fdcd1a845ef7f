"""Demo data: Thái Nguyên province as it stands since 1 July 2025, with the history of the former
Bắc Kạn province behind it (directory.demo_structure), and plausible officials for every role.

Loaded by ``egov demo`` and reused by the tests. Loading twice changes nothing; a database that
already holds the demo is read back without writing (:func:`_loaded`).

Every official's name is invented: none is, or is meant to be, a real office-holder.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PortalProfile, User

from . import demo_structure as structure
from .demo_structure import BEFORE_REFORM, BK, REFORM, P
from .models import (
    ROLES_REQUIRING_TOTP,
    AdministrativeUnit,
    Agency,
    Membership,
    OrgUnit,
    Position,
    ReceptionPoint,
    Role,
    ServiceCentre,
)

DEMO_PASSWORD = "ThaiNguyen@2026"
EMAIL_DOMAIN = "thainguyen.gov.vn"
Standing = Position.Standing
POSITIONS = [
    ("Chủ tịch", 10, Standing.HEAD), ("Phó Chủ tịch", 20, Standing.DEPUTY), ("Giám đốc", 30, Standing.HEAD),
    ("Phó Giám đốc", 40, Standing.DEPUTY), ("Chánh Văn phòng", 50, Standing.UNIT_HEAD),
    ("Trưởng phòng", 60, Standing.UNIT_HEAD), ("Phó Trưởng phòng", 70, Standing.OTHER),
    ("Chuyên viên", 80, Standing.OTHER), ("Công chức", 85, Standing.OTHER), ("Văn thư", 90, Standing.OTHER),
]

# (username, full name (invented), key in Demo.agencies, unit, position, roles)
OFFICIALS = [
    ("chutich.tinh", "Sầm Quốc Khải", "UBND", None, "Chủ tịch", [Role.AGENCY_LEADER]),
    ("quantri.tinh", "Hoàng Văn Tuấn", "SKHCN", "Phòng Chuyển đổi số", "Trưởng phòng", [Role.PROVINCE_ADMIN]),
    ("kiemtra.tinh", "Lương Thị Hạnh", "UBND", None, "Chuyên viên", [Role.AUDITOR]),
    ("vanthu.tinh", "Triệu Thị Mai", "VP", "Phòng Hành chính - Tổ chức", "Văn thư", [Role.CLERK]),
    ("motcua.ttpvhcc", "Vi Thị Ngọc Ánh", "TTPVHCC", "Bộ phận Một cửa", "Chuyên viên", [Role.DESK_OFFICER]),
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
KEYS = structure.agency_keys()


@dataclass
class Demo:
    province: AdministrativeUnit  # Thái Nguyên, in force since 1 July 2025
    agencies: dict[str, Agency] = field(default_factory=dict)  # today's by abbreviation, communes by unit code;
    # ended ones prefixed "BK:" ("BK:STP", "BK:SKHĐT", districts "BK:061", old communes "BK:01840")
    units: dict[tuple[str, str], OrgUnit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    totp_secrets: dict[str, str] = field(default_factory=dict)
    centres: dict[str, ServiceCentre] = field(default_factory=dict)  # "TTPVHCC", communes by unit code


def _unit(code, name, level, parent=None, valid_from=None, valid_to=None, **extra) -> AdministrativeUnit:
    unit, _ = AdministrativeUnit.objects.update_or_create(
        code=code, valid_from=valid_from,
        defaults={"name": name, "level": level, "parent": parent, "valid_to": valid_to, **extra},
    )
    return unit


def _agency(demo: Demo, code: str, name: str, abbreviation: str, parent, admin_unit, *, valid_from=None,
            valid_to=None, collective=False) -> Agency:
    """Every identifier code of the demo is assumed (QCVN 102:2016 order), hence ``confirmed=False``."""
    agency, _ = Agency.objects.update_or_create(
        code=code,
        defaults={"name": name, "abbreviation": abbreviation, "parent": parent, "administrative_unit": admin_unit,
                  "valid_from": valid_from, "valid_to": valid_to, "collective": collective, "confirmed": False},
    )
    demo.agencies[KEYS[code]] = agency
    return agency


def _units(demo: Demo, key: str, agency: Agency, names: list[str]) -> None:
    for name in names:
        demo.units[(key, name)], _ = OrgUnit.objects.get_or_create(agency=agency, name=name)


def _committee(name: str) -> str:
    """"Phường Đức Xuân" → "Ủy ban nhân dân phường Đức Xuân"."""
    return f"Ủy ban nhân dân {structure.lower_first(name)}"


def _territory(demo: Demo) -> dict[str, AdministrativeUnit]:
    """Provinces, districts and communes of every period, by code ("district:058", "old:01840" for
    the rows that ended, the communes in force today by their code)."""
    province = demo.province
    former = _unit(structure.FORMER_CODE, structure.FORMER_NAME, "province", valid_to=BEFORE_REFORM)
    old_thai_nguyen = _unit(structure.PROVINCE_CODE, structure.PROVINCE_NAME, "province", valid_to=BEFORE_REFORM)
    former.successors.add(province)
    old_thai_nguyen.successors.add(province)
    districts = {code: _unit(code, name, "district", former, None, BEFORE_REFORM) for code, name in structure.DISTRICTS}
    old = {code: _unit(code, name, "commune", districts[d], None, BEFORE_REFORM, confirmed=False)
           for code, name, d in structure.OLD_COMMUNES}
    new = {}
    for code, name, merged, difficult in structure.NEW_COMMUNES:
        new[code] = _unit(code, name, "commune", province, REFORM, None, confirmed=False,
                          special_difficulty=difficult)
        for predecessor in merged:
            old[predecessor].successors.add(new[code])
    return {"former": former, **{f"district:{c}": u for c, u in districts.items()},
            **{f"old:{c}": u for c, u in old.items()}, **new}


def _bac_kan(demo: Demo, units: dict[str, AdministrativeUnit]) -> None:
    """Bắc Kạn's agencies until 30 June 2025, each with its successors."""
    former = units["former"]
    ubnd = _agency(demo, f"000.00.00.{BK}", "Ủy ban nhân dân tỉnh Bắc Kạn", "UBND", None, former,
                   valid_to=BEFORE_REFORM, collective=True)
    ubnd.successors.add(demo.agencies["UBND"])
    for key, group, name, _unit_names, began_in_march in structure.DEPARTMENTS:
        agency = _agency(demo, f"000.00.{group}.{BK}", structure.in_bac_kan(name), key, ubnd, former,
                         valid_from=structure.REORGANISATION if began_in_march else None, valid_to=BEFORE_REFORM)
        agency.successors.add(demo.agencies[key])
    for key, group, name, merged_into in structure.ENDED_IN_MARCH:
        agency = _agency(demo, f"000.00.{group}.{BK}", structure.in_bac_kan(name), key, ubnd, former,
                         valid_to=structure.BEFORE_REORGANISATION)
        agency.successors.add(*[demo.agencies[f"BK:{k}"] for k in merged_into])
    new_commune_of = {old: code for code, _n, merged, _d in structure.NEW_COMMUNES for old in merged}
    for code, name in structure.DISTRICTS:
        district = _agency(demo, f"000.00.{structure.DISTRICT_GROUP[code]}.{BK}", _committee(name), "UBND", ubnd,
                           units[f"district:{code}"], valid_to=BEFORE_REFORM, collective=True)
        communes = [(c, n) for c, n, d in structure.OLD_COMMUNES if d == code]
        # The district level was abolished: its records went to the communes formed on its territory.
        district.successors.add(*[demo.agencies[new_commune_of[c]] for c, _n in communes])
        for commune, commune_name in communes:
            agency = _agency(demo, structure.OLD_COMMUNE_CODE[commune],
                             f"{_committee(commune_name)}, {structure.lower_first(name)}", "UBND", district,
                             units[f"old:{commune}"], valid_to=BEFORE_REFORM, collective=True)
            agency.successors.add(demo.agencies[new_commune_of[commune]])


def _thai_nguyen(demo: Demo, units: dict[str, AdministrativeUnit]) -> None:
    """Today's agencies (from 1 July 2025) and their service centres."""
    province = demo.province
    ubnd = _agency(demo, f"000.00.00.{P}", "Ủy ban nhân dân tỉnh Thái Nguyên", "UBND", None, province,
                   valid_from=REFORM, collective=True)
    for key, group, name, unit_names, _began in structure.DEPARTMENTS:
        agency = _agency(demo, f"000.00.{group}.{P}", name, key, ubnd, province, valid_from=REFORM)
        _units(demo, key, agency, unit_names)
    desk = demo.agencies["TTPVHCC"]
    desk.saturday_opens, desk.saturday_closes = structure.SATURDAY
    desk.save(update_fields=["saturday_opens", "saturday_closes"])
    spec = structure.PROVINCIAL_CENTRE
    demo.centres["TTPVHCC"] = centre = _centre(spec["code"], spec["name"], "province", desk, province,
                                                address=spec["address"], phone=spec["phone"])
    for point_name, address in spec["points"]:
        ReceptionPoint.objects.update_or_create(centre=centre, name=point_name,
                                                defaults={"address": address, "valid_from": REFORM})
    for code, name, _merged, _difficult in structure.NEW_COMMUNES:
        agency = _agency(demo, f"000.00.{structure.COMMUNE_GROUP[code]}.{P}", _committee(name), "UBND", ubnd,
                         units[code], valid_from=REFORM, collective=True)
        _units(demo, code, agency, structure.COMMUNE_UNITS)
        demo.centres[code] = _centre(f"TTPVHCC-{code}",
                                     f"Trung tâm Phục vụ hành chính công {structure.lower_first(name)}",
                                     "commune", agency, units[code])


def _centre(code, name, level, agency, unit, **extra) -> ServiceCentre:
    centre, _ = ServiceCentre.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "agency": agency, "administrative_unit": unit,
                             "valid_from": REFORM, **extra})
    return centre


def _people(demo: Demo) -> None:
    positions = {name: Position.objects.update_or_create(name=name, defaults={"rank": rank, "standing": standing})[0]
                 for name, rank, standing in POSITIONS}
    for username, full_name, agency_key, unit_name, position, roles in OFFICIALS:
        user = _user(username, full_name, User.Kind.OFFICIAL, f"{username}@{EMAIL_DOMAIN}")
        agency = demo.agencies[agency_key]
        Membership.objects.update_or_create(
            official=user, agency=agency,
            defaults={"unit": demo.units.get((agency_key, unit_name)) if unit_name else None,
                      "position": positions[position], "roles": [str(r) for r in roles]},
        )
        # A database loaded with an earlier demo: places at agencies that have since ended end with them.
        for stale in Membership.objects.filter(official=user, valid_to__isnull=True, agency__valid_to__isnull=False):
            stale.valid_to = stale.agency.valid_to
            stale.save(update_fields=["valid_to"])
        demo.users[username] = user
        if set(roles) & ROLES_REQUIRING_TOTP:
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
    elif (user.full_name, user.email) != (full_name, email):  # renamed since an earlier demo
        user.full_name, user.email = full_name, email
        user.save(update_fields=["full_name", "email"])
    return user


def _loaded() -> Demo | None:
    """The demo as it already stands in the database, read without writing anything."""
    usernames = [row[0] for row in OFFICIALS] + [row[0] for row in PORTAL_USERS]
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    province = AdministrativeUnit.objects.filter(code=structure.PROVINCE_CODE, level="province",
                                                 valid_from=REFORM).first()
    if province is None or len(users) != len(usernames):
        return None
    demo = Demo(province=province, users=users)
    for agency in Agency.objects.filter(code__in=list(KEYS)).select_related("administrative_unit"):
        demo.agencies[KEYS[agency.code]] = agency
    keys = {agency.pk: key for key, agency in demo.agencies.items()}
    for unit in OrgUnit.objects.filter(agency_id__in=keys):
        demo.units[(keys[unit.agency_id], unit.name)] = unit
    centre_keys: dict[str, str] = {str(structure.PROVINCIAL_CENTRE["code"]): "TTPVHCC",
                   **{f"TTPVHCC-{code}": code for code in structure.COMMUNE_GROUP}}
    for centre in ServiceCentre.objects.filter(code__in=centre_keys):
        demo.centres[centre_keys[centre.code]] = centre
    for device in TOTPDevice.objects.filter(user__username__in=usernames, confirmed=True).select_related("user"):
        demo.totp_secrets[device.user.username] = device.key
    return demo


@transaction.atomic
def load_demo() -> Demo:
    from legal.data import ensure

    ensure()  # the legal bases the migrations enter (a test database may have been emptied since)
    if (demo := _loaded()) is not None:
        return demo
    demo = Demo(province=_unit(structure.PROVINCE_CODE, structure.PROVINCE_NAME, "province", valid_from=REFORM))
    units = _territory(demo)
    _thai_nguyen(demo, units)
    _bac_kan(demo, units)
    _people(demo)
    return demo
