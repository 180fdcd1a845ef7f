"""The training pages as officials use them: the door (``training.policy``) as a matrix where what a
page offers is exactly what the server allows, and the attacks it must refuse."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from training import services
from training.models import Attendance, Certificate, Enrolment, Option, Session

from .conftest import answers

USERS = ["quantri.tinh", "quantri.stp", "giamdoc.stp", "chuyenvien.stp", "chuyenvien2.stp", "giamdoc.sxd"]


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def stp_session(demo, one_stop):
    """A session of Sở Tư pháp that started yesterday, taught by chuyenvien.stp; chuyenvien2.stp and
    the trainer themself enrolled."""
    today = timezone.localdate()
    session = Session.objects.create(course=one_stop, agency=demo.agencies["STP"], starts_on=today - dt.timedelta(days=1),
                                     ends_on=today, place="Hội trường Sở Tư pháp", capacity=5)
    session.trainers.add(user("chuyenvien.stp"))
    Enrolment.objects.create(session=session, official=user("chuyenvien2.stp"))
    Enrolment.objects.create(session=session, official=user("chuyenvien.stp"))
    return session


# Who may do what, written out as the rule says (policy module docstring).
ORGANISES = {"quantri.tinh", "quantri.stp"}
MARKS_OTHERS = {"quantri.tinh", "quantri.stp", "chuyenvien.stp"}
SEES_RECORD_OF_CV2 = {"quantri.tinh", "quantri.stp", "giamdoc.stp", "chuyenvien2.stp"}
SEES_GAP = {"quantri.tinh", "quantri.stp", "giamdoc.stp", "giamdoc.sxd"}


@pytest.mark.parametrize("username", USERS)
def test_offered_if_and_only_if_allowed(sign_in, stp_session, username):
    client = sign_in(username)
    catalogue = client.get("/workspace/training/").content.decode()
    assert ('id="organise-link"' in catalogue) == (username in ORGANISES)
    assert ('id="gap-link"' in catalogue) == (username in SEES_GAP)
    form = client.get("/workspace/training/sessions/new/")
    assert (form.status_code == 200) == (username in ORGANISES)

    other = Enrolment.objects.get(session=stp_session, official__username="chuyenvien2.stp")
    page = client.get(f"/workspace/training/sessions/{stp_session.pk}/")
    offered = page.status_code == 200 and f'action="/workspace/training/enrolments/{other.pk}/mark/"' in page.content.decode()
    assert offered == (username in MARKS_OTHERS)
    client.post(f"/workspace/training/enrolments/{other.pk}/mark/", {"status": Attendance.ATTENDED})
    other.refresh_from_db()
    assert (other.status == Attendance.ATTENDED) == (username in MARKS_OTHERS)

    record = client.get(f"/workspace/training/record/{user('chuyenvien2.stp').pk}/")
    assert (record.status_code == 200) == (username in SEES_RECORD_OF_CV2)
    assert (client.get("/workspace/training/gap/").status_code == 200) == (username in SEES_GAP)


def test_the_trainer_cannot_mark_their_own_attendance(sign_in, stp_session):
    own = Enrolment.objects.get(session=stp_session, official__username="chuyenvien.stp")
    client = sign_in("chuyenvien.stp")
    page = client.get(f"/workspace/training/sessions/{stp_session.pk}/").content.decode()
    assert f"/enrolments/{own.pk}/mark/" not in page
    client.post(f"/workspace/training/enrolments/{own.pk}/mark/", {"status": Attendance.ATTENDED})
    own.refresh_from_db()
    assert own.status == Attendance.REGISTERED and own.marked_by is None


def test_an_official_of_another_agency_sees_no_record(sign_in, stp_session, security):
    cv2 = user("chuyenvien2.stp")
    certificate = services.issue_certificate(official=cv2, course=security)
    stp = stp_session.agency_id
    client = sign_in("giamdoc.sxd")
    assert client.get(f"/workspace/training/record/{cv2.pk}/").status_code == 404
    assert client.get(f"/workspace/training/certificates/{certificate.pk}.pdf").status_code == 404
    assert client.get(f"/workspace/training/gap/?agency={stp}").status_code == 404
    assert client.get(f"/workspace/training/gap/export.xlsx?agency={stp}").status_code == 404
    assert client.get(f"/workspace/training/sessions/{stp_session.pk}/").status_code == 404
    # and a colleague of the same agency without a leading role neither
    assert sign_in("chuyenvien.stp").get(f"/workspace/training/record/{cv2.pk}/").status_code == 404


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_right_answers_never_reach_the_page(sign_in, quiz):
    client = sign_in("chuyenvien2.stp")
    before = client.get(f"/workspace/training/tests/{quiz.pk}/")
    assert before.status_code == 200 and "Câu hỏi số 1?" in before.content.decode()
    # Swap which option is right: if anything on the page told the answer, the page would change.
    for option in Option.objects.filter(question__test=quiz):
        option.correct = not option.correct
        option.save()
    after = client.get(f"/workspace/training/tests/{quiz.pk}/")
    assert _without_tokens(before.content.decode()) == _without_tokens(after.content.decode())


def test_taking_the_test_online_scores_on_the_server(sign_in, quiz, security):
    cv2 = user("chuyenvien2.stp")
    client = sign_in("chuyenvien2.stp")
    posted = {f"q{k}": v for k, v in answers(quiz, 4).items()}
    page = client.post(f"/workspace/training/tests/{quiz.pk}/", posted).content.decode()
    assert 'id="passed"' in page
    certificate = Certificate.objects.get(official=cv2, course=security)
    assert certificate.number in page
    record = client.get("/workspace/training/record/").content.decode()
    assert f'data-course="{security.code}" data-status="valid"' in record


def test_enrol_and_the_capacity(sign_in, demo, security):
    today = timezone.localdate()
    session = Session.objects.create(course=security, agency=None, starts_on=today + dt.timedelta(days=3),
                                     ends_on=today + dt.timedelta(days=3), online=True, capacity=1)
    sign_in("chuyenvien.sxd").post(f"/workspace/training/sessions/{session.pk}/enrol/")
    sign_in("chuyenvien2.stp").post(f"/workspace/training/sessions/{session.pk}/enrol/")
    assert list(session.enrolments.values_list("official__username", flat=True)) == ["chuyenvien.sxd"]


def test_province_summary_and_export(sign_in, world):
    client = sign_in("quantri.tinh")
    page = client.get("/workspace/training/gap/").content.decode()
    row = re.search(rf'<tr data-agency="{world["agency"].pk}">(.*?)</tr>', page, re.S).group(1)
    # The page shows today's figures of the selectors (test_gap checks them by hand on a fixed day).
    from training.selectors import gaps

    today = gaps(on=timezone.localdate(), agency_ids=[world["agency"].pk])[world["agency"].pk]
    for column in ("obliged", "trained", "missing", "lapsed"):
        assert f'data-col="{column}">{getattr(today, column)}<' in row
    export = client.get("/workspace/training/gap/export.xlsx")
    assert export.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(export.content))
    names = [r[0] for r in book.worksheets[0].iter_rows(min_row=4, values_only=True)]
    assert "Sở Thử nghiệm" in names


def test_materials_are_served_to_officials_and_completion_is_kept(sign_in, demo, client):
    from training.demo import load_demo as load_training

    load_training()
    from training.models import Material

    material = Material.objects.get(title="Cẩm nang an toàn thông tin cơ bản")
    assert client.get(f"/workspace/training/materials/{material.pk}/").status_code == 302  # to the login
    official = sign_in("chuyenvien2.stp")
    body = b"".join(official.get(f"/workspace/training/materials/{material.pk}/").streaming_content).decode()
    assert "CẨM NANG AN TOÀN THÔNG TIN" in body
    official.post(f"/workspace/training/materials/{material.pk}/done/")
    official.post(f"/workspace/training/materials/{material.pk}/done/")
    assert material.completions.filter(official__username="chuyenvien2.stp").count() == 1


def test_only_the_province_uploads_materials(sign_in, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from training.models import Material

    data = {"title": "Video hướng dẫn một cửa", "kind": "video"}
    refused = sign_in("quantri.stp").post("/workspace/training/materials/new/",
                                          {**data, "file": SimpleUploadedFile("a.mp4", b"x", "video/mp4")})
    assert refused.status_code == 404
    done = sign_in("quantri.tinh").post("/workspace/training/materials/new/",
                                        {**data, "file": SimpleUploadedFile("a.mp4", b"x", "video/mp4")})
    assert done.status_code == 302
    material = Material.objects.get(title="Video hướng dẫn một cửa")
    assert material.content_type == "video/mp4" and material.uploaded_by.username == "quantri.tinh"
