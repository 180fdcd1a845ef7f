"""The architecture pages: who may read and change them, and the export as a PDF."""

import pytest
from django.test import Client

from accounts.models import User
from api.services import create_token
from architecture import discovery
from architecture.demo import load_demo
from architecture.models import ArchitectureVersion, Component, Kind
from directory.models import Agency

pytestmark = pytest.mark.django_db

READERS = ["quantri.tinh", "chutich.tinh", "kiemtra.tinh", "giamdoc.stp", "chutich.ducxuan"]
OUTSIDERS = ["chuyenvien.stp", "truongphong.stp", "motcua.ducxuan", "vanthu.stp", "quantri.stp"]


@pytest.fixture
def model(demo, dot, settings):
    settings.EXCHANGE_AXIS_URL = "http://127.0.0.1:9/"  # as `egov demo` sets it for its axis simulator
    settings.EXCHANGE_SYSTEM_ID = "H19"
    load_demo()
    return demo


@pytest.mark.parametrize("username", READERS)
def test_leaders_auditors_and_the_it_department_read_the_model(model, sign_in, username):
    client = sign_in(username)
    page = client.get("/workspace/architecture/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kiến trúc chính quyền điện tử" in html and "<svg" in html and "Cổng thanh toán" in html
    assert ("Đồng bộ từ cấu hình" in html) == (username == "quantri.tinh")
    component = Component.objects.get(key="module:payments")
    detail = client.get(f"/workspace/architecture/components/{component.pk}/")
    assert detail.status_code == 200 and "Cổng thanh toán" in detail.content.decode()
    assert client.get("/workspace/architecture/versions/").status_code == 200
    assert client.get("/workspace/architecture/export.pdf").status_code == 200


@pytest.mark.parametrize("username", OUTSIDERS)
def test_other_officials_find_nothing(model, sign_in, username):
    client = sign_in(username)
    component = Component.objects.first()
    for url in ("/workspace/architecture/", f"/workspace/architecture/components/{component.pk}/",
                "/workspace/architecture/versions/", "/workspace/architecture/export.pdf"):
        assert client.get(url).status_code == 404, url
    assert client.post("/workspace/architecture/synchronise/").status_code == 404


def test_citizens_and_visitors_are_kept_out(model):
    visitor = Client()
    assert visitor.get("/workspace/architecture/").status_code == 302
    citizen = Client()
    citizen.force_login(User.objects.filter(kind=User.Kind.CITIZEN).first())
    assert citizen.get("/workspace/architecture/").status_code == 404


@pytest.mark.parametrize("username", ["chutich.tinh", "kiemtra.tinh"])
def test_readers_cannot_change_the_model(model, sign_in, username):
    client = sign_in(username)
    for url in ("/workspace/architecture/synchronise/", "/workspace/architecture/versions/publish/",
                "/workspace/architecture/components/new/"):
        assert client.post(url, {"note": "x"}).status_code == 403, url
    assert ArchitectureVersion.objects.count() == 1


def test_the_it_department_enters_a_component_and_a_connection_by_hand(model, sign_in):
    client = sign_in("quantri.tinh")
    response = client.post("/workspace/architecture/components/new/", {
        "layer": "data", "kind": "national_system", "name": "CSDL đất đai <quốc gia>", "status": "planned",
        "description": "Kết nối qua NGSP"})
    assert response.status_code == 302
    land = Component.objects.get(name="CSDL đất đai <quốc gia>")
    assert not land.generated and land.key == ""
    portal = Component.objects.get(key="module:portal")
    response = client.post(f"/workspace/architecture/connections/new/?source={portal.pk}", {
        "source": portal.pk, "target": land.pk, "protocol": "HTTPS", "data_flow": "Thửa đất",
        "direction": "one_way", "status": "planned"})
    assert response.status_code == 302
    page = client.get(f"/workspace/architecture/components/{land.pk}/").content.decode()
    assert "CSDL đất đai &lt;quốc gia&gt;" in page and "<quốc gia>" not in page
    # A generated component is changed by synchronising only.
    assert client.get(f"/workspace/architecture/components/{portal.pk}/edit/").status_code == 404
    client.post("/workspace/architecture/synchronise/")
    assert Component.objects.get(pk=land.pk).name == "CSDL đất đai <quốc gia>"


def _integrations() -> list[str]:
    return [c.name for c in discovery.discover().components if c.kind != Kind.MODULE]


def test_the_export_lists_every_integration_and_changes_when_one_is_added(model, sign_in, pdf_text):
    admin = sign_in("quantri.tinh")
    text = pdf_text(admin.get("/workspace/architecture/export.pdf").content)
    for name in ["Trục liên thông văn bản", "Cổng thanh toán", "Cổng tin nhắn SMS", "Kho khóa (PKCS#11)",
                 "Dịch vụ cấp dấu thời gian (TSA)", *_integrations()]:
        assert name in text, name
    sxd = Agency.objects.get(code=model.agencies["SXD"].code)
    expected = f"Hệ thống quản lý văn bản của {sxd.name}"
    assert expected not in text and "Ứng dụng khách API: doanh nghiệp" not in text

    sxd.on_other_system = True
    sxd.save()
    create_token(user=User.objects.get(kind=User.Kind.BUSINESS, username__contains="doanhnghiep"),
                 name="Phần mềm của doanh nghiệp")
    assert admin.post("/workspace/architecture/synchronise/").status_code == 302
    page = admin.get("/workspace/architecture/").content.decode()
    assert expected in page and "Ứng dụng khách API: doanh nghiệp" in page
    assert admin.post("/workspace/architecture/versions/publish/", {"note": "Sở Xây dựng chuyển hệ thống"}
                      ).status_code == 302
    assert ArchitectureVersion.objects.count() == 2
    compared = admin.get("/workspace/architecture/versions/compare/?before=1&after=2").content.decode()
    added = compared.split('class="added"')[1].split("</ul>")[0]
    assert expected in added and "Ứng dụng khách API: doanh nghiệp" in added

    after = pdf_text(admin.get("/workspace/architecture/export.pdf?version=2").content)
    assert expected in after and "Ứng dụng khách API: doanh nghiệp" in after
    first = pdf_text(admin.get("/workspace/architecture/export.pdf?version=1").content)
    assert expected not in first


def test_the_pdf_is_in_vietnamese_with_its_diacritics(model, sign_in, pdf_text):
    response = sign_in("kiemtra.tinh").get("/workspace/architecture/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="kien-truc-cqdt-')
    text = pdf_text(response.content)
    for words in ("Kiến trúc chính quyền điện tử", "Khung Kiến trúc Chính phủ điện tử Việt Nam phiên bản 3.0",
                  "Lớp Nghiệp vụ", "An toàn thông tin", "Kết nối và luồng dữ liệu", "Dịch vụ công trực tuyến toàn trình"):
        assert words in text, words
