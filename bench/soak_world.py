"""What the soak (bench/soak.py) sets up inside the platform before the load, and what it checks
after it. Runs in the soak's process, Django set up with the cluster's environment; every change
goes through the platform's services, every check reads the records (and the simulators' own)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

ISSUING = ("giamdoc.stp", "vanthu.stp")


def prepare() -> dict:
    """A procedure of the ward of Đức Xuân with a two-step process (examine, approve), an API token
    of the demo citizen and a client system of the LGSP."""
    from api.services import create_token
    from directory.demo import DEMO_PASSWORD, load_demo
    from documents.demo import load_demo_documents
    from lgsp import services as lgsp
    from processes.models import ProcessDefinition, ProcessStep
    from processes.services import publish
    from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

    demo = load_demo()
    load_demo_documents(demo)  # the agencies' document registers, as `egov demo` makes them
    agency = demo.agencies["01840"]
    procedure = make_procedure(agencies=[agency], days=3, code="9.009001")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=agency)
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định", role="specialist",
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")], hours=Decimal("7.5"),
                               actions=["forward", "supplement"])
    ProcessStep.objects.create(definition=definition, order=2, name="Phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "return", "refuse"])
    publish(definition=definition)
    papers = list(procedure.current.papers.order_by("order"))[:2]
    files = [(upload.name, upload.read(), upload.content_type) for upload in (pdf_file(), png_file())]
    _token, raw = create_token(user=demo.users["congdan@example.vn"], name="Ứng dụng kiểm tra độ bền")
    admin = demo.users["quantri.tinh"]
    client, secret = lgsp.create_client(user=admin, agency=admin.memberships.first().agency,
                                        name="Hệ thống kiểm tra độ bền", scopes=["dmdc.read"],
                                        per_minute=10**6, per_day=10**8)
    users = {role: demo.users[name] for role, name in (("desk", "motcua.ducxuan"), ("specialist", "tuphap.ducxuan"),
                                                         ("leader", "chutich.ducxuan"), ("clerk", "vanthu.ducxuan"))}
    return {"demo": demo, "procedure": procedure.code, "agency": agency.pk, "papers": [p.pk for p in papers],
            "files": files, "values": BIRTH_VALUES, "users": users, "api_token": raw, "lgsp_id": client.client_id,
            "lgsp_secret": secret, "demo_password": DEMO_PASSWORD}


def confirmation(user):
    """The signing confirmation an official gives: password and the code the phone shows now."""
    from tests.exchange.scenarios import _confirmation

    return _confirmation(user)


# --- after the load ------------------------------------------------------------------------------------
def until(condition, timeout: float, pause: float = 3.0):
    """Poll ``condition`` (database errors count as not yet) until true or ``timeout``; its last value."""
    from django.db import connections

    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:  # the database may still be coming back
            connections.close_all()
            value = None
        if value:
            return value
        time.sleep(pause)
    return value


def outbox_drained() -> tuple[int, int]:
    from outbox.models import OutboxMessage

    rows = OutboxMessage.objects.filter(done_at__isnull=True)
    return rows.filter(dead_at__isnull=True).count(), rows.filter(dead_at__isnull=False).count()


def check_submissions(acknowledged: dict) -> dict:
    """Every acknowledged submission exists once, submitted, with all its papers readable."""
    from django.core.files.storage import default_storage
    from django.db import connection

    from dossiers.models import Dossier

    problems = []
    found = {d.pk: d for d in Dossier.objects.filter(pk__in=list(acknowledged)).prefetch_related("files")}
    for pk, papers in acknowledged.items():
        dossier = found.get(pk)
        if dossier is None or dossier.status == "draft" or not dossier.code:
            problems.append(f"dossier {pk}: missing or not submitted")
            continue
        current = [f for f in dossier.files.all() if not f.replaced and f.requirement_id is not None]
        if len(current) != papers:
            problems.append(f"dossier {dossier.code}: {len(current)} papers of {papers}")
        for stored in current:
            if not default_storage.exists(stored.file.name):
                problems.append(f"dossier {dossier.code}: {stored.file.name} not in storage")
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, count(*) FROM dossiers_dossier WHERE code <> '' GROUP BY code HAVING count(*) > 1")
        duplicates = cursor.fetchall()
    problems += [f"dossier code {code} used {n} times" for code, n in duplicates]
    return {"acknowledged": len(acknowledged), "found": len(found), "problems": problems}


def check_payments(paid: dict) -> dict:
    """Every payment the gateway confirmed to its payer is recorded paid once, and the platform's
    paid payments and the simulator's successful transactions are the same set (after the
    platform's own reconciliation, which asks the gateway about notifications lost in a fault)."""
    from django.db.models import Count

    from payments import services
    from payments.models import Payment
    from paysim.models import GatewayTransaction, SimStatus

    settled = services.reconcile(older_than=dt.timedelta(0))
    problems = []
    for txn_ref, amount in paid.items():
        rows = list(Payment.objects.filter(txn_ref=txn_ref, status="paid"))
        if len(rows) != 1 or rows[0].amount * 100 != amount:
            problems.append(f"payment {txn_ref}: {len(rows)} paid records")
    platform = set(Payment.objects.filter(status="paid").values_list("txn_ref", flat=True))
    gateway = set(GatewayTransaction.objects.filter(status=SimStatus.SUCCESS).values_list("txn_ref", flat=True))
    problems += [f"paid at the gateway, not on the platform: {ref}" for ref in sorted(gateway - platform)]
    problems += [f"paid on the platform, not at the gateway: {ref}" for ref in sorted(platform - gateway)]
    per_dossier = Payment.objects.filter(status="paid").values("dossier").annotate(
        n=Count("pk")).filter(n__gt=1)
    problems += [f"dossier {row['dossier']} paid {row['n']} times" for row in per_dossier]
    return {"confirmed": len(paid), "platform": len(platform), "gateway": len(gateway),
            "settled_by_reconciliation": dict(settled), "problems": problems}


