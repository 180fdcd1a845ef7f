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


# --- a one-stop dossier settled jointly across the two systems ----------------------------------------
def dossier_to_ward() -> dict:
    """In the province: the ward works on its own system; a dossier of Sở Tư pháp whose process
    asks the ward at step 2 is received at the desk and handed on by the specialist, so it travels
    to the ward as a package."""
    from decimal import Decimal

    from directory.demo import load_demo
    from directory.models import Agency
    from dossiers import workflow
    from processes.models import ProcessDefinition, ProcessStep
    from processes.services import publish
    from tests.dossier_scenarios import submitted
    from tests.factories import make_procedure

    demo = load_demo()
    Agency.objects.filter(code=RECEIVER).update(on_other_system=True)
    ward = Agency.objects.get(code=RECEIVER)
    unit = demo.units[("STP", "Phòng Hành chính tư pháp")]
    procedure = make_procedure(agencies=[demo.agencies["STP"]], days=5, code="9.000790")
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["STP"])
    ProcessStep.objects.create(definition=definition, order=1, name="Thẩm định hồ sơ", unit=unit, role="specialist",
                               hours=Decimal("8"), actions=["forward"])
    ProcessStep.objects.create(definition=definition, order=2, name="Xác minh tại UBND phường Đức Xuân", agency=ward,
                               role="specialist", hours=Decimal("16"), actions=["forward", "return"])
    ProcessStep.objects.create(definition=definition, order=3, name="Giám đốc Sở phê duyệt", role="agency_leader",
                               hours=Decimal("4"), actions=["approve", "refuse", "return"])
    publish(definition=definition)
    desk, specialist = _users("motcua.stp", "chuyenvien.stp")
    dossier = workflow.accept(dossier=submitted(demo, procedure, agency="STP"), acting_user=desk, unit=unit)
    dossier = workflow.forward(dossier=dossier, acting_user=specialist)
    return {"id": dossier.pk, "code": dossier.code}


def dossier_state(dossier_id: int) -> dict:
    from dossiers import elsewhere
    from dossiers.models import Dossier
    from exchange.models import Package

    dossier = Dossier.objects.select_related("current_step").get(pk=dossier_id)
    return {"step": dossier.current_step.name if dossier.current_step else None,
            "answers": [f.original_name for f in elsewhere.answers(dossier)],
            "packages": list(Package.objects.filter(dossier=dossier).order_by("pk").values_list(
                "direction", "state", "exchange_id"))}


def answer_dossier(exchange_id: str) -> str:
    """In the ward: the clerk accepts the dossier's package into the register, the chairman gives it
    to the judicial officer, who drafts the answer to it, the chairman approves and signs it, the clerk issues it and sends it
    back to Sở Tư pháp through the exchange."""
    from directory.models import Agency
    from documents import distribution, drafting, issuance
    from documents.models import DocumentType

    accept(exchange_id)
    direct(exchange_id)
    clerk, leader, handler = _users(WARD_CLERK, WARD_LEADER, WARD_HANDLER)
    asked = _received(exchange_id)
    draft = drafting.create_draft(
        agency=asked.agency, user=handler, document_type=DocumentType.objects.get(abbreviation="CV"),
        abstract="Kết quả xác minh hồ sơ", body="UBND phường Đức Xuân xác nhận thông tin của người nộp hồ sơ là đúng.",
        recipients_text="Như trên;\nLưu: VT.", drafting_unit=None, urgency="normal", confidentiality="normal",
        in_reply_to=asked)
    drafting.submit_for_review(draft, handler, [leader])
    draft = drafting.review(draft, leader, approve=True)
    issuance.sign(draft, leader, _confirmation(leader), revision=draft.revision)
    draft.refresh_from_db()
    issuance.issue(draft, clerk, _confirmation(clerk))
    draft.refresh_from_db()
    distribution.distribute(draft, clerk, agencies=[Agency.objects.get(code="000.00.03.H55")])
    return draft.number_symbol
