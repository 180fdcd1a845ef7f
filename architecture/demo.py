"""Demo data of the architecture model (idempotent): a first synchronisation from the
configuration, a few hand-entered business services and national systems the province plans to
connect, and version 1 when none is published yet."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from . import services
from .models import ArchitectureVersion, Component, Connection, FlowDirection, Kind, Layer, Status

# (name, layer, kind, status, description): entered by hand, so the synchronisation never touches them.
HAND_ENTERED = [
    ("Dịch vụ công trực tuyến toàn trình", Layer.BUSINESS, Kind.BUSINESS_SERVICE, Status.IN_OPERATION,
     "Tiếp nhận, giải quyết và trả kết quả thủ tục hành chính trên môi trường điện tử."),
    ("Quản lý văn bản và điều hành", Layer.BUSINESS, Kind.BUSINESS_SERVICE, Status.IN_OPERATION,
     "Văn bản đến, văn bản đi, giao việc và theo dõi xử lý trong các cơ quan của tỉnh."),
    ("Cơ sở dữ liệu quốc gia về dân cư", Layer.DATA, Kind.NATIONAL_SYSTEM, Status.PLANNED,
     "Khai thác thông tin công dân qua nền tảng chia sẻ dữ liệu quốc gia (NGSP)."),
    ("Cổng Dịch vụ công quốc gia", Layer.APPLICATION, Kind.NATIONAL_SYSTEM, Status.PLANNED,
     "Đồng bộ trạng thái hồ sơ và kết quả giải quyết thủ tục hành chính."),
]


def load_demo() -> None:
    with translation.override(settings.LANGUAGE_CODE):
        services.synchronise(acting_user=None)
        for name, layer, kind, status, description in HAND_ENTERED:
            Component.objects.get_or_create(name=name, generated=False, defaults={
                "layer": layer, "kind": kind, "status": status, "description": description})
        portal = Component.objects.filter(key="module:portal").first()
        national = Component.objects.filter(name="Cổng Dịch vụ công quốc gia", generated=False).first()
        if portal and national:
            Connection.objects.get_or_create(source=portal, target=national, generated=False, defaults={
                "protocol": "HTTPS qua LGSP/NGSP", "data_flow": "Trạng thái và kết quả hồ sơ",
                "direction": FlowDirection.TWO_WAY, "status": Status.PLANNED})
        if not ArchitectureVersion.objects.exists():
            services.publish_version(acting_user=None, note="Phiên bản đầu tiên, sinh từ cấu hình của nền tảng.")
