"""One-line scenario builders shared by the tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from procedures.models import PaperRequirement, Procedure, ProcedureField, ProcedureVersion
from procedures.services import publish

BIRTH_SCHEMA = {
    "type": "object",
    "required": ["requester_name", "child_name", "birth_date", "sex"],
    "properties": {
        "requester_name": {"type": "string", "title": "Họ, chữ đệm, tên người yêu cầu", "title_en": "Requester"},
        "child_name": {"type": "string", "title": "Họ, chữ đệm, tên của trẻ", "title_en": "Child's name"},
        "birth_date": {"type": "string", "format": "date", "title": "Ngày, tháng, năm sinh"},
        "sex": {"type": "string", "enum": ["Nam", "Nữ"], "title": "Giới tính"},
        "copies": {"type": "integer", "minimum": 0, "maximum": 20, "title": "Số bản sao"},
    },
    "x-prefill": {"requester_name": "full_name"},
}


def make_procedure(*, agencies, code="9.000001", name="Thủ tục đăng ký khai sinh (thử nghiệm)", kind="full",
                   days=1, fees=None, schema=None, papers=None, limit_kind="working_days", cutoff=None) -> Procedure:
    field, _ = ProcedureField.objects.get_or_create(code="ho_tich", defaults={"name": "Hộ tịch"})
    procedure = Procedure.objects.create(code=code)
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, name=name, field=field, level="commune", kind=kind,
        old_level=4 if kind == "full" else 3, time_limit_kind=limit_kind, time_limit=days,
        time_limit_cutoff=cutoff,
        fees=fees if fees is not None else [{"name": "Phí cấp bản sao", "rule": {
            "type": "per_unit", "field": "copies", "unit_amount": 8000, "base": 0}}],
        result_type="Giấy khai sinh", legal_basis="Luật Hộ tịch 2014",
        form_schema=schema or BIRTH_SCHEMA,
    )
    version.agencies.set(agencies)
    for order, (paper_name, required, types) in enumerate(papers or [
            ("Tờ khai đăng ký khai sinh", True, ["pdf", "docx", "jpeg", "png"]),
            ("Giấy chứng sinh", True, ["pdf", "jpeg", "png"]),
            ("Giấy ủy quyền (nếu có)", False, ["pdf"])], start=1):
        PaperRequirement.objects.create(version=version, order=order, name=paper_name, required=required,
                                        accepted_types=types, max_size_mb=2)
    publish(version=version)
    procedure.refresh_from_db()
    return procedure


def pdf_file(name="to-khai.pdf", size=0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * size
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_file(name="giay-chung-sinh.png") -> SimpleUploadedFile:
    body = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
            b"\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")
    return SimpleUploadedFile(name, body, content_type="image/png")


def submit_birth(demo, procedure):
    """The demo citizen's dossier of ``procedure`` (made by :func:`make_procedure`) at UBND phường Đức
    Xuân, submitted through the applicant's doors with its form filled and both required papers."""
    from dossiers import services

    citizen, agency = demo.users["congdan@example.vn"], demo.agencies["01840"]
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=agency)
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)
    papers = list(procedure.current.papers.all())
    services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    return services.submit(dossier=draft, applicant=citizen)


def docx_file(name="to-khai.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


BIRTH_VALUES = {"requester_name": "Nguyễn Thị Hồng", "child_name": "Nguyễn Minh An", "birth_date": "2026-11-20",
                "sex": "Nữ", "copies": "2"}


def make_official(username: str, *, agency, position: str, roles=(), unit=None, rank: int = 100, standing: str = ""):
    """An official with a place at ``agency`` (a deputy leader, a head of office…) for scenarios the
    demo does not have; ``standing`` sets the position's standing when the position is new."""
    from accounts.models import User
    from directory.models import Membership, Position

    user = User.objects.create(username=username, full_name=username.replace(".", " ").title(),
                               kind=User.Kind.OFFICIAL, email=f"{username}@example.gov.vn", email_verified=True)
    place, _created = Position.objects.get_or_create(name=position, defaults={"rank": rank, "standing": standing})
    Membership.objects.create(official=user, agency=agency, unit=unit, position=place, roles=[str(r) for r in roles])
    return user
