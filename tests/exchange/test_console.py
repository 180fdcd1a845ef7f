"""The clerk's exchange console: an agency's clerks and leaders see its packages only; a dead
letter's retry and a recall's answer are offered exactly to those who may do them; Vietnamese by
default."""

import pytest

from exchange import policy
from exchange.models import Direction, Package, State
from tests.exchange.world import poll, received_document, send

WHO = ["vanthu.stp", "giamdoc.stp", "chuyenvien.stp", "vanthu.ducxuan", "congdan@example.vn"]
# What each may do on Sở Tư pháp's dead letter: see the console, see the package, retry it.
EXPECTED = {
    "vanthu.stp": (200, 200, True),
    "giamdoc.stp": (200, 200, True),
    "chuyenvien.stp": (403, 403, False),  # a specialist: not the agency's exchange
    "vanthu.ducxuan": (200, 404, False),  # another agency's clerk: its own console, not this package
    "congdan@example.vn": (302, 302, False),  # a citizen: to the login
}


@pytest.fixture
def dead_letter(world, django_capture_on_commit_callbacks):
    document, _rows = send(world, django_capture_on_commit_callbacks, to=("BK:STP",))  # no system serves it
    package = Package.objects.get(document=document, direction=Direction.OUT)
    assert package.state == State.DEAD
    return package


@pytest.mark.parametrize("username", WHO)
def test_the_console_and_a_dead_letter_offered_exactly_when_allowed(world, dead_letter, sign_in, username):
    client = sign_in(username)
    console, detail, may_retry = EXPECTED[username]
    user = world.users[username]
    assert policy.may_retry(user, dead_letter) is may_retry
    page = client.get("/workspace/exchange/?tab=dead")
    assert page.status_code == console
    if console == 200:
        html = page.content.decode()
        assert '<html lang="vi"' in html and "Liên thông văn bản" in html
        assert (f"/workspace/exchange/packages/{dead_letter.pk}/retry/" in html) is may_retry
        assert (dead_letter.error in html) is may_retry  # another agency's packages are not listed
    shown = client.get(f"/workspace/exchange/packages/{dead_letter.pk}/")
    assert shown.status_code == detail
    if detail == 200:
        assert dead_letter.error in shown.content.decode() and "05-QD-STP.pdf" in shown.content.decode()
    answer = client.post(f"/workspace/exchange/packages/{dead_letter.pk}/retry/")
    dead_letter.refresh_from_db()
    if may_retry:
        assert answer.status_code == 302 and dead_letter.state != State.DEAD
    else:
        assert answer.status_code in (302, 403, 404) and dead_letter.state == State.DEAD


@pytest.mark.parametrize("username", ["vanthu.ducxuan", "chutich.ducxuan", "tuphap.ducxuan", "vanthu.stp"])
def test_a_recall_answer_offered_exactly_when_allowed(world, sign_in, django_capture_on_commit_callbacks,
                                                      username):
    from documents import distribution

    capture = django_capture_on_commit_callbacks
    document, _rows = send(world, capture)
    poll(capture)
    with capture(execute=True):
        distribution.recall(document, world.users["giamdoc.stp"], "Sai căn cứ pháp lý")
    poll(capture)
    arrived = received_document(Package.objects.get(direction=Direction.IN, kind="document").exchange_id)
    allowed = policy.may_answer_recall(world.users[username], arrived)
    assert allowed is (username in ("vanthu.ducxuan", "chutich.ducxuan"))
    client = sign_in(username)
    console = client.get("/workspace/exchange/")
    assert (f"/workspace/exchange/recalls/{arrived.pk}/" in console.content.decode()) is allowed
    page = client.get(f"/workspace/exchange/recalls/{arrived.pk}/")
    assert (page.status_code == 200) is allowed
    with capture(execute=True):
        answer = client.post(f"/workspace/exchange/recalls/{arrived.pk}/refuse/",
                             {"refuse-reason": "Văn bản đã xử lý xong"})
    assert (answer.status_code == 302) is allowed
    assert policy.recall_waiting(arrived) is not allowed


def test_the_sender_sees_who_received_and_handled_the_document(world, sign_in, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    document, rows = send(world, capture)
    poll(capture)
    poll(capture)
    clerk = sign_in("vanthu.stp")
    page = clerk.get(f"/workspace/exchange/documents/{document.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and world.agencies["01840"].name in html and 'data-status="01"' in html
    outgoing_page = clerk.get(f"/workspace/documents/outgoing/{document.pk}/").content.decode()
    assert f"/workspace/exchange/documents/{document.pk}/#recipient-{rows[0].pk}" in outgoing_page
    assert sign_in("tuphap.ducxuan").get(f"/workspace/exchange/documents/{document.pk}/").status_code == 404
