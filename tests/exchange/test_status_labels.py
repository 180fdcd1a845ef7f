"""The sender's page names each recipient's exchange status in words ("đã đến", "đã tiếp nhận"),
never the axis's code ("01", "03")."""

from django.template import Context, Template
from django.utils import translation

from documents import incoming
from documents.models import Register
from exchange import statuses
from exchange.models import Direction, Package
from tests.exchange.world import poll, received_document, send


def render(code: str, language: str = "vi") -> str:
    with translation.override(language):
        return Template("{% load exchange_tags %}{{ code|exchange_status }}").render(Context({"code": code}))


def test_each_status_code_reads_as_its_label():
    assert render(statuses.ARRIVED) == "đã đến"
    assert render(statuses.ACCEPTED) == "đã tiếp nhận"
    assert render(statuses.ACCEPTED, "en") == "accepted"
    # Words other apps also translate keep the exchange's own meaning.
    assert render(statuses.REFUSED) == "từ chối tiếp nhận"
    assert render(statuses.PROCESSING) == "đang xử lý"


def test_a_value_that_is_no_status_code_is_shown_as_it_is():
    assert render("queued") == "queued"
    assert render("") == ""


def test_the_outgoing_document_shows_what_each_recipient_did(world, sign_in, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    document, (row,) = send(world, capture)
    poll(capture)
    poll(capture)
    row.refresh_from_db()
    assert row.status == statuses.ARRIVED
    client = sign_in("vanthu.stp")
    page = client.get(f"/workspace/documents/outgoing/{document.pk}/").content.decode()
    assert "– đã đến" in page and "– 01" not in page

    arrived = received_document(Package.objects.get(direction=Direction.IN, kind="document").exchange_id)
    register = Register.objects.get(agency=world.agencies["01840"], direction="incoming", confidential=False)
    with capture(execute=True):
        incoming.accept(document=arrived, clerk=world.users["vanthu.ducxuan"], register=register)
    poll(capture)
    page = client.get(f"/workspace/documents/outgoing/{document.pk}/").content.decode()
    assert "– đã tiếp nhận" in page and "– 03" not in page
