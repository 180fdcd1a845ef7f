"""Applying online: drafts, papers checked by content, idempotent submission, the dossier code."""

import datetime as dt
import re
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from dossiers import services
from dossiers.codes import CODE_RE, format_code, next_code
from dossiers.models import Dossier, DossierFile
from dossiers.states import Status
from tests.concurrency import at_once, concurrent_writers, runs_while_another_holds
from tests.factories import BIRTH_VALUES, docx_file, make_procedure, pdf_file, png_file


@pytest.fixture
def birth(demo):
    return make_procedure(agencies=[demo.agencies["01840"], demo.agencies["01837"]])


@pytest.fixture
def citizen(demo):
    return demo.users["congdan@example.vn"]


def _papers(procedure):
    papers = list(procedure.current.papers.all())
    return {papers[0].pk: pdf_file(), papers[1].pk: png_file()}


def _ready_draft(birth, citizen, demo):
    dossier = services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    services.save_draft(dossier=dossier, applicant=citizen, form_values=BIRTH_VALUES)
    services.attach_papers(dossier=dossier, user=citizen, uploads=_papers(birth))
    return dossier


def test_draft_is_prefilled_from_the_profile(birth, citizen, demo):
    dossier = services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    assert dossier.form_data["requester_name"] == "Nguyễn Thị Hồng"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.status == Status.DRAFT and dossier.code is None


def test_an_agency_that_does_not_handle_the_procedure_is_refused(birth, citizen, demo):
    with pytest.raises(ValidationError):
        services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["SXD"])


def test_submission_gives_a_code_the_fee_and_a_timeline_entry(birth, citizen, demo):
    dossier = services.submit(dossier=_ready_draft(birth, citizen, demo), applicant=citizen)
    assert dossier.status == Status.SUBMITTED
    assert CODE_RE.match(dossier.code)
    assert dossier.code.startswith("000.00.60.H55-")
    assert dossier.fee_amount == 16000  # two copies at 8,000 đ
    assert list(dossier.events.values_list("status", flat=True)) == [Status.SUBMITTED]


def test_incomplete_dossier_is_refused_with_every_reason(birth, citizen, demo):
    dossier = services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    services.save_draft(dossier=dossier, applicant=citizen, form_values={**BIRTH_VALUES, "birth_date": "31/02/2026"})
    with pytest.raises(ValidationError) as refused:
        services.submit(dossier=dossier, applicant=citizen)
    errors = refused.value.message_dict
    assert "birth_date" in errors
    assert len(errors["papers"]) == 2  # both required papers are missing, the optional one is not asked
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.code is None


def test_submitting_twice_returns_the_same_dossier(birth, citizen, demo):
    draft = _ready_draft(birth, citizen, demo)
    first = services.submit(dossier=draft, applicant=citizen)
    second = services.submit(dossier=draft, applicant=citizen)
    assert first.pk == second.pk and first.code == second.code
    assert first.events.count() == 1


def test_someone_else_cannot_submit_my_draft(birth, citizen, demo):
    draft = _ready_draft(birth, citizen, demo)
    with pytest.raises(PermissionDenied):
        services.submit(dossier=draft, applicant=demo.users["doanhnghiep@example.vn"])


def test_files_are_checked_by_content_not_by_name(birth, citizen, demo):
    dossier = services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    papers = list(birth.current.papers.all())
    fake = pdf_file("anh.png")  # a PDF named .png for a paper that accepts images and PDFs: fine
    services.attach_papers(dossier=dossier, user=citizen, uploads={papers[1].pk: fake})
    disguised = png_file("to-khai.pdf")  # an image named .pdf where only PDF is accepted: refused
    with pytest.raises(ValidationError, match="PDF"):
        services.attach_papers(dossier=dossier, user=citizen, uploads={papers[2].pk: disguised})
    with pytest.raises(ValidationError):
        from django.core.files.uploadedfile import SimpleUploadedFile

        services.attach_papers(dossier=dossier, user=citizen, uploads={papers[0].pk: SimpleUploadedFile(
            "virus.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")})


def test_docx_is_recognised_inside_its_zip(birth, citizen, demo):
    dossier = services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    papers = list(birth.current.papers.all())
    [record] = services.attach_papers(dossier=dossier, user=citizen, uploads={papers[0].pk: docx_file()})
    assert record.extension == "docx"


def test_too_large_and_empty_files_are_refused(birth, citizen, demo):
    dossier = services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    papers = list(birth.current.papers.all())
    with pytest.raises(ValidationError, match="2 MB"):
        services.attach_papers(dossier=dossier, user=citizen, uploads={papers[0].pk: pdf_file(size=3 * 1024 * 1024)})
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.attach_papers(dossier=dossier, user=citizen,
                               uploads={papers[0].pk: SimpleUploadedFile("rong.pdf", b"")})


