"""The document types of Decree 30/2020/NĐ-CP, Appendix III, with their abbreviations: loaded into
``DocumentType`` by a data migration; a province adds or renames types as data (admin)."""

# (abbreviation, name, is an official letter without a type abbreviation)
DOCUMENT_TYPES = [
    ("NQ", "Nghị quyết", False),
    ("QĐ", "Quyết định", False),
    ("CT", "Chỉ thị", False),
    ("QC", "Quy chế", False),
    ("QyĐ", "Quy định", False),
    ("TC", "Thông cáo", False),
    ("TB", "Thông báo", False),
    ("HD", "Hướng dẫn", False),
    ("CTr", "Chương trình", False),
    ("KH", "Kế hoạch", False),
    ("PA", "Phương án", False),
    ("ĐA", "Đề án", False),
    ("DA", "Dự án", False),
    ("BC", "Báo cáo", False),
    ("BB", "Biên bản", False),
    ("TTr", "Tờ trình", False),
    ("HĐ", "Hợp đồng", False),
    ("CĐ", "Công điện", False),
    ("BGN", "Bản ghi nhớ", False),
    ("BTT", "Bản thỏa thuận", False),
    ("GUQ", "Giấy ủy quyền", False),
    ("GM", "Giấy mời", False),
    ("GGT", "Giấy giới thiệu", False),
    ("GNP", "Giấy nghỉ phép", False),
    ("PG", "Phiếu gửi", False),
    ("PC", "Phiếu chuyển", False),
    ("PB", "Phiếu báo", False),
    ("CV", "Công văn", True),
]
