"""Side effects survive a crash: every one is recorded (outbox) in the transaction of the change
that needs it, and the drain runs again, with growing pauses, whatever was not done."""

import datetime as dt

import pytest
import time_machine
from celery import shared_task
from django.core import mail
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone

from dossiers import services, sweeps, workflow
from dossiers.models import Slip
from egov.tasks import enqueue
from notifications import services as notifications
from notifications.models import Delivery, Notification
from outbox import services as outbox
from outbox.models import OutboxMessage
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file

GRACE = dt.timedelta(seconds=300)
CALLS: list[str] = []
FAILURES_LEFT = {"count": 0}


@shared_task(name="tests.outbox_record")
def record_call(value: str) -> str:
    CALLS.append(value)
    return value


@shared_task(name="tests.outbox_flaky")
def flaky(value: str) -> str:
    CALLS.append(value)
    if FAILURES_LEFT["count"]:
        FAILURES_LEFT["count"] -= 1
        raise ValueError("gateway answered 503 for congdan@example.vn")
    return value


@pytest.fixture(autouse=True)
def _clean(settings):
    CALLS.clear()
    FAILURES_LEFT["count"] = 0
    settings.SMS_GATEWAY_URL = ""  # told in the app and by e-mail here


@pytest.fixture
def crash_after_commit(monkeypatch):
    """The process dies right after commit: nothing scheduled on commit ever runs."""
    monkeypatch.setattr(outbox, "dispatch", lambda message: None)


def _accepted(demo):
    procedure = make_procedure(agencies=[demo.agencies["01840"]], code="9.000400")
    citizen = demo.users["congdan@example.vn"]
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=demo.agencies["01840"])
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES,
                        contact={"applicant_email": "congdan@example.vn"})
    papers = list(procedure.current.papers.all())
    services.attach_papers(dossier=draft, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    dossier = services.submit(dossier=draft, applicant=citizen)
    return workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
                           unit=demo.units[("01840", "Tư pháp - Hộ tịch")])


def _told(dossier) -> tuple[int, int]:
    """(in-app notifications, e-mails) the applicant got about this dossier."""
    emails = [m for m in mail.outbox if dossier.code in m.subject or dossier.code in m.body]
    return Notification.objects.filter(dossier=dossier, user=dossier.applicant).count(), len(emails)


@pytest.mark.django_db(transaction=True)
def test_a_crash_right_after_accepting_loses_neither_the_receipt_nor_the_notification(crash_after_commit):
    from directory.demo import load_demo

    demo = load_demo()
    dossier = _accepted(demo)  # committed for real; the process "dies" before any side effect runs
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    assert not receipt.file  # the applicant's receipt page would answer 404
    assert _told(dossier) == (0, 0)
    # submit, accept, Mẫu 01, the specialists told the dossier is theirs (dossiers.handover)
    assert OutboxMessage.objects.filter(done_at__isnull=True).count() == 4

    assert outbox.drain()["sent"] == 0  # within the grace period a worker may still be on it
    with time_machine.travel(timezone.now() + GRACE + dt.timedelta(seconds=1)):
        assert outbox.drain()["sent"] == 4
    receipt.refresh_from_db()
    assert receipt.file and receipt.file.storage.exists(receipt.file.name)
    assert _told(dossier) == (2, 2)  # submitted, accepted: each once, in the app and by e-mail
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()

    with time_machine.travel(timezone.now() + 10 * GRACE):
        assert outbox.drain()["sent"] == 0
        assert sweeps.complete_missing(timezone.now()) == {"slips": 0}
        assert notifications.complete_untold(timezone.now()) == 0
    assert _told(dossier) == (2, 2)  # nothing twice


