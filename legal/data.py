"""The legal bases of the one-stop mechanism and their form sets, as known on 1 December 2026.

Dates marked ``confirmed=False`` are assumed (docs/legal.md says which and why); a province
corrects them in the admin. Each form set applies to the dossiers submitted in its period. Entered by
the migration ``0002_texts_in_force`` and again by the demo loader (idempotent)."""

import datetime as dt

D = dt.date
TEXTS = [
    # number, kind, title, issued, in force from, in force until, confirmed
    ("61/2018/NĐ-CP", "decree", "Nghị định về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục "
     "hành chính", D(2018, 4, 23), D(2018, 6, 21), D(2025, 6, 30), True),
    ("107/2021/NĐ-CP", "decree", "Nghị định sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP",
     D(2021, 12, 6), D(2022, 1, 20), D(2025, 6, 30), False),
    ("01/2018/TT-VPCP", "circular", "Thông tư hướng dẫn thi hành một số quy định của Nghị định số 61/2018/NĐ-CP",
     D(2018, 11, 23), D(2019, 1, 8), D(2025, 6, 30), False),
    ("118/2025/NĐ-CP", "decree", "Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông "
     "tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia", D(2025, 6, 9), D(2025, 7, 1), None, True),
    ("03/2025/TT-VPCP", "circular", "Thông tư hướng dẫn thi hành một số quy định của Nghị định số 118/2025/NĐ-CP",
     D(2025, 9, 15), D(2025, 9, 15), None, False),
    ("30/2020/NĐ-CP", "decree", "Nghị định về công tác văn thư", D(2020, 3, 5), D(2020, 3, 5), None, True),
]
COMMON = {
    "receipt": {"number": "01", "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"},
    "supplement": {"number": "02", "title": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"},
    "refusal": {"number": "03", "title": "Phiếu từ chối tiếp nhận giải quyết hồ sơ"},
}
FORM_SETS = [
    ("tt01-2018", "Biểu mẫu Thông tư 01/2018/TT-VPCP", "01/2018/TT-VPCP", "61/2018/NĐ-CP", D(2019, 1, 8),
     D(2025, 6, 30), {**COMMON,
                      "apology": {"number": "04", "title": "Phiếu xin lỗi và hẹn lại ngày trả kết quả"},
                      "control": {"number": "05", "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ"},
                      "register": {"number": "06", "title": "Sổ theo dõi hồ sơ"}}),
    # Assumed to apply to every dossier received under Decree 118/2025 (from 1 July 2025).
    ("tt03-2025", "Biểu mẫu Thông tư 03/2025/TT-VPCP", "03/2025/TT-VPCP", "118/2025/NĐ-CP", D(2025, 7, 1), None,
     {**COMMON,
      "apology": {"number": "04", "title": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"},
      "stop": {"number": "05", "title": "Thông báo dừng giải quyết hồ sơ"},
      "control": {"number": "06", "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ"},
      "register": {"number": "07", "title": "Sổ theo dõi hồ sơ"}}),
]


def load(document, form_set) -> None:
    """Enter the texts and form sets above that are missing (a province's own corrections are kept);
    ``document`` and ``form_set`` are the models (historical ones in a migration)."""
    by_number = {}
    for number, kind, title, issued, start, end, confirmed in TEXTS:
        by_number[number], _created = document.objects.get_or_create(number=number, defaults={
            "kind": kind, "title": title, "issued_on": issued, "valid_from": start, "valid_to": end,
            "confirmed": confirmed})
    for code, name, basis, governing, start, end, forms in FORM_SETS:
        form_set.objects.get_or_create(code=code, defaults={
            "name": name, "basis": by_number[basis], "governing": by_number[governing], "valid_from": start,
            "valid_to": end, "forms": forms})


def ensure() -> None:
    """The texts and form sets are there (tests that empty the database call it again)."""
    from .models import FormSet, LegalDocument

    if not FormSet.objects.exists():
        load(LegalDocument, FormSet)
