"""A support request goes to the agency that settles its dossier or procedure, or to the IT help
desk; it is answered within its time, or escalated to the agency's leaders once after it."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.db.models import Count

from notifications.models import Notification
from procedures.models import Procedure
from support import services
from support.models import Channel, RequestStatus, SupportRequest, Topic
from workdays.calendar import add_working_hours

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=HCM)


def _ask(user, topic=Topic.DOSSIER, **context):
    return services.ask(user=user, channel=Channel.PORTAL, name="Nguyễn Thị Hồng", email="" if user else "a@example.vn",
                        topic=topic, question="Tôi cần nộp thêm giấy tờ gì?", context=services.Context(**context))


def test_a_request_about_a_dossier_goes_to_the_settling_agency_and_its_desk_is_told(
        draft, citizen, ducxuan, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(citizen, dossier=str(draft.pk), page=f"/dossiers/my/{draft.pk}/edit/")
    assert request.agency == ducxuan
    assert request.dossier == draft and request.procedure.code == "2.000635"
    assert Notification.objects.filter(user=demo.users["motcua.ducxuan"], key=f"support-new:{request.pk}").exists()
    assert not Notification.objects.filter(user=demo.users["motcua.stp"], key=f"support-new:{request.pk}").exists()


def test_another_persons_dossier_is_not_attached(draft, demo):
    other = demo.users["doanhnghiep@example.vn"]
    request = _ask(other, dossier=str(draft.pk))
    assert request.dossier is None


def test_a_procedure_settled_by_one_agency_goes_to_that_agency(help_centre):
    procedure = (Procedure.objects.filter(current__isnull=False).annotate(n=Count("current__agencies"))
                 .filter(n=1).first())
    request = _ask(None, topic=Topic.PROCEDURE, procedure=procedure.code)
    assert request.agency == procedure.current.agencies.get()


def test_a_technical_question_goes_to_the_it_help_desk(help_centre, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(None, topic=Topic.TECHNICAL, procedure="2.000635")
    assert request.agency is None and request.it_desk
    assert Notification.objects.filter(user=demo.users["quantri.tinh"], key=f"support-new:{request.pk}").exists()


def test_the_time_to_answer_is_counted_in_working_hours(draft, citizen):
    with time_machine.travel(dt.datetime(2026, 12, 4, 16, 0, tzinfo=HCM), tick=False):  # a Friday afternoon
        request = _ask(citizen, dossier=str(draft.pk))
    assert request.due_at == add_working_hours(dt.datetime(2026, 12, 4, 16, 0, tzinfo=HCM), 8)
    assert request.due_at.astimezone(HCM).weekday() == 0  # the next Monday, not the weekend


def test_answered_within_its_time_it_is_never_escalated(draft, citizen, demo, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY_9, tick=False):
        request = _ask(citizen, dossier=str(draft.pk))
    with time_machine.travel(MONDAY_9 + dt.timedelta(hours=2), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        services.answer(request=request, official=demo.users["motcua.ducxuan"], text="Không cần thêm giấy tờ.")
    with time_machine.travel(MONDAY_9 + dt.timedelta(days=3), tick=False):
        assert services.escalate_overdue() == 0
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.escalated_at is None
    told = Notification.objects.get(user=citizen, key=f"support-answer:{request.pk}")
    assert "Không cần thêm giấy tờ." in told.body


def test_past_its_time_it_is_escalated_to_the_agency_leaders_exactly_once(draft, citizen, demo):
    with time_machine.travel(MONDAY_9, tick=False):
        request = _ask(citizen, dossier=str(draft.pk))
    with time_machine.travel(request.due_at - dt.timedelta(minutes=1), tick=False):
        assert services.escalate_overdue() == 0
    with time_machine.travel(request.due_at + dt.timedelta(minutes=5), tick=False):
        assert services.escalate_overdue() == 1
        assert services.escalate_overdue() == 0  # the sweep runs again: nothing more
    leader = demo.users["chutich.ducxuan"]
    assert Notification.objects.filter(user=leader, key=f"support-escalated:{request.pk}").count() == 1
    assert not Notification.objects.filter(user=demo.users["giamdoc.stp"], key=f"support-escalated:{request.pk}"
                                           ).exists()
    request.refresh_from_db()
    assert request.escalated_at is not None


def test_a_visitor_without_account_is_answered_by_e_mail_once(help_centre, demo, django_capture_on_commit_callbacks):
    request = _ask(None, topic=Topic.PROCEDURE, procedure="2.000635")
    request.agency = demo.agencies["01840"]
    request.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(request=request, official=demo.users["motcua.ducxuan"], text="Lệ phí 8.000 đồng.")
    services.tell_requester(request.pk)  # the task run a second time
    [message] = mail.outbox
    assert message.to == ["a@example.vn"] and "Lệ phí 8.000 đồng." in message.body
    assert f"/help/requests/{request.token}/" in message.body


def test_the_requester_rates_the_answer(draft, citizen, demo):
    request = _ask(citizen, dossier=str(draft.pk))
    services.answer(request=request, official=demo.users["motcua.ducxuan"], text="Đã rõ.")
    services.rate(request=request, user=citizen, token=None, rating=5, comment="Nhanh")
    assert SupportRequest.objects.get(pk=request.pk).rating == 5
