"""The IT planning demo: the province's five-year plan 2026–2030 and its 2026 yearly plan, three
projects (the provincial data centre; a server room of the Department of Construction that builds
the same kind of system over the same time, so the duplicate flag shows; the civil-status database
of the Department of Justice), their budgets, disbursements and phases, and a few assets, one
licence expiring soon. Idempotent: run again, it changes nothing. Names and numbers are invented."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .models import (
    Asset,
    AssetKind,
    BudgetLine,
    ComponentCategory,
    ComponentRole,
    Disbursement,
    Phase,
    Plan,
    PlanKind,
    PlanLevel,
    PlanStatus,
    Project,
    ProjectComponent,
    ProjectKind,
    Source,
    Stage,
    SystemKind,
)

M = Decimal(1_000_000)  # amounts below in millions of đồng

PROJECTS: list[dict[str, Any]] = [
    {"key": "dc", "plan": "five", "agency": "SKHCN", "name": "Nâng cấp Trung tâm dữ liệu tỉnh Thái Nguyên",
     "unit": "Trung tâm Chuyển đổi số", "kind": ProjectKind.INVESTMENT, "system": "data-centre",
     "start": dt.date(2026, 3, 1), "end": dt.date(2028, 12, 31),
     "objectives": "Tập trung hạ tầng máy chủ, lưu trữ của các sở, ngành về Trung tâm dữ liệu tỉnh; bảo đảm an "
                   "toàn thông tin cấp độ 4.",
     "scope": "Mở rộng phòng máy chủ, bổ sung máy chủ ảo hóa, hệ thống lưu trữ, sao lưu dự phòng.",
     "budget": [(Source.PROVINCIAL, 2026, 12_000), (Source.PROVINCIAL, 2027, 15_000), (Source.CENTRAL, 2027, 8_000),
                (Source.PROVINCIAL, 2028, 5_000)],
     "paid": [(Source.PROVINCIAL, dt.date(2026, 6, 15), 4_500, "Ủy nhiệm chi số 112/UNC ngày 15/6/2026"),
              (Source.PROVINCIAL, dt.date(2026, 10, 20), 3_200, "Ủy nhiệm chi số 287/UNC ngày 20/10/2026")],
     "phases": [(Stage.PROPOSAL, dt.date(2026, 3, 1), dt.date(2026, 4, 15), True),
                (Stage.APPROVAL, dt.date(2026, 4, 16), dt.date(2026, 5, 31), True),
                (Stage.PROCUREMENT, dt.date(2026, 6, 1), dt.date(2026, 8, 31), True),
                (Stage.IMPLEMENTATION, dt.date(2026, 9, 1), dt.date(2028, 6, 30), False),
                (Stage.ACCEPTANCE, dt.date(2028, 7, 1), dt.date(2028, 9, 30), None),
                (Stage.OPERATION, dt.date(2028, 10, 1), dt.date(2028, 12, 31), None)],
     "components": [("technology", ComponentRole.BUILDS, "Hạ tầng máy chủ, lưu trữ dùng chung của tỉnh"),
                    ("security", ComponentRole.BUILDS, "Hệ thống sao lưu, phòng chống mã độc tập trung")]},
    {"key": "sxd", "plan": "year", "agency": "SXD", "name": "Đầu tư phòng máy chủ riêng của Sở Xây dựng",
     "unit": "Văn phòng Sở", "kind": ProjectKind.INVESTMENT, "system": "data-centre",
     "start": dt.date(2026, 5, 1), "end": dt.date(2026, 12, 31),
     "objectives": "Lắp đặt máy chủ và thiết bị lưu trữ cho cơ sở dữ liệu quy hoạch xây dựng.",
     "scope": "Phòng máy chủ tại trụ sở Sở, 4 máy chủ, 1 hệ thống lưu trữ.",
     "budget": [(Source.PROVINCIAL, 2026, 3_500)],
     "paid": [(Source.PROVINCIAL, dt.date(2026, 9, 5), 1_200, "Ủy nhiệm chi số 45/UNC ngày 05/9/2026")],
     "phases": [(Stage.PROPOSAL, dt.date(2026, 5, 1), dt.date(2026, 5, 31), True),
                (Stage.APPROVAL, dt.date(2026, 6, 1), dt.date(2026, 6, 30), True),
                (Stage.PROCUREMENT, dt.date(2026, 7, 1), dt.date(2026, 8, 31), False)],
     "components": [("technology", ComponentRole.BUILDS, "Phòng máy chủ của Sở")]},
    {"key": "stp", "plan": "year", "agency": "STP", "name": "Số hóa sổ hộ tịch, cập nhật Cơ sở dữ liệu hộ tịch",
     "unit": "Phòng Hành chính tư pháp", "kind": ProjectKind.RECURRENT, "system": "specialised-database",
     "start": dt.date(2026, 2, 1), "end": dt.date(2026, 12, 31),
     "objectives": "Số hóa dữ liệu hộ tịch lưu trữ tại các xã, phường khu vực Bắc Kạn cũ.",
     "scope": "Khoảng 180.000 trang sổ hộ tịch giai đoạn 1995–2015.",
     "budget": [(Source.PROVINCIAL, 2026, 2_400), (Source.OTHER, 2026, 300)],
     "paid": [(Source.PROVINCIAL, dt.date(2026, 7, 10), 1_000, "Ủy nhiệm chi số 76/UNC ngày 10/7/2026"),
              (Source.PROVINCIAL, dt.date(2026, 11, 12), 900, "Ủy nhiệm chi số 131/UNC ngày 12/11/2026")],
     "phases": [(Stage.PROPOSAL, dt.date(2026, 2, 1), dt.date(2026, 2, 28), True),
                (Stage.APPROVAL, dt.date(2026, 3, 1), dt.date(2026, 3, 31), True),
                (Stage.PROCUREMENT, dt.date(2026, 4, 1), dt.date(2026, 5, 31), True),
                (Stage.IMPLEMENTATION, dt.date(2026, 6, 1), dt.date(2026, 12, 15), False)],
     "components": [("data", ComponentRole.BUILDS, "Cơ sở dữ liệu hộ tịch điện tử"),
                    ("application", ComponentRole.USES, "Phần mềm đăng ký, quản lý hộ tịch dùng chung")]},
]

# (agency, kind, name, supplier, contract, days from today to expiry or None, project key)
ASSETS = [
    ("STP", AssetKind.LICENCE, "Bản quyền phần mềm diệt virus (120 máy trạm)", "Công ty TNHH An Ninh Mạng Việt",
     "HĐ 08/2025/STP-ANMV", 20, None),
    ("SKHCN", AssetKind.SERVICE, "Thuê đường truyền số liệu chuyên dùng dự phòng", "Viễn thông Thái Nguyên",
     "HĐ 15/2026/TTCĐS", 200, None),
    ("SKHCN", AssetKind.SERVER, "Cụm máy chủ ảo hóa TTDL-01 (3 nút)", "Công ty CP Hạ tầng số Phương Bắc",
     "HĐ 21/2026/TTCĐS", None, "dc"),
    ("SXD", AssetKind.NETWORK, "Tường lửa trụ sở Sở Xây dựng", "Công ty TNHH Thiết bị mạng Đông Á",
     "HĐ 03/2024/SXD", 400, None),
]


def load_demo(demo=None) -> dict[str, Project]:
    """The plans, projects, budgets, disbursements and assets of the demo (idempotent)."""
    from directory.demo import load_demo as load_directory

    demo = demo or load_directory()
    agencies, admin = demo.agencies, demo.users["quantri.tinh"]
    province = agencies["UBND"]
    five, _created = Plan.objects.get_or_create(
        title="Kế hoạch chuyển đổi số tỉnh Thái Nguyên giai đoạn 2026–2030", agency=province,
        defaults={"kind": PlanKind.FIVE_YEAR, "level": PlanLevel.PROVINCE, "start_year": 2026, "end_year": 2030,
                  "status": PlanStatus.APPROVED, "decision_number": "1250/QĐ-UBND",
                  "decision_date": dt.date(2026, 1, 20), "created_by": admin,
                  "objectives": "Hạ tầng số dùng chung, dữ liệu số kết nối, chính quyền số phục vụ người dân."})
    year, _created = Plan.objects.get_or_create(
        title="Kế hoạch ứng dụng công nghệ thông tin, chuyển đổi số năm 2026", agency=province,
        defaults={"kind": PlanKind.YEARLY, "level": PlanLevel.PROVINCE, "start_year": 2026, "end_year": 2026,
                  "parent": five, "status": PlanStatus.APPROVED, "decision_number": "1310/QĐ-UBND",
                  "decision_date": dt.date(2026, 2, 5), "created_by": admin,
                  "objectives": "Triển khai năm đầu của kế hoạch giai đoạn 2026–2030."})
    plans = {"five": five, "year": year}
    layers = {c.code: c for c in ComponentCategory.objects.all()}
    projects: dict[str, Project] = {}
    for row in PROJECTS:
        project, _created = Project.objects.get_or_create(
            plan=plans[row["plan"]], name=row["name"],
            defaults={"agency": agencies[row["agency"]], "responsible_unit": row["unit"], "kind": row["kind"],
                      "system_kind": SystemKind.objects.filter(code=row["system"]).first(),
                      "objectives": row["objectives"], "scope": row["scope"], "starts_on": row["start"],
                      "ends_on": row["end"]})
        projects[row["key"]] = project
        for source, budget_year, millions in row["budget"]:
            BudgetLine.objects.get_or_create(project=project, source=source, year=budget_year,
                                             defaults={"amount": millions * M})
        for source, day, millions, evidence in row["paid"]:
            Disbursement.objects.get_or_create(project=project, evidence=evidence, defaults={
                "source": source, "disbursed_on": day, "amount": millions * M, "recorded_by": admin})
        for stage, start, end, done in row["phases"]:
            Phase.objects.get_or_create(project=project, stage=stage, defaults={
                "planned_start": start, "planned_end": end,
                "actual_start": start if done is not None else None, "actual_end": end if done else None})
        for layer, role, description in row["components"]:
            if layer in layers:
                ProjectComponent.objects.get_or_create(project=project, category=layers[layer], role=role,
                                                       description=description)
    today = timezone.localdate()
    for agency_key, kind, name, supplier, contract, days, project_key in ASSETS:
        Asset.objects.get_or_create(agency=agencies[agency_key], name=name, defaults={
            "kind": kind, "supplier": supplier, "contract_number": contract,
            "starts_on": today - dt.timedelta(days=345),
            "expires_on": today + dt.timedelta(days=days) if days is not None else None,
            "project": projects.get(project_key) if project_key else None})
    return projects
