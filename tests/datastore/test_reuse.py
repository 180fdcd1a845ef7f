"""Reuse when applying (Decree 45/2020/NĐ-CP art. 16): the papers still valid in the applicant's store are
offered instead of an upload, a chosen one is attached to the dossier as its own copy and the dossier records
the reuse; nothing of someone else's store is ever offered, shown or taken."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from datastore import policy, selectors
from datastore import services as store_services
from datastore.models import Reuse, StoredItem
from dossiers import reuse, services, workflow
from dossiers.models import DossierFile
from indices.rollups import rebuild_range
from indices.selectors import AGENCY, Scope, scores
from tests.factories import BIRTH_VALUES, pdf_file
from workdays.report_periods import Period

from .conftest import client_of, paper, store_item

pytestmark = pytest.mark.django_db

CONTACT = {"applicant_name": "Nguyễn Thị Hồng", "applicant_phone": "0912345678", **BIRTH_VALUES}


def _choose(client, dossier, requirement, item):
    return client.post(f"/dossiers/my/{dossier.pk}/edit/", {**CONTACT, f"reuse-{requirement.pk}": item.pk,
                                                          "save": "1"})


def test_the_kind_is_read_from_the_papers_name_without_the_words_about_copies(marriage_procedure):
    from datastore.kinds import kind_for

    assert kind_for("Bản sao Giấy khai sinh").code == "giay-khai-sinh"
    assert kind_for("Giấy khai sinh (trường hợp chỉnh sửa văn bằng)").code == "giay-khai-sinh"
    assert kind_for("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân") is None  # a declaration, not the paper
    assert kind_for("Giấy chứng sinh") is None


def test_a_valid_item_is_offered_on_the_draft_page_and_reusing_it_is_recorded(citizen, draft, marriage_procedure):
    item = store_item(citizen)
    birth = paper(marriage_procedure, "Bản sao")
    page = client_of(citizen).get(f"/dossiers/my/{draft.pk}/edit/").content.decode()
    assert f'name="reuse-{birth.pk}" id="reuse-{birth.pk}-{item.pk}"' in page
    assert f'name="reuse-{paper(marriage_procedure, "Tờ khai").pk}"' not in page  # no kind: upload only

    assert _choose(client_of(citizen), draft, birth, item).status_code == 302
    copy = DossierFile.objects.get(dossier=draft, requirement=birth, replaced=False)
    assert copy.sha256 == item.sha256 and copy.file.name != item.file.name  # the dossier's own copy
    with copy.file.open("rb") as handle, item.file.open("rb") as original:
        assert handle.read() == original.read()
    record = Reuse.objects.get(dossier=draft)
    assert (record.item, record.requirement, record.source, record.by) == (item, birth, "result", citizen)
    assert record.dossier_file == copy and record.at <= timezone.now()
    # Saving the draft again with the same choice neither copies nor records it twice.
    _choose(client_of(citizen), draft, birth, item)
    assert Reuse.objects.filter(dossier=draft).count() == 1
    assert DossierFile.objects.filter(dossier=draft, requirement=birth).count() == 1
    assert "Missing paper: Bản sao Giấy khai sinh" not in str(services.missing_items(draft))


def test_expired_withdrawn_superseded_or_unreadable_items_are_not_offered(citizen, draft, marriage_procedure):
    today = timezone.localdate()
    marital = paper(marriage_procedure, "Giấy xác nhận")
    # Valid six months from issue: issued 7 months ago it has expired; 5 months ago it is still valid.
    expired = store_item(citizen, kind="xac-nhan-tinh-trang-hon-nhan", issued_on=today - dt.timedelta(days=213))
    assert selectors.validity(expired, today) == "expired"
    offered = list(selectors.offers(user=citizen, organisation_id=None, paper=marital))
    assert offered == []
    valid = store_item(citizen, kind="xac-nhan-tinh-trang-hon-nhan", issued_on=today - dt.timedelta(days=160))
    assert selectors.validity(valid, today) == "expiring"  # about three weeks left
    assert list(selectors.offers(user=citizen, organisation_id=None, paper=marital)) == [valid]
    # An item of a type the paper does not accept is not offered either.
    png = store_item(citizen, kind="xac-nhan-tinh-trang-hon-nhan", extension="png", issued_on=today)
    assert png not in selectors.offers(user=citizen, organisation_id=None, paper=marital)


def test_offered_if_and_only_if_allowed(citizen, other_citizen, draft, marriage_procedure):
    today = timezone.localdate()
    items = {
        "mine": store_item(citizen),
        "someone else's": store_item(other_citizen),
        "withdrawn": store_item(citizen, withdrawn_at=timezone.now()),
        "expired": store_item(citizen, valid_until=today - dt.timedelta(days=1)),
        "no kind": store_item(citizen, kind="", title="Giấy tờ khác"),
        "another kind": store_item(citizen, kind="giay-phep-xay-dung"),
    }
    birth = paper(marriage_procedure, "Bản sao")
    for holder in (citizen, other_citizen):
        offered = set(selectors.offers(user=holder, organisation_id=None, paper=birth))
        page = client_of(holder).get(f"/dossiers/my/{draft.pk}/edit/")
        for name, item in items.items():
            allowed = policy.may_reuse(holder, item, organisation_id=None, paper=birth)
            assert (item in offered) == allowed, (holder, name)
            if holder == citizen:
                assert (f'id="reuse-{birth.pk}-{item.pk}"' in page.content.decode()) == allowed, name
    assert {name for name, item in items.items() if item in selectors.offers(
        user=citizen, organisation_id=None, paper=birth)} == {"mine"}
    for name, item in items.items():
        if name == "mine":
            continue
        response = _choose(client_of(citizen), draft, birth, item)
        assert response.status_code == 404, name  # as if it did not exist
    assert not Reuse.objects.filter(dossier=draft).exists()
    assert not DossierFile.objects.filter(dossier=draft).exists()


def test_another_citizen_cannot_see_download_remove_or_reuse_my_item(citizen, other_citizen, draft,
                                                                     marriage_procedure):
    item = store_item(citizen)
    intruder = client_of(other_citizen)
    assert item.title not in intruder.get("/data-store/").content.decode()
    assert intruder.get(f"/data-store/{item.pk}/download/").status_code == 404
    assert intruder.post(f"/data-store/{item.pk}/withdraw/").status_code == 404
    assert StoredItem.objects.get(pk=item.pk).withdrawn_at is None
    # Their own draft naming my item: 404, nothing attached.
    theirs = services.start_draft(applicant=other_citizen, procedure=marriage_procedure,
                                  agency=draft.agency)
    assert _choose(intruder, theirs, paper(marriage_procedure, "Bản sao"), item).status_code == 404
    assert not DossierFile.objects.filter(dossier=theirs).exists()
    # Nor can they post into my draft.
    assert _choose(intruder, draft, paper(marriage_procedure, "Bản sao"), store_item(other_citizen)).status_code == 404



def test_an_official_reads_a_reused_paper_only_through_the_dossier(demo, citizen, draft, marriage_procedure,
                                                                   sign_in):
    item = store_item(citizen)
    birth, form = paper(marriage_procedure, "Bản sao"), paper(marriage_procedure, "Tờ khai")
    services.attach_papers(dossier=draft, user=citizen, uploads={form.pk: pdf_file()})
    reuse.reuse_papers(dossier=draft, user=citizen, choices={birth.pk: item.pk})
    services.submit(dossier=draft, applicant=citizen)
    copy = DossierFile.objects.get(dossier=draft, requirement=birth, replaced=False)
    desk, elsewhere = sign_in("motcua.ducxuan"), sign_in("motcua.stp")
    assert desk.get(f"/data-store/{item.pk}/download/").status_code == 404  # no door into the citizen's store
    assert desk.get(f"/dossiers/files/{copy.pk}/").status_code == 200
    assert elsewhere.get(f"/dossiers/files/{copy.pk}/").status_code == 404
    page = desk.get(f"/workspace/dossiers/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reused instead of a new paper" in page and birth.name in page


def test_removing_from_reuse_keeps_the_record(citizen, draft, marriage_procedure):
    item = store_item(citizen)
    owner = client_of(citizen)
    assert owner.post(f"/data-store/{item.pk}/withdraw/").status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    with translation.override("en"):
        page = owner.get("/data-store/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert item.title in page
    assert owner.get(f"/data-store/{item.pk}/download/").status_code == 200  # the legal record stays
    assert item not in selectors.offers(user=citizen, organisation_id=None, paper=paper(marriage_procedure, "Bản sao"))
    assert owner.post(f"/data-store/{item.pk}/withdraw/").status_code == 302  # not offered again: refused politely
    assert not policy.may_withdraw(citizen, item)


def test_a_newer_item_of_the_same_kind_supersedes_the_older_which_stays(demo, citizen, draft):
    older = store_item(citizen, issued_on=timezone.localdate() - dt.timedelta(days=400))
    newer = store_item(citizen)
    store_services._supersede(newer)
    older.refresh_from_db()
    assert older.superseded_by == newer
    assert set(selectors.store_of(citizen)) >= {older, newer}  # history kept
    assert older not in selectors.reusable(selectors.store_of(citizen))


def test_reuse_counts_in_indicator_6_3(demo, citizen, draft, marriage_procedure):
    birth = paper(marriage_procedure, "Bản sao")
    reuse.reuse_papers(dossier=draft, user=citizen, choices={birth.pk: store_item(citizen).pk})
    services.attach_papers(dossier=draft, user=citizen, uploads={paper(marriage_procedure, "Tờ khai").pk: pdf_file()})
    with_reuse = services.submit(dossier=draft, applicant=citizen)
    without = services.start_draft(applicant=citizen, procedure=marriage_procedure, agency=draft.agency)
    services.save_draft(dossier=without, applicant=citizen, form_values=BIRTH_VALUES)
    services.attach_papers(dossier=without, user=citizen, uploads={
        paper(marriage_procedure, "Tờ khai").pk: pdf_file(), birth.pk: pdf_file("khai-sinh.pdf")})
    without = services.submit(dossier=without, applicant=citizen)
    desk = demo.users["motcua.ducxuan"]
    for dossier in (with_reuse, without):
        workflow.accept(dossier=dossier, acting_user=desk, unit=demo.units[("01840", "Tư pháp - Hộ tịch")])
    today = timezone.localdate()
    rebuild_range(today, today)
    with translation.override("en"):
        groups = scores(Scope(AGENCY, draft.agency_id), Period.month(today.year, today.month))
    item = {i.code: i for g in groups for i in g.indicators}["6.3"]
    # 2 dossiers received online this month, 1 reused a paper of the store: 50 %, 6 × 0.5 = 3.00 points
    assert (item.numerator, item.denominator, item.value, item.points) == (1, 2, Decimal("50.0"), Decimal("3.00"))
