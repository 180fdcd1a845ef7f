"""The retention page: the province's IT department runs it, the auditors read it, nobody else sees
it; what it offers is exactly what the services allow."""

import pytest
from django.test import Client

from accounts.models import User
from retention.models import LegalHold, RetentionRun

from .records import finished, local

pytestmark = pytest.mark.django_db

PAGES = ["/workspace/retention/"]
POSTS = ["/workspace/retention/dry-run/", "/workspace/retention/holds/"]
OUTSIDERS = ["giamdoc.stp", "quantri.stp", "motcua.ducxuan", "chutich.tinh"]
# action: (the form that offers it, how it is asked)
FORMS = {"dry_run": 'action="/workspace/retention/dry-run/"', "hold": 'action="/workspace/retention/holds/"'}


def test_a_visitor_is_sent_to_sign_in():
    for url in PAGES + POSTS:
        response = Client().get(url) if url in PAGES else Client().post(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_citizen_finds_nothing(demo):
    citizen = Client()
    citizen.force_login(User.objects.get(username="congdan@example.vn"))
    assert citizen.get(PAGES[0]).status_code == 404
    assert all(citizen.post(url).status_code == 404 for url in POSTS)


@pytest.mark.parametrize("username", OUTSIDERS)
def test_officials_of_an_agency_find_nothing(sign_in, username):
    client = sign_in(username)
    assert client.get(PAGES[0]).status_code == 404
    assert all(client.post(url, {"dossier_code": "x", "reason": "y"}).status_code == 404 for url in POSTS)
    assert not RetentionRun.objects.exists() and not LegalHold.objects.exists()


def test_the_province_it_department_reads_the_policies_and_runs_a_dry_run(sign_in):
    client = sign_in("quantri.tinh")
    page = client.get(PAGES[0])
    html = page.content.decode()
    assert page.status_code == 200 and "Thời hạn lưu trữ dữ liệu" in html and "Thông tư 10/2022/TT-BNV" in html
    assert "cần xác nhận" in html and 'caption class="visually-hidden"' in html
    response = client.post(POSTS[0])
    report = RetentionRun.objects.get()
    assert response.status_code == 302 and response.url == f"/workspace/retention/runs/{report.pk}/"
    assert report.dry_run and report.trigger == RetentionRun.Trigger.PAGE
    assert report.started_by.username == "quantri.tinh"
    shown = client.get(response.url).content.decode()
    assert "Chạy thử" in shown and "Hồ sơ đã giải quyết xong" in shown


def test_a_hold_is_placed_and_released_from_the_page(sign_in, demo, procedure):
    dossier = finished(demo, procedure, local("2012-05-02"))
    client = sign_in("quantri.tinh")
    assert client.post(POSTS[1], {"dossier_code": dossier.code, "reason": "Thanh tra tỉnh đang kiểm tra"}).status_code == 302
    hold = LegalHold.objects.get(dossier=dossier, released_at=None)
    assert dossier.code in client.get(PAGES[0]).content.decode()
    assert client.post(POSTS[1], {"dossier_code": "KHONG-CO", "reason": "x"}).status_code == 400
    assert client.post(f"/workspace/retention/holds/{hold.pk}/release/").status_code == 302
    assert LegalHold.objects.get(pk=hold.pk).released_by.username == "quantri.tinh"


@pytest.mark.parametrize("username", ["quantri.tinh", "kiemtra.tinh"])
def test_what_the_page_offers_is_what_is_allowed(sign_in, demo, procedure, username):
    dossier = finished(demo, procedure, local("2012-05-02"))
    client = sign_in(username)
    html = client.get(PAGES[0]).content.decode()
    for action, form in FORMS.items():
        offered = form in html
        url = POSTS[0] if action == "dry_run" else POSTS[1]
        status = client.post(url, {"dossier_code": dossier.code, "reason": "Khiếu nại"}).status_code
        assert offered == (status == 302), (username, action, status)
        assert offered or status == 403
    hold = LegalHold.objects.create(dossier=dossier, reason="Khiếu nại", placed_at=dossier.finished_at)
    html = client.get(PAGES[0]).content.decode()
    offered = f'action="/workspace/retention/holds/{hold.pk}/release/"' in html
    status = client.post(f"/workspace/retention/holds/{hold.pk}/release/").status_code
    assert offered == (status == 302) and (offered or status == 403)