def _stored_files() -> set[str]:
    import os

    from django.conf import settings

    root = settings.MEDIA_ROOT
    return {os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files}


def test_a_refused_batch_keeps_no_file_at_all(birth, citizen, demo):
    dossier = services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    papers = list(birth.current.papers.all())
    before = _stored_files()
    with pytest.raises(ValidationError):
        services.attach_papers(dossier=dossier, user=citizen,
                               uploads={papers[0].pk: pdf_file(), papers[2].pk: png_file("sai.pdf")})
    assert not DossierFile.objects.filter(dossier=dossier).exists()
    assert _stored_files() == before


def test_dossier_code_format_and_daily_sequence(demo):
    agency = demo.agencies["STP"]
    day = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)  # 10:00 in Vietnam
    first, second = next_code(agency, day), next_code(agency, day)
    assert first == "000.00.03.H55-261125-0001" and second == "000.00.03.H55-261125-0002"
    late_evening_utc = dt.datetime(2026, 11, 25, 18, 0, tzinfo=dt.UTC)  # already 26/11 in Vietnam
    assert next_code(agency, late_evening_utc) == "000.00.03.H55-261126-0001"
    assert next_code(demo.agencies["SXD"], day).endswith("-261125-0001")  # per agency
    assert format_code("000.00.03.H05", dt.date(2027, 1, 2), 12345) == "000.00.03.H05-270102-12345"
    assert re.match(CODE_RE, first)


@pytest.mark.django_db(transaction=True)
@concurrent_writers
def test_concurrent_submissions_get_every_number_of_the_day_once_and_agencies_do_not_wait_for_each_other():
    from directory.demo import load_demo

    demo = load_demo()
    day = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)

    def take() -> str:
        with transaction.atomic():
            return next_code(demo.agencies["STP"], day)

    codes = at_once(take, threads=6, times=5)
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, 31))  # no number twice, none lost

    assert runs_while_another_holds(lambda: next_code(demo.agencies["STP"], day),
                                    lambda: next_code(demo.agencies["SXD"], day))


def test_one_shot_submission_with_the_same_key_is_made_once(birth, citizen, demo):
    key = uuid.uuid4()
    args = {"applicant": citizen, "procedure": birth, "agency": demo.agencies["01840"], "form_values": BIRTH_VALUES,
            "key": key}
    first, created = services.submit_new(uploads=_papers(birth), **args)
    again, created_again = services.submit_new(uploads=_papers(birth), **args)
    assert created and not created_again and first.pk == again.pk
    assert Dossier.objects.filter(applicant=citizen, submission_key=key).count() == 1


def test_a_refused_one_shot_submission_leaves_no_dossier_and_no_file(birth, citizen, demo):
    before = _stored_files()
    with pytest.raises(ValidationError):
        services.submit_new(applicant=citizen, procedure=birth, agency=demo.agencies["01840"],
                            form_values={**BIRTH_VALUES, "sex": "X"}, uploads=_papers(birth), key=uuid.uuid4())
    assert not Dossier.objects.filter(applicant=citizen).exists()
    assert _stored_files() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_concurrent_retries_of_one_submission_make_one_dossier():
    from directory.demo import load_demo

    demo = load_demo()
    birth = make_procedure(agencies=[demo.agencies["01840"]])
    citizen = demo.users["congdan@example.vn"]
    key = uuid.uuid4()
    results, errors = [], []
    barrier = threading.Barrier(6)

    def attempt():
        try:
            barrier.wait()
            dossier, created = services.submit_new(
                applicant=citizen, procedure=birth, agency=demo.agencies["01840"], form_values=BIRTH_VALUES,
                uploads=_papers(birth), key=key)
            results.append((dossier.pk, created))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    dossier = Dossier.objects.get(submission_key=key)
    assert dossier.files.count() == 2 and dossier.events.count() == 1


def test_the_submission_is_audited_with_every_field_it_changed_without_reading_the_row_again(birth, citizen, demo):
    from django.test.utils import CaptureQueriesContext

    from audit.models import AuditEntry

    draft = _ready_draft(birth, citizen, demo)
    with CaptureQueriesContext(connection) as queries:
        dossier = services.submit(dossier=draft, applicant=citizen)
    entry = AuditEntry.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk),
                                      action="update").latest("id")
    assert {"code", "status", "submitted_at", "revision", "fee_amount"} <= set(entry.summary["fields"])
    assert "applicant_name" not in entry.summary["fields"]  # unchanged fields are not named
    # The row was read once, under the lock; the audit compares with those values.
    reads = [q["sql"] for q in queries.captured_queries
             if q["sql"].startswith("SELECT") and 'FROM "dossiers_dossier"' in q["sql"]]
    assert len(reads) == 1
    assert "FOR UPDATE" in reads[0] or connection.vendor == "sqlite"  # SQLite locks the whole file
