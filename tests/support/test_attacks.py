"""Someone else's support request: another citizen, another agency's desk, a visitor guessing
addresses — none of them reads, answers or rates it."""

import pytest

from support import services
from support.models import Channel, RequestStatus, Topic


@pytest.fixture
def asked(draft, citizen):
    return services.ask(user=citizen, channel=Channel.PORTAL, name="Nguyễn Thị Hồng", topic=Topic.DOSSIER,
                        question="Bao giờ có kết quả?", context=services.Context(dossier=str(draft.pk)))


@pytest.fixture
def anonymous(help_centre, demo):
    request = services.ask(user=None, channel=Channel.PORTAL, name="Lý Văn Cường", email="cuong@example.vn",
                           topic=Topic.PROCEDURE, question="Lệ phí bao nhiêu?")
    request.agency = demo.agencies["01840"]
    request.save()
    return request


def test_another_citizen_cannot_read_or_list_it(asked, sign_in):
    other = sign_in("doanhnghiep@example.vn")
    assert "Bao giờ có kết quả?" not in other.get("/help/requests/").content.decode()
    assert other.get(f"/help/requests/{asked.pk}/").status_code == 404
    assert other.get("/workspace/support/").status_code == 302  # not an official: to the sign-in page
    assert other.get(f"/workspace/support/requests/{asked.pk}/").status_code == 302
    own = sign_in("congdan@example.vn")
    assert "Bao giờ có kết quả?" in own.get(f"/help/requests/{asked.token}/").content.decode()


def test_another_agencys_desk_officer_neither_reads_nor_answers_it(asked, sign_in):
    desk = sign_in("motcua.stp")
    assert "Bao giờ có kết quả?" not in desk.get("/workspace/support/?tab=all").content.decode()
    assert desk.get(f"/workspace/support/requests/{asked.pk}/").status_code == 404
    assert desk.post(f"/workspace/support/requests/{asked.pk}/", {"answer": "Xong."}).status_code == 404
    assert desk.post(f"/workspace/support/requests/{asked.pk}/escalate/").status_code == 404
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN and asked.escalated_at is None


def test_a_visitor_guessing_addresses_finds_nothing(anonymous, client, demo):
    assert len(anonymous.token) >= 32
    for guess in (str(anonymous.pk), anonymous.token[:-1] + ("A" if anonymous.token[-1] != "A" else "B"), "x" * 80):
        assert client.get(f"/help/requests/{guess}/").status_code == 404
        assert client.post(f"/help/requests/{guess}/rate/", {"rating": 1}).status_code == 404
    services.answer(request=anonymous, official=demo.users["motcua.ducxuan"], text="8.000 đồng.")
    assert "8.000 đồng." in client.get(f"/help/requests/{anonymous.token}/").content.decode()
    client.post(f"/help/requests/{anonymous.token}/rate/", {"rating": 4})
    anonymous.refresh_from_db()
    assert anonymous.rating == 4


def test_a_link_to_another_site_is_not_kept_as_the_page(help_centre, client):
    client.post("/help/ask/", {"name": "A", "email": "a@example.vn", "topic": "procedure", "question": "?",
                               "page": "https://evil.example/phish"})
    from support.models import SupportRequest

    assert SupportRequest.objects.get().page == ""
