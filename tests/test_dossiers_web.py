"""The applicant's pages and the public lookup, through HTTP as a browser would use them."""

import re

import pytest

from audit.models import AuditEntry
from dossiers import workflow
from dossiers.models import Dossier
from dossiers.states import Status
from tests.factories import BIRTH_VALUES, make_procedure, pdf_file, png_file, submit_birth


@pytest.fixture
def birth(demo):
    return make_procedure(agencies=[demo.agencies["01840"], demo.agencies["01837"]])


@pytest.fixture
def citizen_client(sign_in):
    return sign_in("congdan@example.vn")


def _apply_over_http(client, birth, demo):
    response = client.post(f"/dossiers/apply/{birth.code}/", {"agency": demo.agencies["01840"].pk})
    assert response.status_code == 302
    edit_url = response.url
    page = client.get(edit_url).content.decode()
    assert 'value="Nguyễn Thị Hồng"' in page  # prefilled from the profile
    papers = list(birth.current.papers.all())
    form = {**BIRTH_VALUES, "applicant_name": "Nguyễn Thị Hồng", "applicant_phone": "0912345678",
            "applicant_email": "congdan@example.vn", f"paper-{papers[0].pk}": pdf_file(),
            f"paper-{papers[1].pk}": png_file(), "review": "1"}
    response = client.post(edit_url, form)
    assert response.status_code == 302 and response.url.endswith("/review/")
    return Dossier.objects.get(pk=int(re.search(r"/my/(\d+)/", edit_url).group(1)))


def test_citizen_applies_reviews_and_submits_once_even_when_clicking_twice(birth, demo, citizen_client):
    dossier = _apply_over_http(citizen_client, birth, demo)
    review = citizen_client.get(f"/dossiers/my/{dossier.pk}/review/").content.decode()
    assert "Nguyễn Minh An" in review and "16.000 đ" in review
    first = citizen_client.post(f"/dossiers/my/{dossier.pk}/submit/")
    second = citizen_client.post(f"/dossiers/my/{dossier.pk}/submit/")
    assert first.url == second.url == f"/dossiers/my/{dossier.pk}/receipt/"
    dossier.refresh_from_db()
    receipt = citizen_client.get(first.url).content.decode()
    assert dossier.code in receipt and dossier.status == Status.SUBMITTED
    assert Dossier.objects.filter(applicant=demo.users["congdan@example.vn"]).count() == 1
    mine = citizen_client.get("/dossiers/my/").content.decode()
    assert dossier.code in mine


def test_a_saved_draft_can_be_resumed(birth, demo, citizen_client):
    response = citizen_client.post(f"/dossiers/apply/{birth.code}/", {"agency": demo.agencies["01840"].pk})
    citizen_client.post(response.url, {"child_name": "Bé Na", "applicant_name": "Nguyễn Thị Hồng",
                                       "applicant_phone": "0912345678", "save": "1"})
    assert "Bé Na" in citizen_client.get(response.url).content.decode()
    assert "Bé Na" not in citizen_client.get("/dossiers/my/").content.decode()  # listed as a draft by procedure
    assert birth.current.name in citizen_client.get("/dossiers/my/").content.decode()


def test_review_lists_what_is_missing_and_submit_refuses(birth, demo, citizen_client):
    response = citizen_client.post(f"/dossiers/apply/{birth.code}/", {"agency": demo.agencies["01840"].pk})
    pk = int(re.search(r"/my/(\d+)/", response.url).group(1))
    review = citizen_client.get(f"/dossiers/my/{pk}/review/").content.decode()
    assert "Giấy chứng sinh" in review
    citizen_client.post(f"/dossiers/my/{pk}/submit/")
    assert Dossier.objects.get(pk=pk).status == Status.DRAFT


def test_bad_upload_is_refused_with_a_reason_and_the_typed_data_is_kept(birth, demo, citizen_client):
    response = citizen_client.post(f"/dossiers/apply/{birth.code}/", {"agency": demo.agencies["01840"].pk})
    papers = list(birth.current.papers.all())
    page = citizen_client.post(response.url, {"child_name": "Bé Na", f"paper-{papers[2].pk}": png_file("x.pdf"),
                                              "save": "1"}, follow=True).content.decode()
    assert "PDF" in page and "Bé Na" in page


def _submitted(birth, demo):
    return submit_birth(demo, birth)


def test_papers_are_served_only_to_the_applicant_and_officials_in_scope(birth, demo, sign_in, citizen_client):
    dossier = _submitted(birth, demo)
    paper = dossier.files.first()
    url = f"/dossiers/files/{paper.pk}/"
    response = citizen_client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert sign_in("doanhnghiep@example.vn").get(url).status_code == 404
    assert sign_in("motcua.stp").get(url).status_code == 404  # another agency
    officer = sign_in("motcua.ducxuan")
    assert officer.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="read", object_type="dossiers.dossierfile", actor_label="motcua.ducxuan",
                                     object_id=str(paper.pk)).exists()
    from django.test import Client

    assert Client().get(url).status_code == 302  # anonymous: sign in first


