"""The reference data of IT planning: the layers of the national architecture framework v3.0
(Decision 2568/QĐ-BTTTT), the kinds of system used to flag duplicate investments, and the expiry
alert thresholds. Rows, so the province edits them in the administration."""

from django.db import migrations

LAYERS = [
    ("business", "Kiến trúc nghiệp vụ", 10),
    ("data", "Kiến trúc dữ liệu", 20),
    ("application", "Kiến trúc ứng dụng", 30),
    ("technology", "Kiến trúc công nghệ", 40),
    ("security", "Kiến trúc an toàn thông tin", 50),
]
SYSTEM_KINDS = [
    ("document-management", "Quản lý văn bản và điều hành"),
    ("one-stop", "Hệ thống thông tin giải quyết thủ tục hành chính (một cửa điện tử)"),
    ("gis", "Hệ thống thông tin địa lý (GIS)"),
    ("data-centre", "Trung tâm dữ liệu"),
    ("lgsp", "Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)"),
    ("specialised-database", "Cơ sở dữ liệu chuyên ngành"),
    ("portal", "Cổng thông tin điện tử"),
    ("email", "Thư điện tử công vụ"),
    ("video-conference", "Hội nghị truyền hình trực tuyến"),
    ("soc", "Giám sát, điều hành an toàn thông tin (SOC)"),
    ("ioc", "Trung tâm giám sát, điều hành thông minh (IOC)"),
    ("network", "Mạng diện rộng, mạng nội bộ"),
]
THRESHOLDS = [90, 30, 7]


def load(apps, schema_editor):
    ComponentCategory = apps.get_model("itplanning", "ComponentCategory")
    SystemKind = apps.get_model("itplanning", "SystemKind")
    AlertThreshold = apps.get_model("itplanning", "AlertThreshold")
    for code, name, order in LAYERS:
        ComponentCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for code, name in SYSTEM_KINDS:
        SystemKind.objects.get_or_create(code=code, defaults={"name": name})
    for days in THRESHOLDS:
        AlertThreshold.objects.get_or_create(days=days)


class Migration(migrations.Migration):
    dependencies = [("itplanning", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
