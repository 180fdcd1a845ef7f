"""The reference lists the platform keeps as shared categories, loaded by a data migration.

- Ethnic groups: the 54 groups of the General Statistics Office's list (Decision 121-TCTK/PPCĐ of
  2 March 1979), with its codes 01–54.
- Religions: the religions recognised in Việt Nam (Government Committee for Religious Affairs), with
  platform codes; 00 for none. To verify against the Committee's list before production.
- Nationalities: ISO 3166-1 alpha-2 codes, a first set (Việt Nam and the countries most often seen
  in the province's dossiers); the others are added by the province (POST /dmdc/Category/QuocTich).
- Sex and marital status: platform codes.
"""

ETHNIC_GROUPS = [
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Hmông", "Dao", "Gia-rai", "Ngái", "Ê-đê", "Ba-na",
    "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ",
    "Giáy", "Cơ-tu", "Giẻ-Triêng", "Mạ", "Khơ-mú", "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì",
    "Chu-ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cờ Lao",
    "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ-măm",
]

RELIGIONS = [
    ("00", "Không"), ("01", "Phật giáo"), ("02", "Công giáo"), ("03", "Tin lành"), ("04", "Cao Đài"),
    ("05", "Phật giáo Hòa Hảo"), ("06", "Hồi giáo"), ("07", "Tôn giáo Baha'i"),
    ("08", "Tịnh độ Cư sĩ Phật hội Việt Nam"), ("09", "Cơ đốc Phục lâm"), ("10", "Phật giáo Tứ Ân Hiếu Nghĩa"),
    ("11", "Minh Sư đạo"), ("12", "Minh Lý đạo – Tam Tông Miếu"), ("13", "Bà-la-môn giáo"),
    ("14", "Giáo hội Các Thánh hữu Ngày sau của Chúa Giê-su Ki-tô (Mặc môn)"), ("15", "Phật giáo Hiếu Nghĩa Tà Lơn"),
    ("16", "Bửu Sơn Kỳ Hương"),
]

NATIONALITIES = [
    ("VN", "Việt Nam"), ("LA", "Lào"), ("KH", "Campuchia"), ("CN", "Trung Quốc"), ("TH", "Thái Lan"),
    ("MM", "Myanmar"), ("MY", "Malaysia"), ("SG", "Singapore"), ("ID", "Indonesia"), ("PH", "Philippines"),
    ("BN", "Brunei"), ("TL", "Đông Timor"), ("JP", "Nhật Bản"), ("KR", "Hàn Quốc"), ("KP", "Triều Tiên"),
    ("TW", "Đài Loan (Trung Quốc)"), ("IN", "Ấn Độ"), ("AU", "Úc"), ("NZ", "Niu Di-lân"), ("US", "Hoa Kỳ"),
    ("CA", "Ca-na-đa"), ("GB", "Anh"), ("FR", "Pháp"), ("DE", "Đức"), ("IT", "I-ta-li-a"), ("RU", "Liên bang Nga"),
    ("UA", "U-crai-na"), ("PL", "Ba Lan"), ("CZ", "Séc"), ("CU", "Cu Ba"),
]

SEX = [("1", "Nam"), ("2", "Nữ"), ("9", "Chưa có thông tin")]

MARITAL_STATUS = [("1", "Chưa kết hôn"), ("2", "Đang có vợ/chồng"), ("3", "Đã ly hôn"), ("4", "Góa")]


def all_rows() -> dict[str, list[tuple[str, str]]]:
    return {
        "DanToc": [(f"{i:02d}", name) for i, name in enumerate(ETHNIC_GROUPS, start=1)],
        "TonGiao": RELIGIONS,
        "QuocTich": NATIONALITIES,
        "GioiTinh": SEX,
        "TinhTrangHonNhan": MARITAL_STATUS,
    }
