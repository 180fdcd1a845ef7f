"""The exchange's services tested against the real axis simulator (its own process on a free
loopback port, its own SQLite file) and real signed edXML: Sở Tư pháp (000.00.03.H55) sends to the
ward of Đức Xuân (000.00.60.H55), both served by this installation — one path through the axis.

Test modules import the fixtures they use from here (``from tests.exchange.world import axis_sim``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.utils import timezone

from documents import distribution
from documents.demo import load_document_types, load_registers
from documents.models import Distribution, Document, DocumentFile, FileKind, Status
from exchange import delivery
from exchange.models import Direction, Kind, Package
from tests.documents.outgoing_helpers import draft
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
SYSTEM = {"id": "thainguyen", "secret": "thainguyen-axis-secret", "organs": ["*.H55"]}
SENDER, RECEIVER = "000.00.03.H55", "000.00.60.H55"
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class AxisProcess:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        config = self.folder / "axis-config.json"
        config.write_text(json.dumps({"systems": [SYSTEM], "max_bytes": MAX_BYTES}))
        log = (self.folder / "axis.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "simulators.axis", "--port", str(self.port), "--db",
             str(self.folder / "axis.sqlite3"), "--config", str(config)], cwd=ROOT, stdout=log,
            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the axis simulator did not start: "
                            + (self.folder / "axis.log").read_text(errors="replace")[-2000:])
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def pending_count(self) -> int:
        from exchange.axis import current

        return len(current().pending(1000))


@pytest.fixture
def axis_sim(tmp_path, settings):
    running = AxisProcess(tmp_path)
    running.start()
    settings.EXCHANGE_AXIS_URL = running.url
    settings.EXCHANGE_SYSTEM_ID, settings.EXCHANGE_SECRET = SYSTEM["id"], SYSTEM["secret"]
    yield running
    running.stop()


@pytest.fixture
def world(demo, registered, axis_sim):
    """The demo with registers, the agencies' seals (test PKI) and the axis simulator running."""
    load_document_types()
    load_registers()
    return demo


def as_issued(demo, **kwargs) -> Document:
    """A document of Sở Tư pháp in the state issuance leaves it, its issued PDF kept."""
    document = draft(demo, **kwargs)
    Document.objects.filter(pk=document.pk).update(status=Status.ISSUED, number_symbol="05/QĐ-STP",
                                                   issued_on=timezone.localdate(), issued_at=timezone.now(),
                                                   signer_name="Hà Văn Thắng")
    first = document.files.get(kind=FileKind.DRAFT)
    DocumentFile.objects.create(document=document, kind=FileKind.ISSUED, version=1, file=first.file.name,
                                original_name="05-QD-STP.pdf", content_type="application/pdf", size=first.size,
                                sha256=first.sha256, uploaded_by=first.uploaded_by)
    document.refresh_from_db()
    return document


def send(demo, capture, document=None, to=("01840",)) -> tuple[Document, list[Distribution]]:
    """The clerk of Sở Tư pháp sends an issued document to agencies; the outbox runs after commit."""
    document = document or as_issued(demo)
    with capture(execute=True):
        rows = distribution.distribute(document, demo.users["vanthu.stp"],
                                       agencies=[demo.agencies[key] for key in to])
    return document, rows


def poll(capture) -> dict:
    """One round of the periodic poll; what it queued (statuses back) is delivered after commit."""
    with capture(execute=True):
        return delivery.poll()


def received_document(exchange_id: str, agency_code: str = RECEIVER) -> Document:
    from documents.models import Direction as DocumentDirection

    return Document.objects.get(agency__code=agency_code, direction=DocumentDirection.INCOMING,
                                exchange_id=exchange_id)


def sent_statuses(code: str) -> list[Package]:
    return list(Package.objects.filter(direction=Direction.OUT, kind=Kind.STATUS, status_code=code))


def draft_pdf(demo) -> bytes:
    """A real PDF: the platform's layout of a draft."""
    from documents.outgoing_files import read

    return read(draft(demo, abstract="bản in thử").files.get(kind=FileKind.DRAFT))


def signed_package(demo, *, to: str = RECEIVER, subject: str = "về việc rà soát thủ tục hộ tịch",
                   document_id: str = f"{SENDER},2026-01-05,12/STP-VP", package_id: str = "", pdf: bytes = b"",
                   mutate=None, after_signing=None, sealed_by: str = "", business: str = "",
                   replaces: str = "") -> bytes:
    """An edXML package from Sở Tư pháp, built and signed with its seal as the platform sends it;
    ``mutate`` changes the XML before signing, ``after_signing`` the signed bytes; ``sealed_by`` (an
    agency's demo key) forges the seal of another agency."""
    import datetime as dt

    from exchange import edxml
    from exchange.edxml.model import Attachment, DocumentPackage, Organ
    from exchange.sending import new_package_id, organ

    sender = demo.agencies["STP"]
    content = DocumentPackage(
        package_id=package_id or new_package_id(), document_id=document_id, sender=organ(sender),
        recipients=[Organ(code=to, name="Ủy ban nhân dân phường Đức Xuân")], code_number="12",
        code_notation="STP-VP", place="Thái Nguyên", promulgation_date=dt.date(2026, 1, 5), document_type=2,
        type_name="Công văn", subject=subject, business=business, replaces=replaces, attachments=[Attachment(name="12-STP-VP.pdf",
                                                                       content=pdf or draft_pdf(demo))])
    xml = edxml.build(content)
    if mutate is not None:
        xml = mutate(xml)
    data = edxml.sign(xml, agency=demo.agencies[sealed_by] if sealed_by else sender)
    return after_signing(data) if after_signing is not None else data
