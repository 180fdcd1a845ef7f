"""What the people of an installation do and what its records say, run inside that installation's
own process (``egov manage shell``, see :meth:`tests.exchange.installations.Installation.call`).

Every action goes through the platform's own doors (drafting, issuance, distribution, the incoming
register, routing, the exchange's recall answer), as the officials of the demo; every reader
returns plain JSON.
"""

from __future__ import annotations

import time

from django.db.models import Count

RECEIVER = "000.00.60.H55"  # Ủy ban nhân dân phường Đức Xuân
WARD_CLERK, WARD_LEADER, WARD_HANDLER, WARD_HELPER = ("vanthu.ducxuan", "chutich.ducxuan", "tuphap.ducxuan",
                                                      "motcua.ducxuan")


def _users(*names):
    from accounts.models import User

    found = {user.username: user for user in User.objects.filter(username__in=names)}
    return [found[name] for name in names]


def _document(document_id: int):
    from documents.models import Document

    return Document.objects.get(pk=document_id)


def _received(exchange_id: str):
    from documents.models import Direction, Document

    return Document.objects.get(agency__code=RECEIVER, direction=Direction.INCOMING, exchange_id=exchange_id)


def _confirmation(user):
    """The signing confirmation an official gives: password and the code the phone shows now (a
    code is accepted once: wait for the next one if this one was used)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from directory.demo import DEMO_PASSWORD
    from signing import services

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    while int((time.time() - device.t0) // device.step) <= (device.last_t or -1):
        time.sleep(1)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
    return services.confirm(user, password=DEMO_PASSWORD, totp=code)


# --- the schedule of an installation without a broker ------------------------------------------------
def run_schedule(tick: float = 0.5) -> None:
    """The embedded runner's work (``outbox.runner.run_due``: outbox drain, exchange poll…) on a
    short tick, for ever: the embedded default's schedule as ``egov serve`` runs it."""
    from outbox.runner import run_due

    last_run: dict[str, float] = {}
    while True:
        run_due(last_run, time.monotonic())
        time.sleep(tick)


# --- the province (sender) ---------------------------------------------------------------------------
def agency_codes() -> list[str]:
    from directory.models import Agency

    return sorted(Agency.objects.values_list("code", flat=True))


def issue(count: int = 1, abstract: str = "về rà soát thủ tục hộ tịch") -> list[int]:
    """``count`` documents of Sở Tư pháp drafted, reviewed, approved, signed by the director and
    issued by the clerk (each with its signed PDF); their ids."""
    from directory.demo import load_demo
    from documents import issuance
    from tests.documents.outgoing_helpers import approved

    demo = load_demo()
    director, clerk = _users("giamdoc.stp", "vanthu.stp")
    drafts = [approved(demo, type_="CV", abstract=f"{abstract} (số {n + 1})") for n in range(count)]
    signing, issuing = _confirmation(director), _confirmation(clerk)
    for document in drafts:
        issuance.sign(document, director, signing, revision=document.revision)
        document.refresh_from_db()
        issuance.issue(document, clerk, issuing)
    return [document.pk for document in drafts]


def send(document_ids: list[int], to: str = RECEIVER) -> dict[str, int]:
    """The clerk of Sở Tư pháp sends each document to the agency ``to`` through the exchange."""
    from directory.models import Agency
    from documents import distribution

    (clerk,) = _users("vanthu.stp")
    agency = Agency.objects.get(code=to)
    sent = {}
    for document_id in document_ids:
        (row,) = distribution.distribute(_document(document_id), clerk, agencies=[agency])
        sent[str(document_id)] = row.pk
    return sent


def recall(document_id: int, reason: str = "Sai căn cứ pháp lý") -> str:
    from documents import distribution

    (director,) = _users("giamdoc.stp")
    return distribution.recall(_document(document_id), director, reason).status


