"""The national business registration database: a business applicant's e-form filled in from it,
another enterprise refused, the enterprise shown to the desk at intake. Against the simulator."""

import pytest

from dossiers import services
from dossiers.models import Dossier
from national import business
from national.models import RegistryLookup
from tests.factories import BIRTH_SCHEMA, BIRTH_VALUES, make_procedure, pdf_file, png_file
from tests.national.sims import serving

OWN = "4700123456"  # Công ty TNHH Nông sản Ba Bể, the demo business account's company
OTHER = "4600234567"
SCHEMA = {**BIRTH_SCHEMA,
          "properties": {**BIRTH_SCHEMA["properties"],
                         "company": {"type": "string", "title": "Tên doanh nghiệp"},
                         "representative": {"type": "string", "title": "Người đại diện theo pháp luật"}},
          "x-prefill": {"company": "business_name"}, "x-business": {"representative": "legal_representative"}}


@pytest.fixture
def registry(settings, tmp_path):
    with serving("business", tmp_path, settings) as sim:
        yield sim


@pytest.fixture
def company(demo):
    return demo.users["doanhnghiep@example.vn"]


@pytest.fixture
def procedure(demo):
    return make_procedure(agencies=[demo.agencies["01840"]], schema=SCHEMA)


def test_a_business_applicants_e_form_is_filled_in_from_the_register(registry, procedure, company, demo, sign_in):
    dossier = services.start_draft(applicant=company, procedure=procedure, agency=demo.agencies["01840"])
    client = sign_in("doanhnghiep@example.vn")
    assert "Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp" in client.get(f"/dossiers/my/{dossier.pk}/edit/").content.decode()
    assert client.post(f"/dossiers/my/{dossier.pk}/business/", {"code": OWN}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Công ty TNHH Nông sản Ba Bể"
    assert dossier.applicant_address == "Số 5 đường Trường Chinh, phường Đức Xuân, tỉnh Thái Nguyên"
    assert dossier.form_data["company"] == "Công ty TNHH Nông sản Ba Bể"
    assert dossier.form_data["representative"] == "Trần Văn Nam"
    lookup = RegistryLookup.objects.get()
    assert lookup.system == "business" and lookup.outcome == "found" and "representative" in lookup.filled


def test_another_enterprise_is_refused(registry, procedure, company, demo, sign_in):
    dossier = services.start_draft(applicant=company, procedure=procedure, agency=demo.agencies["01840"])
    response = sign_in("doanhnghiep@example.vn").post(f"/dossiers/my/{dossier.pk}/business/", {"code": OTHER},
                                                       follow=True)
    assert "chỉ có thể tra cứu doanh nghiệp" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).applicant_name == "Trần Văn Nam"  # unchanged
    assert RegistryLookup.objects.get().outcome == "refused"


def test_an_unknown_code_is_a_clear_not_found(registry, demo):
    with pytest.raises(business.NotFound):
        business.look_up(user=demo.users["motcua.ducxuan"], code="4700999999")


def test_the_enterprise_is_shown_at_intake(registry, procedure, company, demo, sign_in):
    dossier = services.start_draft(applicant=company, procedure=procedure, agency=demo.agencies["01840"])
    services.save_draft(dossier=dossier, applicant=company, form_values=BIRTH_VALUES)
    papers = list(procedure.current.papers.all())
    services.attach_papers(dossier=dossier, user=company, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()})
    dossier = services.submit(dossier=dossier, applicant=company)
    page = sign_in("motcua.ducxuan").get(f"/workspace/dossiers/{dossier.pk}/").content.decode()
    assert "Người đại diện theo pháp luật" in page and "Trần Văn Nam" in page and "Đang hoạt động" in page
    lookup = RegistryLookup.objects.get()
    assert lookup.actor == demo.users["motcua.ducxuan"] and lookup.dossier == dossier
