"""Nobody rates a dossier that is not theirs, reads another agency's feedback, or guesses a link."""

import pytest
from django.core.exceptions import PermissionDenied

from feedback import services
from feedback.models import Complaint, Rating, Subject
from tests.feedback.conftest import scores


def test_another_citizen_cannot_rate_my_dossier(demo, returned, sign_in):
    dossier = returned()
    other = demo.users["doanhnghiep@example.vn"]
    with pytest.raises(PermissionDenied):
        services.rate_online(dossier=dossier, user=other, scores=scores(1, 1, 1, 1, 1, 1))
    client = sign_in("doanhnghiep@example.vn")
    form = {f"c_{code}": 1 for code in scores(1, 1, 1, 1, 1, 1)}
    assert client.get(f"/feedback/rate/{dossier.pk}/").status_code == 404
    assert client.post(f"/feedback/rate/{dossier.pk}/", form).status_code == 404
    assert not Rating.objects.filter(dossier=dossier).exists()


def test_another_agencys_desk_cannot_open_the_tablet_for_my_dossier(demo, returned):
    with pytest.raises(PermissionDenied):
        services.open_kiosk(dossier=returned(), officer=demo.users["motcua.stp"])


def test_a_guessed_kiosk_token_finds_nothing(demo, returned, client):
    services.open_kiosk(dossier=returned(), officer=demo.users["motcua.ducxuan"])
    form = {f"c_{code}": 5 for code in scores(5, 5, 5, 5, 5, 5)}
    for guess in ("1", "a" * 43, "../../admin", ""):
        assert client.post(f"/feedback/kiosk/{guess}/", form).status_code == 404
    with pytest.raises(PermissionDenied):
        services.rate_at_kiosk(token="a" * 43, scores=scores(5, 5, 5, 5, 5, 5))
    assert not Rating.objects.exists()


def test_another_agency_cannot_read_or_answer_my_agencys_feedback(demo, returned, sign_in):
    complaint = services.send(user=None, sender=services.Sender(name="Trần Thị Bình", phone="0987654321"),
                              subject=Subject.DOSSIER, content="Hồ sơ trả chậm.",
                              dossier=returned())
    assert complaint.agency == demo.agencies["01840"]
    other = sign_in("motcua.stp")
    assert other.get(f"/workspace/feedback/{complaint.pk}/").status_code == 404
    assert other.post(f"/workspace/feedback/{complaint.pk}/", {"answer": "x"}).status_code == 404
    assert "Trần Thị Bình" not in other.get("/workspace/feedback/?tab=all").content.decode()
    with pytest.raises(PermissionDenied):
        services.answer(complaint=complaint, official=demo.users["motcua.stp"], text="x")
    own = sign_in("motcua.ducxuan")
    assert "Trần Thị Bình" in own.get(f"/workspace/feedback/{complaint.pk}/").content.decode()
    assert Complaint.objects.get(pk=complaint.pk).answer == ""


def test_a_dossier_is_attached_only_with_the_requesters_access(demo, returned, client):
    dossier = returned()
    assert services.verified_dossier(None, dossier.code, "0000000000") is None
    assert services.verified_dossier(demo.users["doanhnghiep@example.vn"], dossier.code) is None
    assert services.verified_dossier(None, dossier.code, "0912345678") == dossier
    assert services.verified_dossier(demo.users["congdan@example.vn"], dossier.code) == dossier
