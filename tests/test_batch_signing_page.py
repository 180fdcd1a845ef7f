"""A leader signs several approved results from the workspace with one confirmation."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from dossiers import results
from signing.models import BatchSigning
from tests.test_result_issuance import approved  # noqa: F401 - fixture
from tests.test_signing import code

pytestmark = pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")


def test_one_confirmation_signs_the_chosen_results(approved, demo, sign_in,  # noqa: F811
                                                   django_capture_on_commit_callbacks):
    leader = demo.users["chutich.ducxuan"]
    client = sign_in("chutich.ducxuan")
    page = client.get("/workspace/dossiers/to-sign/").content.decode()
    assert approved.code in page
    device = TOTPDevice.objects.get(user=leader, confirmed=True)
    wrong = client.post("/workspace/dossiers/to-sign/", {"dossiers": [approved.pk], "password": "sai",
                                                         "otp_token": code(device, 1)}, follow=True)
    assert "Mật khẩu" in wrong.content.decode() or "mật khẩu" in wrong.content.decode()
    assert not BatchSigning.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the batch runs after commit
        response = client.post("/workspace/dossiers/to-sign/", {
            "dossiers": [approved.pk], "password": "ThaiNguyen@2026", "otp_token": code(device, 1)})
    assert response.status_code == 302
    batch = BatchSigning.objects.get(created_by=leader)
    assert (batch.total, batch.done, batch.failed) == (1, 1, 0)
    progress = client.get(response.url).content.decode()
    assert "Đã ký 1 trên 1 kết quả, 0 lỗi." in progress
    assert results.is_signed(results.result_for(approved))
    assert approved.code not in client.get("/workspace/dossiers/to-sign/").content.decode()
    other = sign_in("giamdoc.sxd")
    assert approved.code not in other.get("/workspace/dossiers/to-sign/").content.decode()


def test_a_result_that_changed_before_its_turn_is_listed_with_the_reason(approved, demo, sign_in,  # noqa: F811
                                                                         django_capture_on_commit_callbacks):
    from django.db.models import F

    from dossiers.models import Dossier

    client = sign_in("chutich.ducxuan")
    device = TOTPDevice.objects.get(user=demo.users["chutich.ducxuan"], confirmed=True)
    with django_capture_on_commit_callbacks() as queued:  # chosen and confirmed; not run yet
        response = client.post("/workspace/dossiers/to-sign/", {
            "dossiers": [approved.pk], "password": "ThaiNguyen@2026", "otp_token": code(device, 1)})
    # Before its turn the result is handed over on paper at the counter.
    Dossier.objects.filter(pk=approved.pk).update(status="completed", revision=F("revision") + 1)
    for run in queued:
        run()
    progress = client.get(response.url).content.decode()
    assert "Đã ký 0 trên 1 kết quả, 1 lỗi." in progress
    assert f"{approved.code}: Chỉ ký số kết quả đã được phê duyệt." in progress
    assert not results.is_signed(results.result_for(approved))
