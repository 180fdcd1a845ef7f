"""Feedback goes to the responsible agency, is answered within ten working days or escalated to the
agency's leaders once, and is published only with the sender's consent, without personal data."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback import selectors, services
from feedback.models import Complaint, Subject
from notifications.models import Notification
from workdays.calendar import add_working_days

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=HCM)
SENDER = services.Sender(name="Lê Văn Cường", email="cuong@example.vn", phone="0901234567")


def _send(demo, **kwargs):
    defaults = {"subject": Subject.OFFICIAL, "agency": demo.agencies["01840"], "official_name": "Cán bộ một cửa",
                "content": "Cán bộ hướng dẫn chưa rõ ràng, tôi phải đi lại ba lần."}
    return services.send(user=None, sender=SENDER, **{**defaults, **kwargs})


def test_the_answer_is_due_in_ten_working_days_and_escalated_once(demo, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY_9, tick=False), django_capture_on_commit_callbacks(execute=True):
        complaint = _send(demo)
    assert complaint.due_at == add_working_days(MONDAY_9, 10)
    assert Notification.objects.filter(user=demo.users["motcua.ducxuan"], key=f"feedback-new:{complaint.pk}").exists()
    with time_machine.travel(complaint.due_at - dt.timedelta(minutes=1), tick=False):
        assert services.escalate_overdue() == 0
    with time_machine.travel(complaint.due_at + dt.timedelta(hours=1), tick=False):
        assert services.escalate_overdue() == 1
        assert services.escalate_overdue() == 0  # once
    with time_machine.travel(complaint.due_at + dt.timedelta(days=3), tick=False):
        assert services.escalate_overdue() == 0
    leader = demo.users["chutich.ducxuan"]
    assert Notification.objects.filter(user=leader, key=f"feedback-escalated:{complaint.pk}").count() == 1
    assert Complaint.objects.get(pk=complaint.pk).escalated_at is not None


def test_published_only_with_consent_and_without_personal_data(demo, client, sign_in):
    agreed = _send(demo, consent_to_publish=True)
    private = _send(demo, content="Phản ánh riêng, không công bố.")
    desk = demo.users["motcua.ducxuan"]
    with pytest.raises(ValidationError):  # consent given: a summary without personal data is required
        services.answer(complaint=agreed, official=desk, text="Đã chấn chỉnh.")
    services.answer(complaint=agreed, official=desk, text="UBND phường đã chấn chỉnh việc hướng dẫn.",
                    public_summary="Công dân phản ánh việc hướng dẫn hồ sơ chưa rõ ràng.")
    services.answer(complaint=private, official=desk, text="Cảm ơn ông đã phản ánh.")
    assert list(selectors.published_answers()) == [Complaint.objects.get(pk=agreed.pk)]
    page = client.get("/feedback/").content.decode()
    assert "UBND phường đã chấn chỉnh" in page and "Cảm ơn ông" not in page
    for personal in (SENDER.name, SENDER.email, SENDER.phone, "đi lại ba lần"):
        assert personal not in page
    # Who answered is kept for the officials.
    queue = sign_in("motcua.ducxuan").get("/workspace/feedback/?tab=answered").content.decode()
    assert desk.get_full_name() in queue


def test_counts_feed_the_indices(demo):
    # Received Monday 7/12: A answered the next day (on time), B answered after its due (late),
    # C still open past its due (late): received 3, answered 2, on time 1, late 2.
    desk = demo.users["motcua.ducxuan"]
    with time_machine.travel(MONDAY_9, tick=False):
        a, b, c = _send(demo), _send(demo), _send(demo)
    services.answer(complaint=a, official=desk, text="Đã trả lời.", now=MONDAY_9 + dt.timedelta(days=1))
    services.answer(complaint=b, official=desk, text="Đã trả lời.", now=b.due_at + dt.timedelta(days=1))
    day = MONDAY_9.date()
    figures = selectors.satisfaction([demo.agencies["01840"].pk], day, day, now=c.due_at + dt.timedelta(days=2))
    assert (figures.complaints_received, figures.complaints_answered, figures.complaints_answered_on_time,
            figures.complaints_late) == (3, 2, 1, 2)
    assert figures.ratings == 0 and figures.satisfied_share is None


def test_a_visitor_must_leave_a_contact(demo):
    with pytest.raises(ValidationError):
        services.send(user=None, sender=services.Sender(name="Ẩn danh"), subject=Subject.OTHER,
                      agency=demo.agencies["01840"], content="Góp ý.")


def test_sending_from_the_portal(demo, client):
    response = client.post("/feedback/send/", {
        "name": "Lê Văn Cường", "phone": "0901234567", "subject": "official", "agency": demo.agencies["01840"].pk,
        "official_name": "Cán bộ một cửa", "content": "Góp ý về thái độ phục vụ.", "consent_to_publish": "on"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.consent_to_publish and complaint.agency == demo.agencies["01840"]
    assert client.get(response.url).status_code == 200
    assert timezone.now() < complaint.due_at


def test_the_demo_loader_is_idempotent(demo, client):
    from feedback.demo import load_demo

    load_demo()
    load_demo()
    assert Complaint.objects.count() == 3
    assert "niêm yết mức lệ phí" in client.get("/feedback/").content.decode()


def test_a_sender_without_an_account_is_told_the_answer_by_e_mail_once(demo, django_capture_on_commit_callbacks):
    from django.core import mail

    complaint = _send(demo)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(complaint=complaint, official=demo.users["motcua.ducxuan"], text="Đã nhắc nhở cán bộ.")
    services.tell_requester(complaint.pk)  # the task run a second time sends nothing
    [message] = mail.outbox
    assert message.to == [SENDER.email] and "Đã nhắc nhở cán bộ." in message.body
    assert f"/feedback/c/{complaint.token}/" in message.body
    assert message.subject == f"Phản ánh, kiến nghị số {complaint.pk} của ông/bà đã được trả lời"  # in Vietnamese


def test_a_sender_who_left_only_a_phone_is_told_by_sms(demo, live_server, settings, django_capture_on_commit_callbacks):
    from simulators.sms.models import SimulatedSms

    settings.SMS_GATEWAY_URL = f"{live_server.url}/simulators/sms/send"
    complaint = services.send(user=None, sender=services.Sender(name="Hà Văn Đông", email="", phone="0987654321"),
                              subject=Subject.OFFICIAL, agency=demo.agencies["01840"], official_name="Cán bộ một cửa",
                              content="Thái độ chưa đúng mực.")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(complaint=complaint, official=demo.users["motcua.ducxuan"], text="Đã xử lý.")
    services.tell_requester(complaint.pk)  # once
    [sms] = SimulatedSms.objects.filter(phone="0987654321")
    assert f"/feedback/c/{complaint.token}/" in sms.content
    assert Complaint.objects.get(pk=complaint.pk).told_at is not None
