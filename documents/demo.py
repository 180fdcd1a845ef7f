"""The e-office's demo: each agency of the demo directory that has a clerk keeps its incoming and
outgoing registers, and one for classified documents each way (Decree 30/2020 art. 14 and 21)."""

from directory.models import Agency, Membership, Role

from .models import Direction, DocumentType, Register
from .types import DOCUMENT_TYPES

REGISTERS = [
    (Direction.INCOMING, "Sổ đăng ký văn bản đến", False),
    (Direction.OUTGOING, "Sổ đăng ký văn bản đi", False),
    (Direction.INCOMING, "Sổ đăng ký văn bản mật đến", True),
    (Direction.OUTGOING, "Sổ đăng ký văn bản mật đi", True),
]


def load_document_types() -> None:
    """The types of Decree 30/2020 (the data migration loads them; a flushed database gets them again)."""
    for order, (abbreviation, name, is_letter) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.get_or_create(abbreviation=abbreviation,
                                           defaults={"name": name, "is_letter": is_letter, "order": order})


def load_registers() -> list[Register]:
    """Idempotent: the document types, and the registers of every agency in force that has a clerk."""
    load_document_types()
    clerk_agencies = {agency_id for agency_id, roles in Membership.objects.valid_on().values_list("agency_id", "roles")
                      if Role.CLERK in (roles or [])}
    registers = []
    for agency in Agency.objects.valid_on().filter(pk__in=clerk_agencies):
        for direction, name, confidential in REGISTERS:
            register, _created = Register.objects.get_or_create(
                agency=agency, direction=direction, name=name, defaults={"confidential": confidential})
            registers.append(register)
    return registers


# Two letters received by the ward of Đức Xuân: one on paper, registered and waiting for the
# chairman's direction; one from the inter-agency exchange, waiting for the clerk's acceptance.
SAMPLES: list[dict] = [
    {"key": "paper", "issuer_name": "Sở Tư pháp tỉnh Thái Nguyên", "number_symbol": "215/STP-HCTP",
     "signer_name": "Hoàng Văn Minh", "issued_on_days_ago": 4, "due_in_days": 10,
     "abstract": "V/v rà soát, cập nhật thủ tục hành chính lĩnh vực hộ tịch năm 2026",
     "body": ["Thực hiện Kế hoạch kiểm soát thủ tục hành chính năm 2026 của Ủy ban nhân dân tỉnh,",
              "Sở Tư pháp đề nghị Ủy ban nhân dân các xã, phường rà soát các thủ tục hành chính lĩnh vực "
              "hộ tịch đang thực hiện tại địa phương và gửi báo cáo kết quả về Sở trước ngày 20/12/2026."]},
    {"key": "exchange", "issuer_name": "Ủy ban nhân dân tỉnh Thái Nguyên", "number_symbol": "1024/UBND-KSTT",
     "signer_name": "Trịnh Việt Hùng", "issued_on_days_ago": 1, "due_in_days": 15,
     "abstract": "V/v tăng cường tiếp nhận hồ sơ trực tuyến toàn trình",
     "body": ["Để nâng cao tỷ lệ hồ sơ trực tuyến toàn trình, Ủy ban nhân dân tỉnh yêu cầu Ủy ban nhân dân "
              "các xã, phường hướng dẫn người dân nộp hồ sơ qua Cổng dịch vụ công,",
              "đồng thời báo cáo tình hình thực hiện hằng tháng."]},
]


def sample_letter(sample: dict, issued_on) -> bytes:
    """A realistic official letter (công văn) as a PDF, laid out as Decree 30/2020 Appendix I wants."""
    from django.utils.html import escape

    from dossiers.pdf import html_to_pdf

    body = "".join(f"<p>{escape(line)}</p>" for line in sample["body"])
    html = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"></head><body>
<table style="width:100%"><tr><td style="text-align:center;width:45%"><strong>{escape(sample["issuer_name"].upper())}</strong>
<br>Số: {escape(sample["number_symbol"])}<br>{escape(sample["abstract"])}</td>
<td style="text-align:center"><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><br><strong>Độc lập - Tự do - Hạnh phúc</strong>
<br><em>Thái Nguyên, ngày {issued_on:%d} tháng {issued_on:%m} năm {issued_on:%Y}</em></td></tr></table>
<p style="text-align:center">Kính gửi: Ủy ban nhân dân phường Đức Xuân</p>{body}
<p style="text-align:right"><strong>{escape(sample["signer_name"])}</strong></p></body></html>"""
    return html_to_pdf(html)


def load_demo_documents(demo) -> None:
    """The e-office's part of ``egov demo``: the registers, and two incoming documents at Đức Xuân
    (idempotent: a sample already there is left alone)."""
    import datetime as dt

    from django.utils import timezone

    from .emails import Upload
    from .incoming import receive_electronic, register_paper
    from .models import Document, DocumentType

    load_registers()
    agency = demo.agencies.get("01840")
    clerk = demo.users.get("vanthu.ducxuan")
    register = Register.objects.filter(agency=agency, direction=Direction.INCOMING, confidential=False).first()
    if agency is None or clerk is None or register is None:
        return
    letter = DocumentType.objects.get(is_letter=True)
    today = timezone.localdate()
    for sample in SAMPLES:
        if Document.objects.filter(agency=agency, number_symbol=sample["number_symbol"]).exists():
            continue
        issued_on = today - dt.timedelta(days=sample["issued_on_days_ago"])
        metadata = {"document_type": letter, "issuer_name": sample["issuer_name"],
                    "number_symbol": sample["number_symbol"], "issued_on": issued_on, "abstract": sample["abstract"],
                    "signer_name": sample["signer_name"], "page_count": 1,
                    "handling_due_on": today + dt.timedelta(days=sample["due_in_days"])}
        files = [Upload(f"{sample['number_symbol'].replace('/', '-')}.pdf", sample_letter(sample, issued_on),
                        "application/pdf")]
        if sample["key"] == "paper":
            register_paper(agency=agency, register=register, clerk=clerk, metadata=metadata, files=files)
        else:
            receive_electronic(agency=agency, metadata=metadata, files=files, exchange_id="demo-1024-UBND-KSTT")
