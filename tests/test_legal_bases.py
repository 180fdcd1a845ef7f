"""Legal bases as data (decision 0012): a dossier uses the one-stop form set in force on the day it was
submitted. A dossier of 30 June 2025 keeps the Circular 01/2018 slips; one submitted today gets the
Circular 03/2025 set, and nothing rendered for it cites a repealed text."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from dossiers import slips, workflow
from dossiers.models import Dossier, Slip
from legal.models import FormSet
from legal.selectors import NoFormSet, form_set_on
from tests.factories import make_procedure
from tests.test_slips import pdf_text
from tests.test_time_limits_in_force import _one_step
from tests.test_workflow import VN, _submitted

pytestmark = pytest.mark.requires_tools("pdftotext")
REPEALED = ("61/2018", "107/2021", "01/2018")


@pytest.mark.parametrize(("day", "code"), [
    (dt.date(2019, 1, 8), "tt01-2018"), (dt.date(2025, 6, 30), "tt01-2018"),
    (dt.date(2025, 7, 1), "tt03-2025"), (dt.date(2026, 12, 1), "tt03-2025"),
])
def test_the_form_set_in_force_on_a_day(db, day, code):
    assert form_set_on(day).code == code


def test_a_day_no_form_set_covers_is_an_error_not_a_guess(db):
    with pytest.raises(NoFormSet):
        form_set_on(dt.date(2018, 12, 31))


def test_two_form_sets_cannot_apply_on_the_same_day(db):
    current = FormSet.objects.get(code="tt03-2025")
    overlapping = FormSet(code="khac", name="Bộ khác", basis=current.basis, governing=current.governing,
                          valid_from=dt.date(2026, 1, 1), forms={"receipt": {"number": "01", "title": "Giấy tiếp nhận"}})
    with pytest.raises(ValidationError):
        overlapping.full_clean()
    overlapping.valid_from = dt.date(2031, 1, 1)
    current.valid_to = dt.date(2030, 12, 31)
    current.full_clean()
    current.save()
    overlapping.full_clean()  # a new circular from 2031, once the current set is given an end


@pytest.fixture
def procedure(demo):
    return _one_step(demo, make_procedure(agencies=[demo.agencies["01840"]], code="9.000901", days=3))


def _dossier_of(demo, procedure, moment) -> Dossier:
    dossier = _submitted(demo, procedure, moment)
    with time_machine.travel(moment + dt.timedelta(hours=1), tick=False):
        return workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"])


def _texts(demo, dossier) -> dict[str, str]:
    control = slips.control_slip(dossier, demo.users["motcua.ducxuan"])
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    return {"receipt": pdf_text(receipt), "control": pdf_text(control)}


def test_a_dossier_of_30_june_2025_keeps_the_circular_01_2018_slips(demo, procedure):
    dossier = _dossier_of(demo, procedure, dt.datetime(2025, 6, 30, 9, tzinfo=VN))
    assert dossier.form_set.code == "tt01-2018"
    texts = _texts(demo, dossier)
    assert "Mẫu số 01 (Thông tư số 01/2018/TT-VPCP)" in texts["receipt"]
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in texts["receipt"] and dossier.code in texts["receipt"]
    assert "Mẫu số 05 (Thông tư số 01/2018/TT-VPCP)" in texts["control"]


def test_a_dossier_submitted_today_gets_the_circular_03_2025_set_and_cites_nothing_repealed(demo, procedure):
    dossier = _dossier_of(demo, procedure, dt.datetime(2026, 12, 1, 9, tzinfo=VN))
    assert dossier.form_set.code == "tt03-2025"
    texts = _texts(demo, dossier)
    assert "Mẫu số 01 (Thông tư số 03/2025/TT-VPCP)" in texts["receipt"]
    assert "Mẫu số 06 (Thông tư số 03/2025/TT-VPCP)" in texts["control"]
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in texts["control"]
    for name, text in texts.items():
        assert not [cited for cited in REPEALED if cited in text], name


def test_a_dossier_recorded_before_form_sets_existed_takes_the_set_of_its_day(demo, procedure):
    dossier = _dossier_of(demo, procedure, dt.datetime(2025, 6, 30, 9, tzinfo=VN))
    Dossier.objects.filter(pk=dossier.pk).update(form_set=None)
    dossier.refresh_from_db()
    assert "Mẫu số 01 (Thông tư số 01/2018/TT-VPCP)" in pdf_text(dossier.slips.get(form=Slip.Form.RECEIPT))


@pytest.mark.parametrize(("username", "status"), [("quantri.tinh", 200), ("quantri.stp", 403), ("motcua.ducxuan", 302)])
def test_only_the_province_administrator_keeps_the_legal_bases(sign_in, username, status):
    response = sign_in(username).get("/admin/legal/legaldocument/")
    assert response.status_code == status
    if status == 200:
        assert "118/2025/NĐ-CP" in response.content.decode()


def test_submitting_on_a_day_no_form_set_covers_is_refused_with_a_reason_and_keeps_the_draft(demo, procedure):
    FormSet.objects.filter(code="tt03-2025").update(valid_to=dt.date(2026, 11, 30))
    with pytest.raises(ValidationError, match="bộ biểu mẫu một cửa"):
        _submitted(demo, procedure, dt.datetime(2026, 12, 1, 9, tzinfo=VN))
    assert Dossier.objects.filter(procedure_version__procedure=procedure, status="draft").count() == 1


def test_a_form_set_entered_today_applies_to_the_next_submission_at_once(demo, procedure):
    """Submissions ask which set is in force through a cache; a change saved by the province drops it."""
    moment = dt.datetime(2031, 3, 2, 9, tzinfo=VN)
    before = _submitted(demo, procedure, moment)
    assert before.form_set.code == "tt03-2025"
    current = FormSet.objects.get(code="tt03-2025")
    current.valid_to = dt.date(2031, 3, 1)
    current.save()
    newer = FormSet.objects.create(code="tt-2031", name="Bộ biểu mẫu 2031", basis=current.basis,
                                   governing=current.governing, valid_from=dt.date(2031, 3, 2), forms=current.forms)
    after = _submitted(demo, procedure, moment + dt.timedelta(minutes=1))
    assert after.form_set == newer
