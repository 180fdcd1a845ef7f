"""The document exchange end to end, across two installations of the platform and the axis
simulator, each a process of its own on loopback (tests.exchange.installations): the province
(PostgreSQL in a cluster of its own, a Celery worker with beat on Redis) sends Sở Tư pháp's
documents; the ward of Đức Xuân (the embedded default: SQLite, in-process background work)
receives them, and every status of its handling comes back to the sender, per recipient.

Then the faults of the issue: the worker killed with packages in flight, the axis stopped for a
while and started again on its storage, the province's PostgreSQL restarted: afterwards every
package was delivered exactly once and every status reached its sender.

Marked ``production``: it needs Redis and the PostgreSQL server programs, runs on the PostgreSQL
pass of scripts/test.sh only (it does not use the test database at all, so the SQLite pass would
run the very same processes again).
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import pytest

from tests.exchange.installations import RECEIVER, Exchange, HarnessError

pytestmark = pytest.mark.production


@pytest.fixture(scope="module")
def exchange(tmp_path_factory):
    world = Exchange(tmp_path_factory.mktemp("exchange"))
    try:
        world.start()
        # Issued once (signed PDFs, numbers taken): the tests take them as they need them.
        world.issued = world.province.call("issue", count=6)
        yield world
    finally:
        world.close()


@contextmanager
def logs_on_failure(world: Exchange):
    try:
        yield
    except HarnessError:
        raise  # it carries the logs already
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n{world.logs()}") from failure


def take(world: Exchange, count: int) -> list[int]:
    taken, world.issued = world.issued[:count], world.issued[count:]
    assert len(taken) == count, "the fixture issued too few documents"
    return taken


def sent(world: Exchange, *documents: int) -> dict:
    return world.province.call("sent", document_ids=list(documents))


def held(world: Exchange, *exchange_ids: str) -> dict:
    return world.ward.call("incoming", exchange_ids=list(exchange_ids))


def exchange_ids(world: Exchange, *documents: int) -> dict[int, str]:
    """The DocumentId each document travels under, once its package is built."""
    report = world.until(lambda: (found := sent(world, *documents)) and all(
        r["packages"] for r in found.values()) and found, "the packages are built")
    return {document: next(p["exchange_id"] for p in report[str(document)]["packages"] if p["kind"] == "document")
            for document in documents}


def recipient_reaches(world: Exchange, code: str, *documents: int) -> dict:
    """Wait until the sender sees status ``code`` from the ward for each document."""
    return world.until(lambda: (found := sent(world, *documents)) and all(
        r["recipients"].get(RECEIVER) == code for r in found.values()) and found,
        f"status {code} reaches the sender", expect=[world.province.services["worker"]])


def arrived(world: Exchange, ids: dict[int, str]) -> dict:
    return world.until(lambda: (found := held(world, *ids.values())) and all(
        entry["count"] for entry in found.values()) and found, "the documents arrive at the ward")


def ward_did(world: Exchange, action: str, exchange_id: str) -> str:
    return world.ward.call(action, exchange_id=exchange_id)


def test_a_document_crosses_to_the_ward_and_every_status_comes_back(exchange):
    letter, withdrawn = take(exchange, 2)
    with logs_on_failure(exchange):
        exchange.province.call("send", document_ids=[letter, withdrawn])
        ids = exchange_ids(exchange, letter, withdrawn)
        assert ids[letter] != ids[withdrawn]
        assert ids[letter].startswith("000.00.03.H55,")  # DocumentId: the sender's code, date, number

        # In the ward's incoming register, waiting for the clerk, with the signed PDF.
        ward = arrived(exchange, ids)
        for entry in ward.values():
            assert (entry["count"], entry["status"], entry["tab"]) == (1, "pending", "pending")
            assert entry["files"] >= 1 and entry["abstract"].startswith("về rà soát thủ tục hộ tịch")
        recipient_reaches(exchange, "01", letter, withdrawn)

        # Each step of the ward's handling is a status on the sender's page for that recipient.
        for action, code in (("accept", "03"), ("direct", "04"), ("start", "05"), ("complete", "06")):
            ward_did(exchange, action, ids[letter])
            recipient_reaches(exchange, code, letter)
        assert held(exchange, ids[letter])[ids[letter]]["status"] == "handled"

        # The sender recalls the other one; the ward's clerk agrees: it leaves the register with a trace.
        ward_did(exchange, "accept", ids[withdrawn])
        recipient_reaches(exchange, "03", withdrawn)
        assert exchange.province.call("recall", document_id=withdrawn) == "recalled"
        exchange.until(lambda: ["in", RECEIVER, "13"] in held(exchange, ids[withdrawn])[ids[withdrawn]]["events"],
                       "the recall (13) reaches the ward")
        assert ward_did(exchange, "agree_recall", ids[withdrawn]) == "recalled"
        gone = held(exchange, ids[withdrawn])[ids[withdrawn]]
        assert (gone["count"], gone["status"], gone["tab"]) == (1, "recalled", None)  # kept, out of every tab
        assert any("thu hồi" in text.lower() or "recall" in text.lower() for text in gone["comments"]), gone
        assert gone["audited"] >= 1
        final = exchange.until(
            lambda: (found := sent(exchange, letter, withdrawn)) and any(
                e == ["in", RECEIVER, "15"] for e in found[str(withdrawn)]["events"]) and found,
            "the agreement (15) reaches the sender")

        # Who received and handled what: every status once, in order, for the one recipient.
        codes = [code for direction, organ, code in final[str(letter)]["events"]
                 if direction == "in" and organ == RECEIVER]
        assert codes == ["01", "03", "04", "05", "06"]
        codes = [(direction, code) for direction, organ, code in final[str(withdrawn)]["events"] if organ == RECEIVER]
        assert codes == [("in", "01"), ("in", "03"), ("out", "13"), ("in", "15")]
        assert final[str(withdrawn)]["status"] == "recalled"


def test_a_dossier_step_at_the_ward_travels_there_and_its_answer_moves_the_dossier_on(exchange):
    """One-stop across systems: Sở Tư pháp's dossier asks the ward (on its own system) at step 2; the
    ward answers with an ordinary reply in its e-office; the answer comes back into the dossier."""
    with logs_on_failure(exchange):
        dossier = exchange.province.call("dossier_to_ward")
        state = exchange.province.call("dossier_state", dossier_id=dossier["id"])
        assert state["step"] == "Xác minh tại UBND phường Đức Xuân"
        (direction, _state, document_id), = state["packages"]
        assert direction == "out" and dossier["code"] in document_id
        arrived_there = exchange.until(lambda: (found := held(exchange, document_id)) and found[document_id]["count"]
                                       and found, "the dossier arrives at the ward")
        assert arrived_there[document_id]["files"] >= 2  # its data and its papers
        number = ward_did(exchange, "answer_dossier", document_id)
        moved = exchange.until(
            lambda: (found := exchange.province.call("dossier_state", dossier_id=dossier["id"]))
            and found["step"] == "Giám đốc Sở phê duyệt" and found,
            "the ward's answer moves the dossier on", expect=[exchange.province.services["worker"]])
        assert len(moved["answers"]) == 1 and moved["answers"][0].endswith(".pdf")
        assert [p[0] for p in moved["packages"]] == ["out", "in"] and number


def test_nothing_lost_nothing_twice_through_a_killed_worker_a_stopped_axis_and_a_database_restart(exchange):
    first, second, third = take(exchange, 3)
    worker, runner = exchange.province.services["worker"], exchange.ward.services["runner"]
    with logs_on_failure(exchange):
        # The ward's system is off: the first package waits on the axis.
        runner.stop()
        exchange.province.call("send", document_ids=[first])
        exchange.until(lambda: [p["state"] for p in sent(exchange, first)[str(first)]["packages"]] == ["sent"],
                       "the first package is on the axis", expect=[worker])

        # The axis stops for a while: the next two packages fail and wait in the province's outbox.
        exchange.stop_axis()
        exchange.province.call("send", document_ids=[second, third])
        exchange.until(lambda: all(r["delivery_attempts"] >= 1 for r in sent(exchange, second, third).values()),
                       "the province tries to deliver them", expect=[worker])

        # The province's PostgreSQL restarts while they are in flight; the worker goes on trying.
        attempts = sum(r["delivery_attempts"] for r in sent(exchange, second, third).values())
        exchange.cluster.restart()
        exchange.until(lambda: sum(r["delivery_attempts"] for r in sent(exchange, second, third).values()) > attempts,
                       "the worker tries again after the database restart", expect=[worker])

        # kill -9 the worker mid-delivery; the axis comes back on the same storage; both start again.
        worker.kill()
        exchange.start_axis()
        worker.start()
        runner.start()
        ids = exchange_ids(exchange, first, second, third)
        arrived(exchange, ids)
        recipient_reaches(exchange, "01", first, second, third)

        # The ward accepts them while the axis is down: the statuses wait in the ward's outbox.
        exchange.stop_axis()
        for exchange_id in ids.values():
            ward_did(exchange, "accept", exchange_id)
        exchange.start_axis()
        final = recipient_reaches(exchange, "03", first, second, third)

        # Exactly once: on the axis, in the ward's register, in the sender's statuses.
        stored = exchange.axis_packages()
        assert [key for key, n in Counter((p["from"], p["package_id"]) for p in stored).items() if n > 1] == []
        for document in (first, second, third):
            report = final[str(document)]
            (package,) = [p for p in report["packages"] if p["kind"] == "document"]
            assert package["state"] == "sent" and report["delivered"]
            on_axis = [p for p in stored if p["package_id"] == package["package_id"]]
            assert [(p["from"], p["deliveries"], p["acked"]) for p in on_axis] == [("tinh-thai-nguyen", 1, 1)]
            codes = [code for direction, organ, code in report["events"] if direction == "in" and organ == RECEIVER]
            assert codes == ["01", "03"]
        ward = held(exchange, *ids.values())
        for entry in ward.values():
            assert (entry["count"], entry["status"], entry["packages"].get("received")) == (1, "registered", 1)
        registered = sorted(entry["register_number"] for entry in ward.values())
        assert len(set(registered)) == 3  # three arrival numbers, none taken twice
        received = exchange.ward.call("received_packages")
        assert [key for key, n in Counter(p["package_id"] for p in received).items() if n > 1] == []
