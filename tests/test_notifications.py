"""Applicants hear about every change of their dossier: in the app, by e-mail over a real SMTP
server, and by SMS through the gateway adapter talking to the local gateway simulator."""

import contextlib
import email
import email.policy
import logging

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from dossiers import services as dossiers
from dossiers import workflow
from dossiers.models import Dossier
from egov.logging import RedactPersonalData
from notifications import services, sms
from notifications.models import Delivery, Notification
from simulators.sms.models import SimulatedSms
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file
from tests.ports import free_port

PHONE = "0912345678"
EMAIL = "congdan@example.vn"
SUPPLEMENT_NOTE = "Bổ sung bản sao giấy chứng sinh"


class _Mailbox:
    """aiosmtpd handler keeping every message the SMTP server accepted."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def _use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@contextlib.contextmanager
def _smtp_server(settings):
    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    _use_smtp(settings, controller.port)
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _sms_off(settings):
    """SMS is off unless a test points the adapter at the simulator."""
    settings.SMS_GATEWAY_URL = ""
    settings.EGOV_SIMULATORS = True
    settings.SMS_API_KEY = settings.SMS_SIMULATOR_API_KEY = "demo-key"
    settings.SMS_SECRET_KEY = settings.SMS_SIMULATOR_SECRET_KEY = "demo-secret"
    settings.SMS_BRANDNAME = "UBND TINH"


@pytest.fixture
def smtp(settings):
    with _smtp_server(settings) as mailbox:
        yield mailbox


@pytest.fixture
def smtp_down(settings):
    _use_smtp(settings, free_port())  # nothing listens there


@pytest.fixture
def gateway(live_server):
    """The URL of the simulated SMS gateway, served for real over HTTP."""
    return f"{live_server.url}/simulators/sms/send"


@pytest.fixture
def birth(demo):
    return make_procedure(agencies=[demo.agencies["01840"]])


@pytest.fixture
def citizen(demo):
    return demo.users["congdan@example.vn"]


def _submit(birth, citizen, demo, contact=None) -> Dossier:
    dossier = dossiers.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    dossiers.save_draft(dossier=dossier, applicant=citizen, form_values=BIRTH_VALUES, contact=contact)
    papers = list(birth.current.papers.all())
    dossiers.attach_papers(dossier=dossier, user=citizen, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    return dossiers.submit(dossier=dossier, applicant=citizen)


def _last_event(dossier):
    return dossier.events.order_by("-at", "-id").first()


def _delivery(dossier, channel) -> Delivery:
    return Delivery.objects.get(event=_last_event(dossier), channel=channel)


def test_submission_sends_one_vietnamese_email_over_smtp(smtp, birth, citizen, demo,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _submit(birth, citizen, demo)
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == [EMAIL]
    assert message["Subject"].strip() == f"Hồ sơ {dossier.code}: đã nộp, đang chờ tiếp nhận"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert "Kính gửi ông/bà Nguyễn Thị Hồng" in body
    assert dossier.code in body and "Thủ tục đăng ký khai sinh (thử nghiệm)" in body
    assert demo.agencies["01840"].name in body and "Phí, lệ phí: 16.000 đồng" in body
    assert Notification.objects.filter(user=citizen, dossier=dossier).count() == 1
    assert _delivery(dossier, "email").status == Delivery.State.SENT


def test_sms_goes_through_the_gateway_without_diacritics_and_names_the_supplement(settings, gateway, birth, citizen, demo):
    settings.SMS_GATEWAY_URL = gateway
    dossier = _submit(birth, citizen, demo)  # committed: the task runs now, the adapter calls the gateway
    received = SimulatedSms.objects.get()
    assert received.phone == PHONE and received.brandname == "UBND TINH"
    assert dossier.code in received.content
    assert "Ho so" in received.content and "Thu tuc dang ky khai sinh" in received.content
    assert "da nop, dang cho tiep nhan" in received.content
    assert received.content.isascii()
    delivery = _delivery(dossier, "sms")
    assert delivery.status == Delivery.State.SENT and delivery.reference == received.sms_id

    workflow.request_supplement(dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
                                missing=[SUPPLEMENT_NOTE])
    supplement = SimulatedSms.objects.exclude(pk=received.pk).get()
    assert dossier.code in supplement.content and "can bo sung ho so" in supplement.content
    assert "Noi dung can bo sung: Bo sung ban sao giay chung sinh" in supplement.content


def test_a_retried_task_sends_nothing_twice(settings, gateway, birth, citizen, demo):
    settings.SMS_GATEWAY_URL = gateway
    with _smtp_server(settings) as mailbox:
        dossier = _submit(birth, citizen, demo)
        event = _last_event(dossier)
        services.notify_dossier_event(event.pk)
        services.notify_dossier_event(event.pk)
    assert len(mailbox.messages) == 1
    assert SimulatedSms.objects.count() == 1
    assert Notification.objects.filter(dossier=dossier).count() == 1
    assert sorted(Delivery.objects.filter(event=event).values_list("channel", "status", "attempts")) == [
        ("app", "sent", 1), ("email", "sent", 1), ("sms", "sent", 1)]


def test_smtp_down_raises_so_the_task_retries_and_the_retry_sends_once(settings, smtp_down, birth, citizen, demo):
    event = _last_event(_submit(birth, citizen, demo))
    for attempt in (1, 2):
        with pytest.raises(OSError):  # notifications.notify_event retries on OSError
            services.notify_dossier_event(event.pk)
        assert Notification.objects.filter(user=citizen).count() == 1
        failed = Delivery.objects.get(event=event, channel="email")
        assert failed.status == Delivery.State.FAILED and failed.attempts == attempt
        assert failed.last_error.startswith("ConnectionRefusedError")
    with _smtp_server(settings) as mailbox:
        services.notify_dossier_event(event.pk)
        services.notify_dossier_event(event.pk)
    assert len(mailbox.messages) == 1
    delivered = Delivery.objects.get(event=event, channel="email")
    assert delivered.status == Delivery.State.SENT and delivered.attempts == 3 and delivered.last_error == ""
    assert Notification.objects.filter(user=citizen).count() == 1


def test_a_supplement_request_says_what_to_supplement(smtp, birth, citizen, demo, django_capture_on_commit_callbacks):
    dossier = _submit(birth, citizen, demo)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_supplement(dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
                                    missing=[SUPPLEMENT_NOTE])
    [(_recipients, message)] = smtp.messages
    assert message["Subject"].strip() == f"Hồ sơ {dossier.code}: cần bổ sung hồ sơ"
    assert f"Nội dung cần bổ sung: {SUPPLEMENT_NOTE}" in message.get_content()
    notification = Notification.objects.get(user=citizen, dossier=dossier)
    assert SUPPLEMENT_NOTE in notification.body and dossier.code in notification.title


def test_no_email_without_an_address_and_no_sms_without_a_phone(settings, gateway, birth, citizen, demo, mailoutbox):
    settings.SMS_GATEWAY_URL = gateway
    dossier = _submit(birth, citizen, demo, contact={"applicant_email": "", "applicant_phone": ""})
    event = _last_event(dossier)
    services.notify_dossier_event(event.pk)
    assert list(Delivery.objects.filter(event=event).values_list("channel", flat=True)) == ["app"]
    assert not mailoutbox and not SimulatedSms.objects.exists()
    assert Notification.objects.filter(user=citizen).count() == 1


def test_my_notifications_page_shows_mine_only_and_marks_them_read(sign_in, birth, citizen, demo, mailoutbox):
    dossier = _submit(birth, citizen, demo)
    services.notify_dossier_event(_last_event(dossier).pk)
    mine = Notification.objects.get(user=citizen)

    other = sign_in("doanhnghiep@example.vn")
    page = other.get("/notifications/").content.decode()
    assert dossier.code not in page and "Ông/bà chưa có thông báo nào." in page
    assert other.post(f"/notifications/{mine.pk}/read/").status_code == 404

    client = sign_in("congdan@example.vn")
    response = client.get("/notifications/")
    page = response.content.decode()
    assert response.status_code == 200 and response.context["unread_notifications"] == 1
    assert f"Hồ sơ {dossier.code}: đã nộp, đang chờ tiếp nhận" in page and "Chưa đọc" in page
    before = timezone.now()
    assert client.post(f"/notifications/{mine.pk}/read/").status_code == 302
    mine.refresh_from_db()
    assert before <= mine.read_at <= timezone.now() and services.unread_count(citizen) == 0
    assert "Chưa đọc" not in client.get("/notifications/").content.decode()

    workflow.request_supplement(dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
                                missing=[SUPPLEMENT_NOTE])
    services.notify_dossier_event(_last_event(dossier).pk)
    assert services.unread_count(citizen) == 1
    response = client.post("/notifications/read-all/", follow=True)
    assert response.context["unread_notifications"] == 0
    assert services.unread_count(citizen) == 0
    assert client.get("/notifications/read-all/").status_code == 405


def test_notifications_need_a_signed_in_user(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_no_phone_number_or_email_address_reaches_the_logs(settings, gateway, caplog, monkeypatch, birth, citizen,
                                                           demo):
    # The log filter would mask personal data before caplog sees it: look at what the code logs.
    monkeypatch.setattr(RedactPersonalData, "filter", lambda self, record: True)
    caplog.set_level(logging.DEBUG)
    settings.SMS_GATEWAY_URL = gateway
    with _smtp_server(settings):
        dossier = _submit(birth, citizen, demo)
    _use_smtp(settings, free_port())  # and when delivery fails
    settings.SMS_API_KEY = "wrong-key"
    workflow.request_supplement(dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
                                missing=[SUPPLEMENT_NOTE])
    with pytest.raises(OSError):
        services.notify_dossier_event(_last_event(dossier).pk)
    assert SimulatedSms.objects.count() == 1 and Delivery.objects.filter(status="failed").count() == 2
    # The SMTP server's own log ("mail.log") stands for the outside world, not for this platform.
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]
    failures = [(r.name, r.getMessage(), r.channel) for r in ours if r.getMessage() == "notification delivery failed"]
    # Each channel failed twice: in-process right after the request, then in the call above.
    assert sorted(failures) == [("notifications.services", "notification delivery failed", "email")] * 2 + [
        ("notifications.services", "notification delivery failed", "sms")] * 2
    for record in ours:
        text = record.getMessage() + " " + " ".join(str(v) for v in record.__dict__.values())
        assert PHONE not in text and EMAIL not in text and "012345678" not in text, record.name
    assert not any(PHONE in d.last_error or EMAIL in d.last_error for d in Delivery.objects.all())


def test_a_gateway_refusal_raises_and_counts_the_attempts(settings, gateway, birth, citizen, demo, mailoutbox):
    dossier = _submit(birth, citizen, demo)  # SMS still off: the app and e-mail go out now
    event = _last_event(dossier)
    settings.SMS_GATEWAY_URL = gateway
    settings.SMS_API_KEY = "wrong-key"
    for attempt in (1, 2):
        with pytest.raises(OSError):
            services.notify_dossier_event(event.pk)
        refused = Delivery.objects.get(event=event, channel="sms")
        assert refused.status == Delivery.State.FAILED and refused.attempts == attempt
        assert refused.last_error == "SmsRejected: SMS gateway refused the message: CodeResult 101"
    settings.SMS_API_KEY = "demo-key"
    services.notify_dossier_event(event.pk)
    sent = Delivery.objects.get(event=event, channel="sms")
    assert sent.status == Delivery.State.SENT and sent.attempts == 3
    assert SimulatedSms.objects.count() == 1 and len(mailoutbox) == 1
    assert Notification.objects.filter(dossier=dossier).count() == 1

    Dossier.objects.filter(pk=dossier.pk).update(applicant_phone="12345")
    with pytest.raises(sms.SmsRejected) as refused:
        sms.send("12345", "Ho so")
    assert refused.value.code == "104"
    workflow.request_supplement(dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
                                missing=[SUPPLEMENT_NOTE])  # the task fails on commit and would be retried
    with pytest.raises(OSError):
        services.notify_dossier_event(_last_event(dossier).pk)
    assert "CodeResult 104" in _delivery(dossier, "sms").last_error


def test_an_unreachable_gateway_raises_an_oserror(settings, db):
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}/send"
    with pytest.raises(sms.SmsUnavailable):
        sms.send(PHONE, "Ho so")


def test_sms_text_keeps_case_and_drops_diacritics():
    assert sms.plain("Hồ sơ  Đăng ký – Phường Đức Xuân “ĐX”") == 'Ho so Dang ky - Phuong Duc Xuan "DX"'
    assert sms.normalise_phone("+84 912.345.678") == PHONE


def test_the_simulator_answers_like_the_gateway(client, db):
    def post(**changes):
        body = {"ApiKey": "demo-key", "SecretKey": "demo-secret", "Phone": PHONE, "Content": "Ho so 1",
                "Brandname": "UBND TINH", "SmsType": "2", **changes}
        return client.post("/simulators/sms/send", body, content_type="application/json").json()

    accepted = post()
    assert accepted["CodeResult"] == "100" and SimulatedSms.objects.get().sms_id == accepted["SMSID"]
    assert post(SecretKey="guess")["CodeResult"] == "101"
    assert post(Phone="12345")["CodeResult"] == "104"
    assert client.post("/simulators/sms/send", "{", content_type="application/json").json()["CodeResult"] == "99"
    page = client.get("/simulators/sms/").content.decode()
    assert "Ho so 1" in page and PHONE not in page  # the demo page masks the number


def test_the_simulator_is_not_there_when_simulators_are_off(settings, client, db):
    settings.EGOV_SIMULATORS = False
    assert client.get("/simulators/sms/").status_code == 404
    assert client.post("/simulators/sms/send", {}, content_type="application/json").status_code == 404
    assert client.get("/simulators/sms/send").status_code == 404


def test_officials_are_told_in_the_app_by_role_or_as_assignee(demo):
    ducxuan = demo.agencies["01840"]
    [notice] = services.notify_officials(agency_id=ducxuan.pk, role="desk_officer", title="Hồ sơ sắp đến hạn",
                                         body="Bước tiếp nhận đến hạn lúc 16:00.")
    assert notice.user == demo.users["motcua.ducxuan"]
    [notice] = services.notify_officials(agency_id=ducxuan.pk, role="desk_officer", assignee=demo.users[
        "tuphap.ducxuan"], title="Hồ sơ sắp đến hạn", body="…")
    assert notice.user == demo.users["tuphap.ducxuan"]
    assert services.unread_count(demo.users["chutich.ducxuan"]) == 0


def test_a_failed_sms_is_sent_again_later_without_duplicating_the_rest(demo, settings, live_server, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from notifications import services as notification_services
    from notifications.models import Delivery
    from simulators.sms.models import SimulatedSms

    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"  # nothing listens there
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from tests.factories import make_procedure, submit_birth

    dossier = submit_birth(demo, make_procedure(agencies=[demo.agencies["01840"]]))
    event = dossier.events.get()
    # The in-process task ran once at commit (live-server tests commit): the failure is
    # recorded, not retried inside the citizen's request.
    sms_delivery = Delivery.objects.get(event=event, channel="sms")
    assert sms_delivery.status == "failed" and sms_delivery.attempts == 1
    assert notification_services.retry_failed() == 0  # too early for another attempt
    settings.SMS_GATEWAY_URL = f"{live_server.url}/simulators/sms/send"
    later = timezone.now() + dt.timedelta(minutes=5)
    assert notification_services.retry_failed(now=later) == 1
    sms_delivery.refresh_from_db()
    assert sms_delivery.status == "sent"
    assert SimulatedSms.objects.filter(content__contains=dossier.code).count() == 1
    assert Delivery.objects.get(event=event, channel="email").status == "sent"
    from django.core import mail

    assert len([m for m in mail.outbox if dossier.code in m.subject]) == 1


def test_the_safety_net_outlives_the_tasks_retries_with_pauses_of_at_most_an_hour():
    """A delivery whose task used its retries during an outage is still sent again later: the
    pause doubles from a minute and stops growing at an hour, and the net gives up only after a day."""
    import datetime as dt

    from notifications import services as notification_services

    assert [notification_services.retry_pause(n) for n in (1, 2, 3, 6)] == [
        dt.timedelta(minutes=m) for m in (1, 2, 4, 32)]
    assert notification_services.retry_pause(7) == dt.timedelta(hours=1)  # not 64 minutes
    assert notification_services.retry_pause(9) == dt.timedelta(hours=1)  # not 256 minutes
    assert notification_services.retry_pause(30) == dt.timedelta(hours=1)
    from notifications.tasks import notify_event

    retries = notify_event.max_retries
    assert notification_services.RETRY_LIMIT > retries + 1  # attempts left to the net after the task's
    span = sum(min(notify_event.retry_backoff * 2 ** n, notify_event.retry_backoff_max) for n in range(retries))
    assert notify_event.retry_jitter is False and span >= 20 * 60  # outlives an outage of minutes
    net = sum(notification_services.retry_pause(n).total_seconds()
              for n in range(retries + 1, notification_services.RETRY_LIMIT))
    assert net >= 24 * 3600
