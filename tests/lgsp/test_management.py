"""Managing client systems in the workspace: the province's administrator manages every agency's,
an agency's administrator its own only (another's is not found), nobody else; each action is
offered exactly when it is allowed; every change is audited; the secret is shown once."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from lgsp import policy, services
from lgsp.models import CallLog, Client, ClientStatus

from .conftest import agency, call, token_of

pytestmark = pytest.mark.django_db
PAGE = "/workspace/integration/"


def test_the_province_admin_registers_a_client_and_sees_its_secret_once(sign_in, demo):
    browser = sign_in("quantri.tinh")
    answer = browser.post(f"{PAGE}new/", {"agency": agency("SYT").pk, "name": "Phần mềm bệnh viện thử",
                                          "scopes": ["dmdc.read"], "per_minute": 30, "per_day": 1000,
                                          "allowed_ips": "", "acting_username": ""})
    assert answer.status_code == 200
    secret = answer.context["secret"]
    client = Client.objects.get(name="Phần mềm bệnh viện thử")
    assert secret and secret.encode() in answer.content
    assert secret not in client.application.client_secret  # only its hash is kept
    assert secret.encode() not in browser.get(f"{PAGE}{client.pk}/").content
    assert call("GET", "/dmdc/Category/GioiTinh", token_of(client, secret)).status_code == 200
    entry = AuditEntry.objects.get(object_type="lgsp.client", object_id=str(client.pk), action="create")
    assert entry.actor_label == "quantri.tinh"


def test_every_change_is_audited(make_client, admin):
    client, _secret = make_client()
    services.rotate_secret(user=admin, client=client)
    services.suspend(user=admin, client=client)
    services.revoke(user=admin, client=client)
    changes = AuditEntry.objects.filter(object_type="lgsp.client", object_id=str(client.pk), action="update")
    fields = [set(entry.summary["fields"]) for entry in changes.order_by("at", "pk")]
    assert fields == [{"secret_rotated_at"}, {"status", "status_changed_at"}, {"status", "status_changed_at"}]


def test_an_agency_admin_manages_its_own_agencys_clients_only(sign_in, make_client):
    own, _ = make_client(agency_abbreviation="STP", name="Hệ thống của Sở Tư pháp")
    other, _ = make_client(agency_abbreviation="SYT", name="Hệ thống của Sở Y tế")
    browser = sign_in("quantri.stp")
    listed = browser.get(PAGE)
    assert own.name.encode() in listed.content and other.name.encode() not in listed.content
    assert "Đăng ký hệ thống kết nối".encode() in listed.content  # Vietnamese by default
    assert browser.get(f"{PAGE}{other.pk}/").status_code == 404
    assert browser.post(f"{PAGE}{other.pk}/suspend/").status_code == 404
    other.refresh_from_db()
    assert other.status == ClientStatus.ACTIVE
    answer = browser.post(f"{PAGE}new/", {"agency": agency("SYT").pk, "name": "Giả", "scopes": ["dmdc.read"],
                                          "per_minute": 1, "per_day": 1})
    assert answer.status_code == 200 and "agency" in answer.context["form"].errors
    with pytest.raises(PermissionDenied):
        services.create_client(user=browser_user(sign_in), agency=agency("SYT"), name="Giả", scopes=["dmdc.read"])


def browser_user(sign_in):
    from accounts.models import User

    return User.objects.get(username="quantri.stp")


@pytest.mark.parametrize("username", ["vanthu.stp", "giamdoc.stp"])
def test_other_officials_see_nothing_of_it(sign_in, make_client, username):
    client, _ = make_client()
    browser = sign_in(username)
    assert browser.get(PAGE).status_code == 403
    assert browser.get(f"{PAGE}calls/").status_code == 403
    assert browser.get(f"{PAGE}{client.pk}/").status_code == 404


def test_a_client_may_act_as_an_official_of_its_own_agency_only(make_client, demo):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_client(scopes=["documents.read"], acting_user=demo.users["quantri.tinh"])  # another agency's
    with pytest.raises(ValidationError):
        make_client(scopes=["documents.read"])  # no account at all
    client, _ = make_client(scopes=["documents.read"], acting_user=demo.users["vanthu.stp"])
    assert client.acting_user.username == "vanthu.stp"


STATES = ("active", "suspended", "revoked")


@pytest.mark.parametrize("username", ["quantri.tinh", "quantri.stp", "vanthu.stp"])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ["rotate", "suspend", "resume", "revoke"])
def test_each_action_is_offered_exactly_when_it_is_allowed(sign_in, make_client, admin, demo, username, state,
                                                           action):
    client, _ = make_client(agency_abbreviation="STP")
    if state != "active":
        {"suspended": services.suspend, "revoked": services.revoke}[state](user=admin, client=client)
    user = demo.users[username]
    client.refresh_from_db()
    offered = action in policy.offered(user, client)
    browser = sign_in(username)
    page = browser.get(f"{PAGE}{client.pk}/")
    shown = page.status_code == 200 and f"/{client.pk}/{action}/".encode() in page.content
    answer = browser.post(f"{PAGE}{client.pk}/{action}/")
    allowed = answer.status_code in (200, 302) and answer.status_code != 403
    assert offered == shown == allowed


def test_the_call_log_filters_and_charts_each_clients_calls(sign_in, make_client):
    client, secret = make_client(name="Hệ thống được ghi nhật ký")
    token = token_of(client, secret)
    for _ in range(3):
        call("GET", "/dmdc/Category/DanToc", token)
    call("POST", "/dmdc/Category/DanToc", token, body={"data": []})
    page = sign_in("quantri.tinh").get(f"{PAGE}calls/", {"client": client.pk, "failed": "on"})
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == list(CallLog.objects.filter(client=client, status__gte=400))
    chart = page.context["charts"][0]
    assert [s["name"] for s in chart["series"]] == [client.name]  # the chart follows the client filter
    assert sum(next(s for s in chart["series"] if s["name"] == client.name)["data"]) == 4
    assert b'class="dashboards-chart"' in page.content and b"<caption>" in page.content


def test_the_developer_portal_is_public_and_shows_the_sandbox_outside_production_only(demo, settings):
    from django.test import Client as Browser

    from lgsp.demo import SANDBOX_CLIENT_ID, SANDBOX_SECRET, load_demo

    load_demo()
    page = Browser().get("/lgsp/developers/")
    assert page.status_code == 200 and SANDBOX_SECRET.encode() in page.content
    sandbox = Client.objects.get(sandbox=True)
    assert call("GET", "/dmdc/Category/DanToc", token_of(sandbox, SANDBOX_SECRET)).status_code == 200
    assert call("POST", "/dmdc/Category/DanToc", token_of(sandbox, SANDBOX_SECRET),
                body={"data": [{"ma": "99", "ten": "x"}]}).status_code == 403
    settings.PRODUCTION = True
    assert SANDBOX_SECRET.encode() not in Browser().get("/lgsp/developers/").content
    from .conftest import ask_token

    assert ask_token(SANDBOX_CLIENT_ID, SANDBOX_SECRET).status_code == 401
