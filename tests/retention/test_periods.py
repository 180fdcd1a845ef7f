"""Each retention policy at its edges: kept through the day before it is due, acted on the day it is
due (Circular 10/2022/TT-BNV counts dossiers from the end of the year they ended)."""

import datetime as dt

import pytest
from axes.models import AccessLog
from django.utils import timezone

from accounts.models import UserSession
from dossiers.models import Dossier
from dossiers.states import Status
from lgsp import services as lgsp_services
from lgsp.models import CallLog
from national import consent
from national.models import LookupPurpose, PopulationConsent
from notifications.models import Notification
from retention import periods
from retention.models import ArchivedRecord, Kind, RetentionPolicy
from retention.services import policies_in_force

from .records import day, draft, finished, local

pytestmark = pytest.mark.django_db


def _archived(dossier):
    return lambda: ArchivedRecord.objects.filter(object_type="dossiers.dossier", object_id=dossier.pk).exists()


def _gone(model, pk):
    return lambda: not model._default_manager.filter(pk=pk).exists()


def settled(demo, procedure):
    dossier = finished(demo, procedure, local("2016-12-31", "23:30"))  # the last evening of 2016, local time
    return _archived(dossier), "2027-01-01"


def unsettled(demo, procedure):
    dossier = finished(demo, procedure, local("2021-12-31", "23:30"), status=Status.REFUSED)
    return _archived(dossier), "2027-01-01"


def abandoned_draft(demo, procedure):
    made = draft(demo, procedure, local("2026-09-01"))
    return _gone(Dossier, made.pk), "2026-11-30"


def integration_call(demo, procedure):
    client, _secret = lgsp_services.create_client(user=None, agency=demo.agencies["STP"], name="Phần mềm hộ tịch",
                                                  scopes=["dmdc.read"])
    call = CallLog.objects.create(client=client, at=local("2025-12-07", "00:05"), method="GET", service="dmdc",
                                  status=200)
    return _gone(CallLog, call.pk), "2026-12-07"


def notification(demo, procedure):
    notice = Notification.objects.create(user=demo.users["congdan@example.vn"], title="Hồ sơ đã có kết quả",
                                         body="Mời ông/bà nhận kết quả.")
    Notification.objects.filter(pk=notice.pk).update(created_at=local("2025-12-07", "23:59"))
    return _gone(Notification, notice.pk), "2026-12-07"


def session(demo, procedure):
    signed_in = UserSession.objects.create(user=demo.users["congdan@example.vn"], session_key="k" * 40,
                                           started_at=local("2026-11-07", "08:00"),
                                           last_seen_at=local("2026-11-07", "09:00"), ip="203.0.113.5")
    return _gone(UserSession, signed_in.pk), "2026-12-07"


def login_attempt(demo, procedure):
    line = AccessLog.objects.create(username="congdan@example.vn", ip_address="203.0.113.5", user_agent="Firefox",
                                    http_accept="text/html", path_info="/accounts/login/")
    AccessLog.objects.filter(pk=line.pk).update(attempt_time=local("2025-12-07", "07:00"))
    return _gone(AccessLog, line.pk), "2026-12-07"


def population_consent(demo, procedure):
    given = PopulationConsent.objects.create(
        subject=demo.users["congdan@example.vn"], id_hash=consent.id_hash("006190001234"),
        id_masked=consent.mask("006190001234"), purpose=LookupPurpose.PREFILL, form="Tờ khai đăng ký khai sinh",
        wording="Tôi đồng ý", given_at=local("2023-03-01"), reference="DY-2023-0001")
    return (lambda: PopulationConsent.objects.get(pk=given.pk).id_hash == ""), "2027-01-01"


CASES = {Kind.DOSSIER_SETTLED: settled, Kind.DOSSIER_UNSETTLED: unsettled, Kind.DRAFT: abandoned_draft,
         Kind.INTEGRATION_CALLS: integration_call, Kind.NOTIFICATIONS: notification, Kind.SESSIONS: session,
         Kind.LOGIN_ATTEMPTS: login_attempt, Kind.POPULATION_CONSENTS: population_consent}


def test_every_kind_has_a_policy_in_force_and_an_edge_test(db):
    assert {p.kind for p in policies_in_force(day("2026-12-07"))} == set(Kind.values) == set(CASES)


@pytest.mark.parametrize("kind", list(CASES))
def test_kept_the_day_before_it_is_due_and_acted_on_that_day(demo, procedure, kind, job):
    acted, due = CASES[kind](demo, procedure)
    report = job(today=day(due) - dt.timedelta(days=1))
    assert not acted(), kind
    assert report.counts[kind]["due"] == 0 or kind == Kind.SESSIONS  # the demo's own sessions may be due
    report = job(today=day(due))
    assert acted(), kind
    assert report.errors == []


def test_the_due_day_is_what_the_policy_page_shows(db):
    policy = RetentionPolicy.objects.get(kind=Kind.DOSSIER_SETTLED, valid_to=None)
    moment = local("2016-12-31", "23:30")
    assert periods.due_on(policy, moment) == day("2027-01-01")
    assert periods.cutoff(policy, day("2027-01-01")) > moment >= periods.cutoff(policy, day("2026-12-31"))
    draft_policy = RetentionPolicy.objects.get(kind=Kind.DRAFT)
    assert periods.due_on(draft_policy, local("2026-09-01")) == day("2026-11-30")


def test_a_policy_not_yet_in_force_does_nothing(db):
    RetentionPolicy.objects.create(kind=Kind.DRAFT, days=1, disposal="erase", legal_basis="x",
                                   valid_from=timezone.localdate() + dt.timedelta(days=30))
    chosen = {p.kind: p for p in policies_in_force(timezone.localdate())}
    assert chosen[Kind.DRAFT].days == 90
