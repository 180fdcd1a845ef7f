"""The national systems' status page (/workspace/national/) and the national portal's page
(/national/): offered to the province's administrators only, what they show, and their audited
buttons."""

import pytest
import requests

from audit.models import AuditEntry
from national import base, outbound
from national.models import OutboundItem
from nationalsync import catalog
from tests.national.sims import serving

pytestmark = pytest.mark.django_db
ADMIN = "quantri.tinh"


@pytest.fixture
def portal(tmp_path, settings):
    with serving("npsp", tmp_path, settings) as sim:
        yield sim


def owe(reference="G22.99-1", key="k-1") -> OutboundItem:
    return outbound.enqueue(system="npsp", kind="status", reference=reference, idempotency_key=key,
                            payload={"trangThai": 4})


@pytest.mark.parametrize("username", ["motcua.ducxuan", "chutich.ducxuan", "kiemtra.tinh"])
@pytest.mark.parametrize("url", ["/workspace/national/", "/national/"])
def test_other_officials_are_refused(sign_in, username, url):
    client = sign_in(username)
    assert client.get(url).status_code == 403
    assert client.post(url.rstrip("/") + ("/retry/" if "workspace" in url else "/fetch/")).status_code == 403


def test_a_citizen_or_a_visitor_never_sees_the_page(client, sign_in):
    assert client.get("/workspace/national/").status_code == 302
    assert sign_in("congdan@example.vn").get("/workspace/national/").status_code in (302, 403)


def test_the_page_shows_each_system_its_breaker_and_what_is_owed(sign_in, settings):
    settings.NATIONAL_SYSTEMS = {**settings.NATIONAL_SYSTEMS, "npsp": {"url": "http://127.0.0.1:9", "token": "t"},
                                 "civil_status": {"url": "", "token": ""}}
    base.reset("npsp")
    item = owe()
    for _ in range(base.FAIL_MAX):
        outbound.deliver(item.pk, now=item.next_attempt_at.replace(year=item.next_attempt_at.year + 1))
        OutboundItem.objects.filter(pk=item.pk).update(attempts=0)
    page = sign_in(ADMIN).get("/workspace/national/").content.decode()
    base.reset("npsp")
    assert 'data-system="npsp"' in page and 'data-system="civil_status"' in page
    assert 'data-breaker="open"' in page
    assert "G22.99-1" in page and "ConnectionError" in page


def test_send_again_gives_a_refused_message_a_new_attempt_and_is_audited(sign_in):
    item = owe()
    OutboundItem.objects.filter(pk=item.pk).update(state="failed")
    response = sign_in(ADMIN).post("/workspace/national/retry/", {"item": item.pk})
    assert response.status_code == 302
    assert OutboundItem.objects.get(pk=item.pk).state == "pending"
    assert AuditEntry.objects.filter(summary__event="national_outbound_retry").exists()


def test_publishing_the_catalog_reaches_the_portal_once(demo, portal, sign_in):
    from tests.dossier_scenarios import birth_procedure

    birth_procedure(demo, code="1.001193")
    client = sign_in(ADMIN)
    assert client.post("/national/catalog/publish/").status_code == 302
    assert client.post("/national/catalog/publish/").status_code == 302  # nothing changed: the same message
    assert OutboundItem.objects.filter(kind="catalog").count() == 1
    assert outbound.deliver_due()["delivered"] == 1
    published = requests.get(portal.url + "/api/thutuc", headers={"Authorization": f"Bearer {portal.secret}"},
                             timeout=5).json()["thuTuc"]
    assert [p["maTTHC"] for p in published] == ["1.001193"]
    assert catalog.catalog()["maDonVi"]
    assert AuditEntry.objects.filter(summary__event="npsp_catalog_published").count() == 2  # each click


def test_fetch_now_takes_the_new_dossiers(demo, portal, sign_in):
    from tests.dossier_scenarios import birth_procedure

    birth_procedure(demo, code="1.001193")
    client = sign_in(ADMIN)
    response = client.post("/national/fetch/", follow=True)
    page = response.content.decode()
    assert "G22.99-261201-0001" in page and "G22.99-261201-0003" in page
    assert AuditEntry.objects.filter(summary__event="npsp_dossiers_fetched").exists()


@pytest.mark.parametrize("username", [ADMIN, "motcua.ducxuan", "tuphap.ducxuan", "chutich.ducxuan", "kiemtra.tinh"])
def test_the_pages_open_exactly_for_whom_the_policy_allows(demo, sign_in, username):
    from national import policy

    client = sign_in(username)
    allowed = policy.may_oversee(demo.users[username])
    assert allowed == (username == ADMIN)
    for url in ("/workspace/national/", "/national/"):
        assert (client.get(url).status_code == 200) == allowed, url
