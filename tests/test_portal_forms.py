"""The citizen's forms as people expect them from the National Public Service Portal: no legal fact
chosen for them, the procedure's blank declaration downloadable, dates dd/mm/yyyy, the online
service level in the words of Decree 42/2022/NĐ-CP, no word said twice."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from dossiers.models import Dossier
from procedures import eform
from procedures.models import PaperRequirement, Procedure
from tests.factories import BIRTH_SCHEMA, BIRTH_VALUES, make_procedure, pdf_file, png_file, submit_birth
from tests.test_payments import _ipn, _notification, _start

SCHEMA = {**BIRTH_SCHEMA, "required": [*BIRTH_SCHEMA["required"], "relationship"], "properties": {
    **BIRTH_SCHEMA["properties"],
    "relationship": {"type": "string", "title": "Quan hệ với người được khai sinh", "enum": ["Cha", "Mẹ", "Ông", "Bà"]},
    "delivery": {"type": "string", "title": "Nơi sinh", "enum": ["Cơ sở y tế", "Ngoài cơ sở y tế"],
                 "x-widget": "radio"},
}}
SCHEMA["required"].append("delivery")


@pytest.fixture
def birth(demo):
    return make_procedure(agencies=[demo.agencies["01840"]], schema=SCHEMA)


@pytest.fixture
def citizen_client(sign_in):
    return sign_in("congdan@example.vn")


def _draft_url(client, procedure, demo) -> str:
    response = client.post(f"/dossiers/apply/{procedure.code}/", {"agency": demo.agencies["01840"].pk})
    assert response.status_code == 302
    return response.url


def _select(page: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)


# --- no legal fact chosen for the applicant -------------------------------------------------------

def test_a_list_starts_on_choose_and_nothing_is_selected(birth, demo, citizen_client):
    with translation.override("vi"):
        page = citizen_client.get(_draft_url(citizen_client, birth, demo)).content.decode()
    for name in ("sex", "relationship"):
        select = _select(page, name)
        assert re.search(r'<option value="" selected>— Chọn —</option>', select), select
        assert select.count(" selected") == 1  # only the empty choice
    radios = re.findall(r'<input type="radio" name="delivery"[^>]*>', page)
    assert len(radios) == 2 and not any("checked" in radio for radio in radios)


def test_a_required_choice_left_empty_is_refused_with_a_clear_message(birth, demo, citizen_client):
    url = _draft_url(citizen_client, birth, demo)
    page = citizen_client.post(url, {**BIRTH_VALUES, "sex": "", "review": "1"}).content.decode()
    assert page.count("Vui lòng chọn một trong các giá trị.") == 3  # sex, relationship, the radio group
    assert "/review/" not in citizen_client.post(url, {**BIRTH_VALUES, "review": "1"}).get("Location", "")
    chosen = {**BIRTH_VALUES, "relationship": "Mẹ", "delivery": "Cơ sở y tế", "review": "1"}
    papers = list(birth.current.papers.all())
    chosen.update({"applicant_name": "Nguyễn Thị Hồng", "applicant_phone": "0912345678",
                   f"paper-{papers[0].pk}": pdf_file(), f"paper-{papers[1].pk}": png_file()})
    assert citizen_client.post(url, chosen)["Location"].endswith("/review/")


def test_the_desks_intake_form_chooses_nothing_either(demo):
    form = eform.build_form(SCHEMA)  # the counter's intake builds the same form (with a prefix)
    html = str(form["relationship"])
    assert '<option value="" selected>— Chọn —</option>' in html and html.count(" selected") == 1
    assert not eform.build_form(SCHEMA, data={"delivery": ""}).is_valid()
    with pytest.raises(eform.SchemaError):
        eform.check_schema({"type": "object", "properties": {"x": {"type": "string", "title": "X", "x-widget": "radio"}}})


# --- dates dd/mm/yyyy ------------------------------------------------------------------------------

def test_a_date_typed_as_dd_mm_yyyy_is_accepted_and_shown_so(birth, demo, citizen_client):
    url = _draft_url(citizen_client, birth, demo)
    citizen_client.post(url, {**BIRTH_VALUES, "birth_date": "20/11/2026", "save": "1"})
    dossier = Dossier.objects.get(pk=int(re.search(r"/my/(\d+)/", url).group(1)))
    assert dossier.form_data["birth_date"] == "2026-11-20"  # stored ISO
    page = citizen_client.get(url).content.decode()
    # Shown back as typed, in a text box (a browser's own date input shows its interface language's order).
    field = re.search(r'<input type="text" name="birth_date" value="([^"]*)"[^>]*>', page)
    assert field and field.group(1) == "20/11/2026" and 'placeholder="ngày/tháng/năm"' in field.group(0)
    review = citizen_client.get(f"/dossiers/my/{dossier.pk}/review/").content.decode()
    assert "20/11/2026" in review and "2026-11-20" not in review


def test_an_impossible_date_is_refused_in_the_applicants_format(birth, demo, citizen_client):
    url = _draft_url(citizen_client, birth, demo)
    page = citizen_client.post(url, {**BIRTH_VALUES, "birth_date": "31/02/2026", "review": "1"}).content.decode()
    assert "Nhập ngày theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 25/03/2024." in page


def test_vietnamese_dates_are_day_month_year():
    moment = dt.datetime(2026, 3, 5, 9, 7, tzinfo=dt.UTC)
    with translation.override("vi"):
        text = Template("{{ d|date }} {{ d|date:'SHORT_DATE_FORMAT' }} {{ m|date:'DATETIME_FORMAT' }}").render(
            Context({"d": dt.date(2026, 3, 5), "m": moment}))
        assert text == "05/03/2026 05/03/2026 16:07 05/03/2026"
        from django import forms

        assert forms.DateField().clean("05/03/2026") == dt.date(2026, 3, 5)
        assert forms.DateField().clean("2026-03-05") == dt.date(2026, 3, 5)


# --- the procedure's blank declaration --------------------------------------------------------------

@pytest.fixture
def catalog(demo):
    from procedures.demo import load_catalog

    load_catalog()
    return Procedure.objects.get(code="1.001193")


def test_the_birth_registration_ships_its_declaration_once(catalog):
    from procedures.demo import attach_declarations, load_catalog

    paper = catalog.current.papers.get(name="Tờ khai đăng ký khai sinh theo mẫu")
    assert paper.template.name.endswith(".pdf")
    load_catalog()
    assert attach_declarations() == 0
    assert PaperRequirement.objects.exclude(template="").count() == 1
    assert catalog.versions.count() == 1


def test_the_declaration_is_downloadable_from_the_procedure_page(catalog, client):
    page = client.get("/procedures/1.001193/").content.decode()
    paper = catalog.current.papers.get(name="Tờ khai đăng ký khai sinh theo mẫu")
    link = f"/procedures/1.001193/papers/{paper.pk}/template/"
    assert f'href="{link}"' in page and "Tải mẫu tờ khai" in page
    response = client.get(link)  # a public document: no sign-in
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = catalog.current.papers.exclude(pk=paper.pk).first()
    assert client.get(f"/procedures/1.001193/papers/{other.pk}/template/").status_code == 404  # has none
    assert client.get(f"/procedures/1.000894/papers/{paper.pk}/template/").status_code == 404  # not its paper


def test_the_e_form_says_the_signed_declaration_is_still_required(catalog, demo, citizen_client):
    response = citizen_client.post("/dossiers/apply/1.001193/", {"agency": catalog.current.agencies.first().pk})
    page = citizen_client.get(response.url).content.decode()
    assert "Tải mẫu tờ khai" in page
    assert "giấy tờ này vẫn phải nộp: in mẫu, ký và đính kèm tại đây" in page


def test_the_service_level_reads_as_decree_42_says(catalog, client):
    page = client.get("/procedures/1.001193/").content.decode()
    assert "Dịch vụ công trực tuyến toàn trình (mức độ 4)" in page
    listing = client.get("/procedures/").content.decode()
    assert "Dịch vụ công trực tuyến một phần" in listing


# --- no word said twice ------------------------------------------------------------------------------

def test_a_paid_dossier_says_paid_once(demo, citizen_client, client):
    birth = make_procedure(agencies=[demo.agencies["01840"]], code="9.000002")
    citizen = demo.users["congdan@example.vn"]
    dossier = submit_birth(demo, birth)
    _ipn(client, _notification(_start(dossier, citizen)))
    page = citizen_client.get(f"/dossiers/my/{dossier.pk}/").content.decode()
    panel = re.sub(r"<[^>]+>", " ", re.search(r'id="h-payment".*?</section>', page, re.S).group(0))
    panel = " ".join(panel.split())
    assert "Đã thanh toán 16.000 đ trực tuyến lúc" in panel
    assert panel.lower().count("thanh toán") == 2  # the heading ("Thanh toán phí, lệ phí") and the state
