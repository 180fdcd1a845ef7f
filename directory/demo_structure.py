"""The demo province's structure, by directory period (docs/decisions/0015-thai-nguyen-demo-with-history.md).

- until 28 February 2025: Bắc Kạn province (unit 06) with its departments as they were, its eight
  districts and their communes;
- 1 March – 30 June 2025: Bắc Kạn's departments reorganised (Planning and Investment into Finance,
  Natural Resources and Environment with Agriculture into Agriculture and Environment, Information and
  Communications into Science and Technology, Transport into Construction, Labour, Invalids and Social
  Affairs into Home Affairs with parts to Health and Education, the Ethnic board into Ethnic
  Minorities and Religions);
- from 1 July 2025: the new Thái Nguyên province (unit 19, Resolution 202/2025/QH15), two levels of
  local government; the wards and communes of the former Bắc Kạn area are the demo's communes.

Every row that ended keeps its dates and names its successors. Identifier codes (QCVN 102:2016) use
``H55`` for Thái Nguyên and ``H05`` for Bắc Kạn, both assumed from the alphabetical order of the
provinces: rows with an assumed code or composition carry ``confirmed=False``.
"""

import datetime as dt

REORGANISATION = dt.date(2025, 3, 1)
BEFORE_REORGANISATION = REORGANISATION - dt.timedelta(days=1)
REFORM = dt.date(2025, 7, 1)
BEFORE_REFORM = REFORM - dt.timedelta(days=1)

PROVINCE_CODE, PROVINCE_NAME = "19", "Tỉnh Thái Nguyên"
FORMER_CODE, FORMER_NAME = "06", "Tỉnh Bắc Kạn"
P, BK = "H55", "H05"

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
# Communes of Bắc Kạn before 1 July 2025: (code, name, district code).
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
# Wards and communes of Thái Nguyên in the former Bắc Kạn area, from 1 July 2025 (a sample of the
# 37; names and compositions assumed): (code, name, merged from, commune with special difficulty).
NEW_COMMUNES = [
    ("01840", "Phường Đức Xuân", ["01840", "01834", "01843"], False),
    ("01837", "Phường Bắc Kạn", ["01837", "01846", "01849"], False),
    ("01864", "Xã Chợ Rã", ["01864", "01882"], False),
    ("01954", "Xã Nà Phặc", ["01954"], True),
    ("02044", "Xã Chợ Đồn", ["02044"], True),
]

# Today's departments and their equals in Bắc Kạn from 1 March to 30 June 2025 (same key, same
# group; Bắc Kạn's names carry the province): (key = abbreviation, group, name, units, began in
# Bắc Kạn on 1 March 2025).
DEPARTMENTS = [
    ("VP", "01", "Văn phòng Ủy ban nhân dân tỉnh",
     ["Phòng Hành chính - Tổ chức", "Phòng Kiểm soát thủ tục hành chính"], False),
    ("SNV", "02", "Sở Nội vụ", ["Văn phòng Sở", "Phòng Tổ chức, biên chế", "Phòng Cải cách hành chính",
                                "Phòng Lao động - Việc làm"], False),
    ("STP", "03", "Sở Tư pháp", ["Văn phòng Sở", "Phòng Hành chính tư pháp", "Phòng Bổ trợ tư pháp"], False),
    ("STC", "05", "Sở Tài chính", ["Văn phòng Sở", "Phòng Quản lý giá, công sản", "Phòng Đăng ký kinh doanh"], False),
    ("SXD", "06", "Sở Xây dựng", ["Văn phòng Sở", "Phòng Quản lý xây dựng", "Phòng Quản lý vận tải"], False),
    ("SGDĐT", "09", "Sở Giáo dục và Đào tạo", ["Văn phòng Sở"], False),
    ("SYT", "10", "Sở Y tế", ["Văn phòng Sở", "Phòng Nghiệp vụ Dược"], False),
    ("SCT", "13", "Sở Công Thương", ["Văn phòng Sở"], False),
    ("SVHTTDL", "15", "Sở Văn hóa, Thể thao và Du lịch", ["Văn phòng Sở"], False),
    ("SKHCN", "16", "Sở Khoa học và Công nghệ", ["Văn phòng Sở", "Phòng Chuyển đổi số"], False),
    ("TTr", "17", "Thanh tra tỉnh", ["Văn phòng"], False),
    ("TTPVHCC", "19", "Trung tâm Phục vụ hành chính công tỉnh", ["Bộ phận Một cửa"], False),
    ("SNNMT", "20", "Sở Nông nghiệp và Môi trường", ["Văn phòng Sở", "Phòng Quản lý đất đai"], True),
    ("SDTTG", "21", "Sở Dân tộc và Tôn giáo", ["Văn phòng Sở"], True),
]
# Bắc Kạn's departments that ended on 28 February 2025: (key, group, name, merged into).
ENDED_IN_MARCH = [
    ("SKHĐT", "04", "Sở Kế hoạch và Đầu tư", ["STC"]),
    ("STNMT", "07", "Sở Tài nguyên và Môi trường", ["SNNMT"]),
    ("STTTT", "08", "Sở Thông tin và Truyền thông", ["SKHCN"]),
    ("SLĐTBXH", "11", "Sở Lao động - Thương binh và Xã hội", ["SNV", "SYT", "SGDĐT"]),
    ("SNN", "12", "Sở Nông nghiệp và Phát triển nông thôn", ["SNNMT"]),
    ("SGTVT", "14", "Sở Giao thông vận tải", ["SXD"]),
    ("BDT", "18", "Ban Dân tộc", ["SDTTG"]),
]
DISTRICT_GROUP = {code: f"{30 + i:02d}" for i, (code, _) in enumerate(DISTRICTS)}
COMMUNE_GROUP = {code: f"{60 + i:02d}" for i, (code, *_rest) in enumerate(NEW_COMMUNES)}
COMMUNE_UNITS = ["Bộ phận Một cửa", "Tư pháp - Hộ tịch", "Địa chính - Xây dựng", "Văn phòng - Thống kê"]