def sent(document_ids: list[int]) -> dict:
    """Per document: its status, each exchange recipient's status, the statuses recorded for it
    (direction, organ, code, in order) and its packages."""
    from documents.models import Channel
    from exchange.models import Package, StatusEvent
    from outbox.models import OutboxMessage

    report = {}
    for document_id in document_ids:
        document = _document(document_id)
        packages = list(Package.objects.filter(document=document).order_by("pk").values(
            "pk", "direction", "kind", "state", "package_id", "exchange_id", "status_code", "error", "to_codes"))
        deliveries = [message for p in packages if p["direction"] == "out"
                      for message in OutboxMessage.objects.filter(task="exchange.deliver", args=[p["pk"]])]
        report[str(document_id)] = {
            "status": document.status,
            "number": document.number_symbol,
            "recipients": {row.agency.code: row.status for row in document.distributions.filter(
                channel=Channel.EXCHANGE).select_related("agency")},
            "events": [[e.direction, e.organ_code, e.code] for e in StatusEvent.objects.filter(document=document)],
            "packages": packages,
            "delivery_attempts": sum(message.attempts for message in deliveries),
            "delivered": bool(deliveries) and all(message.done_at is not None for message in deliveries),
        }
    return report


# --- the ward (receiver) ------------------------------------------------------------------------------
def incoming(exchange_ids: list[str]) -> dict:
    """Per DocumentId: the documents the ward holds for it (there must be one), the register tab it
    shows in, its comments and audit entries, and the packages received for it."""
    from audit.models import AuditEntry
    from documents.incoming_views import TABS
    from documents.models import Direction, Document
    from exchange.models import Package, StatusEvent

    tabs = {status: name for name, status in TABS if status}
    report = {}
    for exchange_id in exchange_ids:
        held = list(Document.objects.filter(agency__code=RECEIVER, direction=Direction.INCOMING,
                                            exchange_id=exchange_id).order_by("pk"))
        entry: dict = {"count": len(held)}
        if held:
            document = held[0]
            entry.update(
                id=document.pk, status=document.status, abstract=document.abstract,
                register_number=document.register_number, tab=tabs.get(document.status),
                files=document.files.count(),
                comments=list(document.comments.order_by("pk").values_list("text", flat=True)),
                audited=AuditEntry.objects.filter(object_type__iendswith="document",
                                                  object_id=str(document.pk)).count(),
                events=[[e.direction, e.organ_code, e.code] for e in StatusEvent.objects.filter(document=document)])
        entry["packages"] = {row["state"]: row["n"] for row in Package.objects.filter(
            direction="in", exchange_id=exchange_id, kind="document").values("state").annotate(n=Count("pk"))}
        report[exchange_id] = entry
    return report


def received_packages() -> list[dict]:
    """Every package the ward received, in order (package id, kind, state, status code)."""
    from exchange.models import Package

    return list(Package.objects.filter(direction="in").order_by("pk").values(
        "package_id", "kind", "state", "exchange_id", "status_code", "error"))


def accept(exchange_id: str) -> str:
    """The ward's clerk accepts the arrival into the ordinary incoming register (status 03)."""
    from documents import incoming
    from documents.models import Direction, Register

    (clerk,) = _users(WARD_CLERK)
    document = _received(exchange_id)
    register = Register.objects.get(agency=document.agency, direction=Direction.INCOMING, confidential=False)
    return incoming.accept(document=document, clerk=clerk, register=register).status


def direct(exchange_id: str) -> str:
    """The chairman directs it: the judicial officer handles it, the one-stop officer cooperates (04)."""
    from documents import routing
    from documents.models import AssignmentRole

    leader, handler, helper = _users(WARD_LEADER, WARD_HANDLER, WARD_HELPER)
    routing.direct(document=_received(exchange_id), leader=leader, note="Đề nghị xử lý",
                   assignments=[routing.Target(role=AssignmentRole.MAIN, person=handler),
                                routing.Target(role=AssignmentRole.COOPERATE, person=helper)])
    return _received(exchange_id).status


def start(exchange_id: str) -> str:
    """The cooperating officer reports their part: handling is under way (05)."""
    from documents import routing

    (helper,) = _users(WARD_HELPER)
    routing.acknowledge(document=_received(exchange_id), user=helper, note="Đã rà soát")
    return _received(exchange_id).status


def complete(exchange_id: str) -> str:
    """The judicial officer files it: handled (06)."""
    from documents import routing
    from documents.models import HandledHow

    (handler,) = _users(WARD_HANDLER)
    return routing.complete(document=_received(exchange_id), user=handler, how=HandledHow.FILED,
                            note="Lưu hồ sơ").status


def agree_recall(exchange_id: str) -> str:
    """The ward's clerk agrees to the sender's recall (15): the document leaves the register."""
    from exchange import recall

    (clerk,) = _users(WARD_CLERK)
    return recall.agree(document=_received(exchange_id), user=clerk, comment="Đồng ý thu hồi").status
