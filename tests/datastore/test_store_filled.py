"""The store fills itself: every result issued electronically, and every paper the desk digitised with
the official's confirmation, go into the applicant's store (Decree 45/2020/NĐ-CP art. 16)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from datastore.models import StoredItem
from dossiers import reuse, workflow
from dossiers.counter import intake_at_counter
from dossiers.models import DossierFile, FilePurpose
from tests.dossier_scenarios import DESK, birth_procedure, issued, submitted
from tests.factories import BIRTH_VALUES, pdf_file, png_file

from .conftest import CITIZEN, client_of

pytestmark = pytest.mark.django_db


@pytest.mark.requires_tools("softhsm2-util", "pdfsig", "certutil")
def test_a_result_issued_electronically_enters_the_applicants_store(demo, registered):
    dossier = issued(demo, birth_procedure(demo))
    result = DossierFile.objects.get(dossier=dossier, purpose=FilePurpose.RESULT, replaced=False)
    item = StoredItem.objects.get(dossier=dossier)
    assert (item.source, item.kind.code, item.title, item.number) == ("result", "giay-khai-sinh", "Giấy khai sinh",
                                                                      result.issue_number)
    assert (item.owner, item.sha256, item.file.name, item.valid_until) == (demo.users[CITIZEN], result.sha256,
                                                                           result.file.name, None)
    assert item.issuer == dossier.agency.name
    citizen = client_of(demo.users[CITIZEN])
    # Like the result on the dossier's page, it is the applicant's once returned to them.
    assert citizen.get(f"/data-store/{item.pk}/download/").status_code == 404
    workflow.return_result(dossier=dossier, acting_user=demo.users[DESK])
    download = citizen.get(f"/data-store/{item.pk}/download/")
    assert download.status_code == 200
    with result.file.open("rb") as handle:
        assert b"".join(download.streaming_content) == handle.read()
    with translation.override("en"):
        page = citizen.get("/data-store/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Giấy khai sinh" in page and result.issue_number in page and "without limit" in page


def _at_counter(demo, procedure):
    papers = list(procedure.current.papers.all())
    citizen = demo.users[CITIZEN]
    return intake_at_counter(
        officer=demo.users[DESK], agency=demo.agencies["01840"], procedure=procedure,
        contact={"applicant_name": citizen.full_name, "applicant_email": citizen.email,
                 "applicant_phone": "0912345678", "applicant_id_number": "006190001234"},
        form_values=BIRTH_VALUES, uploads={papers[0].pk: pdf_file(), papers[1].pk: png_file()},
        unit=demo.units[("01840", "Tư pháp - Hộ tịch")])


def test_digitisation_needs_the_officials_confirmation(demo):
    dossier = _at_counter(demo, birth_procedure(demo))
    scans = [record.pk for record in reuse.digitisable(dossier)]
    assert len(scans) == 2
    with pytest.raises(ValidationError):
        reuse.confirm_digitised(dossier=dossier, officer=demo.users[DESK], file_ids=scans, confirmed=False)
    assert not StoredItem.objects.exists()
    items = reuse.confirm_digitised(dossier=dossier, officer=demo.users[DESK], file_ids=scans[:1], confirmed=True)
    assert [(i.source, i.confirmed_by, i.owner, i.title) for i in items] == [
        ("digitised", demo.users[DESK], demo.users[CITIZEN], "Tờ khai đăng ký khai sinh")]
    assert [record.pk for record in reuse.digitisable(dossier)] == scans[1:]  # the other one still to confirm


def test_digitisation_needs_the_intake_desks_scope(demo):
    dossier = _at_counter(demo, birth_procedure(demo))
    scans = [record.pk for record in reuse.digitisable(dossier)]
    for name in ("motcua.stp", "motcua.backan", "tuphap.ducxuan"):
        with pytest.raises(PermissionDenied):
            reuse.confirm_digitised(dossier=dossier, officer=demo.users[name], file_ids=scans, confirmed=True)
    assert not StoredItem.objects.exists()


def test_the_digitise_form_is_offered_if_and_only_if_it_is_allowed(demo, sign_in):
    procedure = birth_procedure(demo)
    cases = {"at the counter": _at_counter(demo, procedure), "online": submitted(demo, procedure)}
    for name in ("motcua.backan", "tuphap.ducxuan", "motcua.stp", DESK):
        client = sign_in(name)
        for label, dossier in cases.items():
            page = client.get(f"/workspace/dossiers/{dossier.pk}/")
            offered = page.status_code == 200 and f"/workspace/dossiers/{dossier.pk}/digitise/" in page.content.decode()
            allowed = reuse.may_digitise(demo.users[name], dossier)
            assert offered == allowed, (name, label)
            before = StoredItem.objects.count()
            response = client.post(f"/workspace/dossiers/{dossier.pk}/digitise/",
                                   {"confirm": "on", "files": [f.pk for f in dossier.files.all()]})
            assert (StoredItem.objects.count() > before) == allowed, (name, label)
            assert response.status_code == (302 if allowed else 404), (name, label)
    # Only the desk that took the paper dossier in, and only once.
    assert StoredItem.objects.filter(source="digitised", confirmed_by=demo.users[DESK]).count() == 2
    assert not reuse.may_digitise(demo.users[DESK], cases["at the counter"])


@pytest.mark.parametrize("confirmed", [True, False])
def test_the_counter_form_digitises_the_scans_only_with_the_officials_confirmation(demo, sign_in, confirmed):
    from tests.factories import make_procedure
    from tests.test_office import _counter_post

    procedure = make_procedure(agencies=[demo.agencies["01840"]], code="9.000802")
    desk = sign_in(DESK)
    data = _counter_post(procedure, applicant_email=CITIZEN, unit=demo.units[("01840", "Tư pháp - Hộ tịch")].pk,
                         **({"digitised": "on"} if confirmed else {}))
    form_url = f"/workspace/dossiers/counter/{demo.agencies['01840'].pk}/{procedure.pk}/"
    assert 'name="digitised"' in desk.get(form_url).content.decode()
    assert desk.post(form_url, data).status_code == 302
    items = StoredItem.objects.filter(owner=demo.users[CITIZEN], source="digitised")
    assert items.count() == (2 if confirmed else 0)
    assert all(item.confirmed_by == demo.users[DESK] for item in items)