def test_a_rolled_back_change_leaves_nothing_to_do(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(record_call, "never")
        raise RuntimeError("refused")
    assert not OutboxMessage.objects.exists()


def test_the_task_runs_after_commit_and_its_row_is_marked_done(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(record_call, "xin chào")
        assert CALLS == []  # not before commit
    message = OutboxMessage.objects.get()
    assert CALLS == ["xin chào"]
    assert message.done_at is not None and message.attempts == 1 and message.task == "tests.outbox_record"
    with time_machine.travel(timezone.now() + 10 * GRACE):
        outbox.drain()
    assert CALLS == ["xin chào"]  # a task done is not run again


def test_inside_a_request_the_work_waits_until_the_response_is_sent(db, django_capture_on_commit_callbacks):
    # What a WSGI server does around a request, without closing the test's connection (as
    # Django's test client does).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None, environ={})
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(record_call, "sau khi trả lời")
        assert CALLS == []  # the citizen's response is not held up by it
        request_finished.send(sender=None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert CALLS == ["sau khi trả lời"]
    assert OutboxMessage.objects.get().done_at is not None


def test_work_of_a_response_never_closed_runs_when_the_next_request_starts(db, django_capture_on_commit_callbacks):
    # A client that went away mid-download: the server never closes that response.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None, environ={})
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(record_call, "bỏ dở")
        assert CALLS == []
        request_started.send(sender=None, environ={})  # the thread's next request
        assert CALLS == ["bỏ dở"]
        request_finished.send(sender=None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert OutboxMessage.objects.get().done_at is not None


def test_a_failing_task_is_tried_again_after_doubling_pauses(db, django_capture_on_commit_callbacks):
    FAILURES_LEFT["count"] = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(flaky, "gửi lại")
    message = OutboxMessage.objects.get()
    assert message.attempts == 1 and message.done_at is None
    assert message.last_error == "ValueError: gateway answered 503 for [email]"  # no personal data kept
    assert message.next_attempt_at == start + GRACE

    for offset, expected_calls in [(GRACE - dt.timedelta(seconds=1), 1),  # not yet
                                   (GRACE, 2),  # 5 minutes after the first attempt: fails again
                                   (GRACE + 2 * GRACE - dt.timedelta(seconds=1), 2),  # pause doubled: not yet
                                   (GRACE + 2 * GRACE, 3)]:  # 10 minutes after the second: succeeds
        with time_machine.travel(start + offset, tick=False):
            outbox.drain()
        assert len(CALLS) == expected_calls, offset
    message.refresh_from_db()
    assert message.done_at is not None and message.attempts == 3 and message.last_error == ""


def test_a_task_failing_every_time_is_given_up_and_shown_to_the_administrator(db, settings, sign_in,
                                                                              django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    FAILURES_LEFT["count"] = 100
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(flaky, "hỏng")
    for hours in range(1, 6):
        with time_machine.travel(start + dt.timedelta(hours=hours), tick=False):
            outbox.drain()
    message = OutboxMessage.objects.get()
    assert len(CALLS) == 3 and message.attempts == 3  # and no more after the third
    assert message.dead_at is not None and message.state == OutboxMessage.State.DEAD
    assert "ValueError: gateway answered 503" in message.last_error

    admin = sign_in("quantri.tinh")
    page = admin.get("/admin/outbox/outboxmessage/?state=dead").content.decode()
    assert "tests.outbox_flaky" in page and "ValueError: gateway answered 503 for [email]" in page
    assert sign_in("motcua.ducxuan").get("/admin/outbox/outboxmessage/").status_code in (302, 403)

    FAILURES_LEFT["count"] = 0  # the cause is fixed; the administrator runs it again
    admin.post("/admin/outbox/outboxmessage/", {"action": "run_again", "_selected_action": [message.pk]})
    outbox.drain()
    message.refresh_from_db()
    assert message.done_at is not None and len(CALLS) == 4


def test_when_the_broker_is_down_the_change_still_commits_and_the_drain_sends_later(
        db, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(record_call, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(record_call, "sau")
    message = OutboxMessage.objects.get()
    assert message.done_at is None and "ConnectionRefusedError" in message.last_error
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + GRACE):
        assert outbox.drain()["sent"] == 1
    assert CALLS == ["sau"]


def test_the_sweep_completes_a_receipt_and_a_notice_left_undone(demo, django_capture_on_commit_callbacks):
    """Side effects of changes made before the outbox existed (or whose rows were removed)."""
    dossier = _accepted(demo)
    OutboxMessage.objects.all().delete()
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    later = timezone.now() + GRACE + dt.timedelta(seconds=1)
    def repair(now):
        return sweeps.complete_missing(now)["slips"], notifications.complete_untold(now)

    assert repair(timezone.now()) == (0, 0)  # may be in flight
    too_late = later + sweeps.REPAIR_WINDOW + GRACE
    assert repair(too_late) == (0, 0)  # old ones are left alone
    with django_capture_on_commit_callbacks(execute=True):
        assert repair(later) == (1, 2)
    receipt.refresh_from_db()
    assert receipt.file and _told(dossier) == (2, 2)
    assert Delivery.objects.filter(event__dossier=dossier, channel=Delivery.Channel.APP).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert repair(later) == (0, 0)
    assert _told(dossier) == (2, 2)


def test_threads_finding_a_task_while_the_tasks_are_imported_all_find_it(monkeypatch):
    """Celery's autodiscovery returns nothing to a thread that asks while another is importing the
    tasks modules; the first sends of a fresh server's threads must still find their task."""
    import threading
    import time

    from egov.celery import app

    name, task = "tests.outbox.found_late", object()
    importing = threading.Event()

    def import_default_modules():  # as celery.loaders.base.autodiscover_tasks behaves
        if importing.is_set():
            return ()  # _RACE_PROTECTION: another thread is importing
        importing.set()
        try:
            time.sleep(0.2)
            app.tasks[name] = task
        finally:
            importing.clear()
        return ()

    monkeypatch.setattr(app.loader, "import_default_modules", import_default_modules)
    monkeypatch.delitem(app.tasks, name, raising=False)
    found = []
    threads = [threading.Thread(target=lambda: found.append(outbox.find_task(name))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [task] * 4
    app.tasks.pop(name, None)