def test_public_lookup_shows_no_personal_data_without_the_second_factor(birth, demo, client):
    dossier = _submitted(birth, demo)
    page = client.get("/dossiers/lookup/", {"code": dossier.code}).content.decode()
    assert dossier.code in page and "Nguyễn Thị Hồng" not in page and "0912345678" not in page
    assert "Ủy ban nhân dân phường Đức Xuân" in page
    wrong = client.post("/dossiers/lookup/", {"code": dossier.code, "secret": "0999999999"}).content.decode()
    assert "Nguyễn Thị Hồng" not in wrong
    right = client.post("/dossiers/lookup/", {"code": dossier.code, "secret": "0912 345 678"}).content.decode()
    assert "Nguyễn Thị Hồng" in right
    missing = client.get("/dossiers/lookup/", {"code": "000.00.60.H05-200101-0001"}).content.decode()
    assert "Không có hồ sơ" in missing or "No dossier" in missing
    # The phone or ID number is never taken from the URL (browser history, proxies, logs): the form
    # sends it by POST, and a link carrying it shows the status only.
    in_url = client.get("/dossiers/lookup/", {"code": dossier.code, "secret": "0912345678"}).content.decode()
    assert dossier.code in in_url and "Nguyễn Thị Hồng" not in in_url
    assert 'method="post"' in page


def test_guessing_the_second_factor_is_stopped_after_ten_tries(birth, demo, client):
    dossier = _submitted(birth, demo)
    for n in range(10):
        client.post("/dossiers/lookup/", {"code": dossier.code, "secret": f"09000000{n:02d}"})
    right = client.post("/dossiers/lookup/", {"code": dossier.code, "secret": "0912345678"}).content.decode()
    assert "Nguyễn Thị Hồng" not in right


def test_supplement_request_is_answered_online_and_the_dossier_goes_back(birth, demo, citizen_client):
    dossier = _submitted(birth, demo)
    officer = demo.users["motcua.ducxuan"]
    workflow.request_supplement(dossier=dossier, acting_user=officer,
                                missing=["Bổ sung bản sao giấy chứng sinh rõ nét"])
    page = citizen_client.get(f"/dossiers/my/{dossier.pk}/").content.decode()
    assert "Bổ sung bản sao giấy chứng sinh rõ nét" in page
    papers = list(birth.current.papers.all())
    citizen_client.post(f"/dossiers/my/{dossier.pk}/supplement/", {f"paper-{papers[1].pk}": png_file("ro-net.png"),
                                                                    "note": "Đã bổ sung"})
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.files.filter(purpose="supplement", original_name="ro-net.png").exists()


def test_withdrawal_needs_a_reason_and_is_final(birth, demo, citizen_client):
    dossier = _submitted(birth, demo)
    citizen_client.post(f"/dossiers/my/{dossier.pk}/withdraw/", {"reason": ""})
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    citizen_client.post(f"/dossiers/my/{dossier.pk}/withdraw/", {"reason": "Nộp nhầm thủ tục"})
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN and dossier.finished_at is not None


def test_rating_is_possible_only_after_the_result(birth, demo, citizen_client):
    dossier = _submitted(birth, demo)
    citizen_client.post(f"/dossiers/my/{dossier.pk}/rate/", {"rating": "5"})
    dossier.refresh_from_db()
    assert dossier.rating is None
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.COMPLETED)  # settled and returned
    citizen_client.post(f"/dossiers/my/{dossier.pk}/rate/", {"rating": "4", "comment": "Nhanh, chu đáo"})
    dossier.refresh_from_db()
    assert dossier.rating == 4 and dossier.rating_comment == "Nhanh, chu đáo"


def test_other_peoples_dossier_pages_do_not_exist_for_me(birth, demo, sign_in):
    dossier = _submitted(birth, demo)
    other = sign_in("doanhnghiep@example.vn")
    for path in ("", "edit/", "review/", "receipt/"):
        assert other.get(f"/dossiers/my/{dossier.pk}/{path}").status_code == 404
    assert other.post(f"/dossiers/my/{dossier.pk}/withdraw/", {"reason": "x"}).status_code == 404


def test_the_applicant_gets_the_slips_and_the_result_only_once_returned(birth, demo, citizen_client, sign_in):
    from dossiers import workflow
    from dossiers.models import FilePurpose, Slip
    from dossiers.slips import render

    dossier = _submitted(birth, demo)
    dossier = workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
                              unit=demo.units[("01840", "Tư pháp - Hộ tịch")])
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    render(receipt.pk)
    page = citizen_client.get(f"/dossiers/my/{dossier.pk}/").content.decode()
    assert f"/dossiers/slips/{receipt.pk}/" in page
    assert citizen_client.get(f"/dossiers/slips/{receipt.pk}/").status_code == 200
    assert sign_in("doanhnghiep@example.vn").get(f"/dossiers/slips/{receipt.pk}/").status_code == 404
    from dossiers.results import prepare_result

    result = prepare_result(dossier=dossier, acting_user=demo.users["tuphap.ducxuan"])
    assert result.purpose == FilePurpose.RESULT
    assert f"/dossiers/files/{result.pk}/" not in citizen_client.get(f"/dossiers/my/{dossier.pk}/").content.decode()