def _old_commune_codes() -> dict[str, str]:
    """Identifier codes of Bắc Kạn's commune People's Committees: level 3 under their district."""
    codes, count = {}, dict.fromkeys(DISTRICT_GROUP, 0)
    for code, _name, district in OLD_COMMUNES:
        count[district] += 1
        codes[code] = f"000.{count[district]:02d}.{DISTRICT_GROUP[district]}.{BK}"
    return codes


OLD_COMMUNE_CODE = _old_commune_codes()

# The provincial centre (Decree 118/2025/NĐ-CP): its seat in Thái Nguyên and a reception point at
# the former Bắc Kạn centre. Addresses and phone numbers are invented.
PROVINCIAL_CENTRE = {
    "code": "TTPVHCC-19", "name": "Trung tâm Phục vụ hành chính công tỉnh Thái Nguyên",
    "address": "Số 1 đường Hoàng Văn Thụ, phường Phan Đình Phùng, tỉnh Thái Nguyên", "phone": "0208 3000 100",
    "points": [("Trụ sở Trung tâm", "Số 1 đường Hoàng Văn Thụ, phường Phan Đình Phùng, tỉnh Thái Nguyên"),
               ("Điểm tiếp nhận Bắc Kạn (trụ sở Trung tâm tỉnh Bắc Kạn cũ)",
                "Số 8 đường Trường Chinh, phường Đức Xuân, tỉnh Thái Nguyên")],
}
SATURDAY = (dt.time(7, 30), dt.time(11, 30))  # the provincial centre's Saturday-morning session


def in_bac_kan(name: str) -> str:
    """The name of a Bắc Kạn agency that has a namesake today: "Sở Tư pháp tỉnh Bắc Kạn"."""
    return f"{name} Bắc Kạn" if name.endswith(" tỉnh") else f"{name} tỉnh Bắc Kạn"


def lower_first(name: str) -> str:
    return name[0].lower() + name[1:]


def agency_keys() -> dict[str, str]:
    """Identifier code → key in ``Demo.agencies``: today's by abbreviation or commune code, ended
    ones prefixed "BK:" (Bắc Kạn's Sở Tư pháp is "BK:STP", its district of Ba Bể "BK:061")."""
    keys = {f"000.00.00.{P}": "UBND", f"000.00.00.{BK}": "BK:UBND"}
    for key, group, *_rest in DEPARTMENTS:
        keys[f"000.00.{group}.{P}"] = key
        keys[f"000.00.{group}.{BK}"] = f"BK:{key}"
    for key, group, *_rest in ENDED_IN_MARCH:
        keys[f"000.00.{group}.{BK}"] = f"BK:{key}"
    for code, group in DISTRICT_GROUP.items():
        keys[f"000.00.{group}.{BK}"] = f"BK:{code}"
    for code, agency_code in OLD_COMMUNE_CODE.items():
        keys[agency_code] = f"BK:{code}"
    for code, group in COMMUNE_GROUP.items():
        keys[f"000.00.{group}.{P}"] = code
    return keys
