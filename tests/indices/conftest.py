"""A small hand-made month: March 2026 at Sở Tư pháp, one dossier at the Đức Xuân commune, each at an edge.

Counts of March 2026 at Sở Tư pháp (STP), worked out by hand:
  received            A B C E G        = 5   (D was received on 28/02 at 23:59, F is a draft)
  received online     A E              = 2   (E through a connected system)
  received with code  A B C E G        = 5
  received on paper   B C G            = 3   (counter, post, counter)
  paper digitised     B                = 1   (the only paper dossier whose scans the desk confirmed digitised)
  payable             B C              = 2
  paid online         B                = 1
  settled             A B D            = 3   (B at 23:59 on 31/03; C on 01/04 at 00:00 is April's)
  settled on time     A D              = 2
  settled late        B                = 1
  settled electronic  A                = 1   (A's result issued: numbered and sealed)
  reused online       A                = 1   (A took a paper from the data store; E, online too, did not)
Procedures with dossiers received in March at STP: "full" (A B E G) and "partial" (C).
"""

import datetime as dt
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from datastore.models import Reuse, StoredItem
from dossiers.models import Dossier, DossierFile
from indices.catalog import load
from payments.models import Payment
from procedures.models import ProcedureVersion
from tests.factories import make_procedure
from workdays.report_periods import Period

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = Period.month(2026, 3)
_codes = count(1)


def local(year, month, day, hour=0, minute=0, second=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=VN)


@pytest.fixture
def world(demo):
    load()  # the migration loaded it already; idempotent
    stp, commune = demo.agencies["STP"], demo.agencies["01840"]
    full = make_procedure(agencies=[stp, commune], code="9.200001", name="Chứng thực bản sao", kind="full")
    partial = make_procedure(agencies=[stp], code="9.200002", name="Cấp phiếu lý lịch tư pháp", kind="partial")
    # A published version is frozen: the legal basis is left out behind its back, so "partial" lacks full information.
    ProcedureVersion.objects.filter(pk=partial.current_id).update(legal_basis="")
    return {"stp": stp, "commune": commune, "other_commune": demo.agencies["01837"],
            "centre": demo.centres["TTPVHCC"], "citizen": demo.users["congdan@example.vn"],
            "clerk": demo.users["motcua.stp"], "full": full.current, "partial": partial.current}


def make(world, *, agency=None, procedure="full", channel="online", status="in_progress", received=None,
         result=None, finished=None, outcome="", fee=0, centre=None) -> Dossier:
    return Dossier.objects.create(
        code=f"IDX-{next(_codes):05d}", procedure_version=world[procedure], agency=agency or world["stp"],
        applicant=world["citizen"], applicant_name="Nguyễn Thị Hồng", status=status, channel=channel,
        fee_amount=fee, submitted_at=received, received_at=received, due_at=received and received + dt.timedelta(days=10),
        result_ready_at=result, finished_at=finished, outcome=outcome, receiving_centre=centre)


def attach(world, dossier, purpose, *, issue_number=""):
    DossierFile.objects.create(dossier=dossier, purpose=purpose, file=f"test/{dossier.code}-{purpose}.pdf",
                               original_name="giay-to.pdf", extension="pdf", content_type="application/pdf",
                               size=10, sha256=f"{dossier.pk:064d}", uploaded_by=world["clerk"],
                               uploaded_at=dossier.received_at or timezone.now(), issue_number=issue_number)


@pytest.fixture
def march(world):
    w = world
    d = {
        "A": make(w, received=local(2026, 3, 3, 10), result=local(2026, 3, 10, 9), outcome="early",
                  status="result_ready"),
        "B": make(w, channel="counter", fee=50000, received=local(2026, 3, 5, 8), result=local(2026, 3, 31, 23, 59),
                  outcome="late", status="result_ready", centre=w["centre"]),
        "C": make(w, procedure="partial", channel="post", fee=20000, received=local(2026, 3, 6, 8),
                  result=local(2026, 4, 1), outcome="on_time", status="result_ready", centre=w["centre"]),
        "D": make(w, received=local(2026, 2, 28, 23, 59), result=local(2026, 3, 2, 8), outcome="on_time",
                  status="result_ready"),
        "E": make(w, channel="api", received=local(2026, 3, 31, 23, 59, 59)),
        "F": make(w, status="draft", received=local(2026, 3, 4, 8)),
        "G": make(w, channel="counter", received=local(2026, 3, 15, 8), finished=local(2026, 3, 20, 8),
                  outcome="refused", status="refused"),
        # The commune's own dossier: received online on 08/03, not settled.
        "H": make(w, agency=w["commune"], received=local(2026, 3, 8, 8)),
    }
    attach(w, d["A"], "result", issue_number="15/GCN")
    attach(w, d["B"], "paper")
    StoredItem.objects.create(owner=w["citizen"], title="Giấy chứng sinh", source="digitised", dossier=d["B"],
                              issued_on=local(2026, 3, 5).date(), confirmed_by=w["clerk"])
    attach(w, d["G"], "paper")  # scanned, never confirmed digitised: not counted
    Reuse.objects.create(dossier=d["A"], source="result", what="Giấy khai sinh", by=w["citizen"],
                         at=local(2026, 3, 3, 9))
    attach(w, d["C"], "result")  # not issued: no number, no seal
    now = timezone.now()
    Payment.objects.create(dossier=d["B"], amount=50000, txn_ref="IDX-PAY-1", status="paid", order_info="Lệ phí",
                           created_at=now, expires_at=now + dt.timedelta(minutes=15), paid_at=now)
    Payment.objects.create(dossier=d["C"], amount=20000, txn_ref="IDX-PAY-2", status="expired", order_info="Lệ phí",
                           created_at=now, expires_at=now + dt.timedelta(minutes=15))
    return d
