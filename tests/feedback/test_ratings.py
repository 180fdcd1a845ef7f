"""A returned dossier is rated once by the survey's criteria, online by its applicant or on the desk's
tablet through a single-use link; the figures are anonymous, an official's hidden below the minimum."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from feedback import selectors, services
from feedback.models import Rating, RatingChannel, Rules
from tests.feedback.conftest import scores

TODAY = timezone.localdate


def test_the_figures_follow_the_hand_computed_values(demo, returned):
    desk = demo.users["motcua.ducxuan"]
    citizen = demo.users["congdan@example.vn"]
    # Three ratings (satisfied from level 4):
    #   A: 5 5 5 5 5 5 -> mean 5.00, satisfied
    #   B: 4 4 3 3 4 4 -> mean 3.67, not satisfied
    #   C: 2 4 4 5 4 2 -> mean 3.50, not satisfied
    for values in [(5, 5, 5, 5, 5, 5), (4, 4, 3, 3, 4, 4), (2, 4, 4, 5, 4, 2)]:
        services.rate_online(dossier=returned(official=desk), user=citizen, scores=scores(*values))
    figures = selectors.satisfaction([demo.agencies["01840"].pk], TODAY(), TODAY())
    assert figures.ratings == 3 and figures.satisfied_ratings == 1  # 1 of 3
    shares = {c.code: (c.scores, c.satisfied) for c in figures.criteria}
    # access 5,4,2 -> 2 of 3; attitude 5,3,4 -> 2 of 3; time 5,3,5 -> 2 of 3; fees 5,4,2 -> 2 of 3;
    # information 5,4,4 and result 5,4,4 -> 3 of 3.
    assert shares == {"access": (3, 2), "information": (3, 3), "attitude": (3, 2), "time": (3, 2),
                      "result": (3, 3), "fees": (3, 2)}
    assert figures.complaints_received == 0
    # Another agency's figures are not these; a day without data has none at all.
    assert selectors.satisfaction([demo.agencies["01837"].pk], TODAY(), TODAY()) is None
    assert selectors.satisfaction(None, TODAY() - dt.timedelta(days=30), TODAY() - dt.timedelta(days=29)) is None


def test_a_dossier_is_rated_once(demo, returned):
    citizen = demo.users["congdan@example.vn"]
    dossier = returned()
    services.rate_online(dossier=dossier, user=citizen, scores=scores(4, 4, 4, 4, 4, 4))
    with pytest.raises(ValidationError):
        services.rate_online(dossier=dossier, user=citizen, scores=scores(1, 1, 1, 1, 1, 1))
    desk = demo.users["motcua.ducxuan"]
    with pytest.raises(ValidationError):  # nor a second time at the desk
        services.open_kiosk(dossier=dossier, officer=desk)
    assert Rating.objects.filter(dossier=dossier).count() == 1


def test_every_criterion_must_be_rated(demo, returned):
    with pytest.raises(ValidationError):
        services.rate_online(dossier=returned(), user=demo.users["congdan@example.vn"], scores={"access": 5})


def test_a_dossier_not_returned_cannot_be_rated(demo, returned):
    dossier = returned()
    dossier.status = "in_progress"
    dossier.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.rate_online(dossier=dossier, user=demo.users["congdan@example.vn"], scores=scores(5, 5, 5, 5, 5, 5))


def test_the_kiosk_link_is_used_once(demo, returned, sign_in, client):
    dossier = returned()
    desk = sign_in("motcua.ducxuan")
    response = desk.post("/workspace/feedback/kiosk/", {"code": dossier.code})
    assert response.status_code == 302 and response.url.startswith("/feedback/kiosk/")
    # The citizen, on the tablet, without signing in.
    page = client.get(response.url)
    assert page.status_code == 200 and "Nguyễn Văn An" not in page.content.decode()
    form = {f"c_{code}": value for code, value in scores(5, 4, 5, 4, 5, 5).items()}
    assert client.post(response.url, form).status_code == 200
    rating = Rating.objects.get(dossier=dossier)
    assert rating.channel == RatingChannel.KIOSK
    assert client.get(response.url).status_code == 404
    assert client.post(response.url, form).status_code == 404
    assert Rating.objects.filter(dossier=dossier).count() == 1


def test_an_expired_kiosk_link_is_refused(demo, returned):
    link = services.open_kiosk(dossier=returned(), officer=demo.users["motcua.ducxuan"])
    later = timezone.now() + dt.timedelta(minutes=Rules.objects.get().kiosk_minutes + 1)
    with pytest.raises(PermissionDenied):
        services.rate_at_kiosk(token=link.token, scores=scores(5, 5, 5, 5, 5, 5), now=later)


def test_an_officials_figures_are_hidden_below_the_minimum(demo, returned, sign_in):
    desk = demo.users["motcua.ducxuan"]
    citizen = demo.users["congdan@example.vn"]
    assert Rules.objects.get().min_ratings_per_official == 5
    for _ in range(4):
        services.rate_online(dossier=returned(official=desk), user=citizen, scores=scores(5, 5, 5, 5, 5, 5))
    leader = demo.users["chutich.ducxuan"]
    figures = selectors.statistics(leader, TODAY(), TODAY())
    (row,) = [r for r in figures.officials]
    assert row.ratings == 4 and row.hidden and row.satisfied_share is None
    page = sign_in("chutich.ducxuan").get("/workspace/feedback/statistics/")
    assert "Ẩn: chưa đủ 5 lượt đánh giá" in page.content.decode()
    services.rate_online(dossier=returned(official=desk), user=citizen, scores=scores(5, 5, 5, 5, 5, 5))
    (row,) = selectors.statistics(leader, TODAY(), TODAY()).officials
    assert not row.hidden and row.satisfied_share == 1.0
    # The agency's figure does not wait for the minimum, and no rater is ever named.
    assert selectors.statistics(leader, TODAY(), TODAY()).agencies[0].satisfied_share == 1.0


def test_statistics_export_as_excel(demo, returned, sign_in):
    import io

    from openpyxl import load_workbook

    services.rate_online(dossier=returned(), user=demo.users["congdan@example.vn"], scores=scores(5, 5, 5, 5, 5, 5))
    response = sign_in("chutich.ducxuan").get("/workspace/feedback/statistics.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 4
    assert book.worksheets[0].max_row == 7  # the header and six criteria


def test_the_online_rating_page_from_the_dossier_page(demo, returned, sign_in):
    dossier = returned()
    citizen = sign_in("congdan@example.vn")
    detail = citizen.get(f"/dossiers/my/{dossier.pk}/")
    assert f"/feedback/rate/{dossier.pk}/" in detail.content.decode()
    form = {f"c_{code}": value for code, value in scores(4, 4, 4, 4, 4, 4).items()}
    assert citizen.post(f"/feedback/rate/{dossier.pk}/", form).status_code == 302
    assert Rating.objects.get(dossier=dossier).channel == RatingChannel.ONLINE


def test_an_officials_satisfaction_for_the_assessment_waits_for_the_minimum(demo, returned):
    """The figure the officials' assessment reads (recognition) keeps the same anonymity: 4 ratings
    (3 satisfied, mean ≥ 4; 1 not, mean 2) → hidden; a 5th satisfied one → 4 of 5 = 0.8."""
    desk = demo.users["motcua.ducxuan"]
    citizen = demo.users["congdan@example.vn"]
    for values in ((5,) * 6, (4,) * 6, (4, 5, 4, 5, 4, 5), (2,) * 6):
        services.rate_online(dossier=returned(official=desk), user=citizen, scores=scores(*values))
    assert selectors.official_satisfaction([desk.pk], TODAY(), TODAY()) is None
    services.rate_online(dossier=returned(official=desk), user=citizen, scores=scores(5, 5, 5, 5, 5, 5))
    found = selectors.official_satisfaction([desk.pk], TODAY(), TODAY())
    assert (found.count, found.satisfied, found.satisfied_share) == (5, 4, 0.8)
    assert selectors.official_satisfaction([demo.users["tuphap.ducxuan"].pk], TODAY(), TODAY()) is None