def check_side_effects(acknowledged: dict) -> dict:
    """The outbox drained, every status change of the soak's dossiers told to the applicant, every
    notification delivered, every slip rendered."""
    from django.db.models import Count

    from dossiers.models import DossierEvent, Slip
    from notifications.models import Delivery
    from outbox.models import OutboxMessage

    pending, dead = outbox_drained()
    problems = [f"outbox: {row.task}{row.args} given up: {row.last_error[:120]}"
                for row in OutboxMessage.objects.filter(done_at__isnull=True, dead_at__isnull=False)[:20]]
    if pending:
        problems.append(f"outbox: {pending} side effects still not done")
    deliveries = {row["status"]: row["n"] for row in Delivery.objects.values("status").annotate(
        n=Count("pk"))}
    problems += [f"notifications: {deliveries[s]} {s}" for s in ("pending", "failed") if deliveries.get(s)]
    events = DossierEvent.objects.filter(dossier_id__in=list(acknowledged))
    untold = events.exclude(deliveries__channel="app", deliveries__status="sent").count()
    if untold:
        problems.append(f"notifications: {untold} status changes without the applicant's notice")
    unrendered = Slip.objects.filter(file="").exclude(form=Slip.Form.CONTROL).count()
    if unrendered:
        problems.append(f"slips: {unrendered} without their PDF")
    return {"outbox_done": OutboxMessage.objects.filter(done_at__isnull=False).count(), "outbox_dead": dead,
            "deliveries": deliveries, "slips": Slip.objects.count(), "events": events.count(), "problems": problems}


def check_exchange(documents: list[int]) -> dict:
    """Every document sent is delivered to the axis once and received by the ward exactly once."""
    from tests.exchange import scenarios

    sent = scenarios.sent(documents)
    problems, ids = [], []
    for document, report in sent.items():
        out = [p for p in report["packages"] if p["direction"] == "out" and p["kind"] == "document"]
        if len(out) != 1 or not report["delivered"]:
            problems.append(f"document {document}: {len(out)} packages, delivered {report['delivered']}")
        ids += [p["exchange_id"] for p in out if p["exchange_id"]]
    received = scenarios.incoming(ids)
    problems += [f"exchange {eid}: received {entry['count']} times" for eid, entry in received.items()
                 if entry["count"] != 1]
    return {"sent": len(documents), "received": sum(1 for e in received.values() if e["count"] == 1),
            "problems": problems}


def exchange_received(documents: list[int]) -> bool:
    from tests.exchange import scenarios

    ids = [p["exchange_id"] for report in scenarios.sent(documents).values() for p in report["packages"]
           if p["direction"] == "out" and p["kind"] == "document" and p["exchange_id"]]
    return len(ids) == len(documents) and all(e["count"] >= 1 for e in scenarios.incoming(ids).values())


def check_orphans() -> dict:
    """Files in storage no row references: counted, swept as the daily task does, none left."""
    from django.utils import timezone

    from outbox import orphans

    later = timezone.now() + orphans.grace() + dt.timedelta(minutes=1)  # nothing is in progress any more
    swept = orphans.sweep(now=later)
    left = orphans.sweep(dry_run=True, now=later)
    return {"swept": swept.deleted, "checked": swept.checked,
            "problems": [f"orphan file left: {name}" for name in left.orphans]}
