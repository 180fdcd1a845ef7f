"""The survey's criteria and the province's rules, as data (decision 0039 says which sources)."""

from django.db import migrations

SIPAS = "SIPAS (Bộ Nội vụ)"
DECREE = "Nghị định 61/2018/NĐ-CP Điều 31 (nay Nghị định 118/2025/NĐ-CP, cần xác nhận điều)"
CRITERIA = [
    ("access", "Tiếp cận dịch vụ: nơi tiếp nhận, Cổng dịch vụ công dễ tìm, thuận tiện",
     "Access to the service: the desk or the online portal easy to reach and convenient", SIPAS),
    ("information", "Thông tin về thủ tục được công khai đầy đủ, chính xác, dễ hiểu",
     "Information about the procedure published in full, accurate and easy to understand", f"{SIPAS}; {DECREE}"),
    ("attitude", "Thái độ phục vụ và hướng dẫn của công chức",
     "Officials' attitude and guidance", f"{SIPAS}; {DECREE}"),
    ("time", "Thời gian giải quyết đúng như giấy hẹn",
     "Time taken as promised on the appointment slip", f"{SIPAS}; {DECREE}"),
    ("result", "Kết quả đúng quy định và như mong đợi",
     "Result lawful and as expected", f"{SIPAS}; {DECREE}"),
    ("fees", "Phí, lệ phí đúng như đã công khai, không phát sinh chi phí khác",
     "Fees as announced, nothing else to pay", f"{SIPAS}; {DECREE}"),
]


def forwards(apps, schema_editor):
    Criterion = apps.get_model("feedback", "Criterion")
    Rules = apps.get_model("feedback", "Rules")
    for order, (code, name, name_en, source) in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "source": source,
                                                             "order": order})
    Rules.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
