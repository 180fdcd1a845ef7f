"""A person's own data (Decree 13/2023/NĐ-CP): who among the officials opened their dossiers, and all
of it in one download; nobody else's."""

import io
import json
import zipfile

from django.test import Client

from audit.models import AuditEntry
from tests.dossier_scenarios import DESK, accepted, birth_procedure

CITIZEN = "congdan@example.vn"


def test_the_person_sees_which_official_opened_their_dossier(sign_in, demo):
    dossier = accepted(demo, birth_procedure(demo))
    officer = sign_in(DESK)
    assert officer.get(f"/workspace/dossiers/{dossier.pk}/").status_code == 200
    page = sign_in(CITIZEN).get("/account/my-data/")
    assert page.status_code == 200
    looks = page.context["looks"]
    desk = demo.users[DESK]
    assert [look.dossier_code for look in looks] == [dossier.code]
    assert looks[0].official == (desk.get_full_name() or desk.username) and "applicant_id_number" in looks[0].what


def test_the_download_holds_my_dossiers_and_papers_and_is_recorded(sign_in, demo):
    dossier = accepted(demo, birth_procedure(demo))
    response = sign_in(CITIZEN).get("/account/my-data/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(bundle.read("du-lieu.json"))
    assert [d["code"] for d in data["dossiers"]] == [dossier.code]
    assert data["dossiers"][0]["applicant"]["applicant_name"] == dossier.applicant_name
    papers = [name for name in bundle.namelist() if name.startswith(f"ho-so/{dossier.code}/")]
    assert len(papers) >= 2
    assert AuditEntry.objects.filter(action="export", object_type="accounts.user",
                                     object_id=str(demo.users[CITIZEN].pk)).exists()


def test_another_person_gets_none_of_it(sign_in, demo):
    dossier = accepted(demo, birth_procedure(demo))
    sign_in(DESK).get(f"/workspace/dossiers/{dossier.pk}/")
    other = sign_in("doanhnghiep@example.vn")
    assert other.get("/account/my-data/").context["looks"] == []
    data = json.loads(zipfile.ZipFile(io.BytesIO(other.get("/account/my-data/download/").content)).read("du-lieu.json"))
    assert data["dossiers"] == [] and data["who_looked"] == []
    assert dossier.code not in json.dumps(data)


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get("/account/my-data/download/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
