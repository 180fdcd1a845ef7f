"""The shared categories the LGSP way: fields and types, rows (with history for administrative
units), adding rows with duplicates refused with a message and a count, versions, audit."""

import pytest

from audit.models import AuditEntry
from directory.models import AdministrativeUnit
from lgsp.models import CategoryRow

from .conftest import call, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(make_client):
    client, secret = make_client(scopes=["dmdc.read", "dmdc.write"])
    return client, token_of(client, secret)


def test_metadata_lists_the_fields_and_their_types(reader):
    answer = call("GET", "/dmdc/Metadata/DonViHanhChinh", reader[1]).json()
    assert answer["status"] == 1 and answer["writable"] is False
    fields = {f["name"]: f["type"] for f in answer["fields"]}
    assert fields["ma"] == "string" and fields["hieuLucTu"] == "date" and fields["sapNhapVao"] == "array"


def test_the_54_ethnic_groups_are_served_with_their_codes(reader):
    answer = call("GET", "/dmdc/Category/dantoc", reader[1]).json()
    assert answer["total"] == 54 and answer["data"][0]["ma"] == "01" and answer["data"][0]["ten"] == "Kinh"
    assert answer["data"][53] == {"ma": "54", "ten": "Rơ-măm", "hieuLucTu": None, "hieuLucDen": None}


@pytest.mark.parametrize("code", ["CoQuan", "LoaiVanBan", "DoKhan", "LinhVuc", "TonGiao", "QuocTich", "GioiTinh",
                                  "TinhTrangHonNhan"])
def test_every_category_answers_rows(reader, code):
    answer = call("GET", f"/dmdc/Category/{code}", reader[1]).json()
    assert answer["status"] == 1 and answer["version"] >= 1 and answer["total"] == len(answer["data"])


def test_administrative_units_keep_their_history_and_successors(reader):
    ended = AdministrativeUnit.objects.filter(valid_to__isnull=False, successors__isnull=False).first()
    assert ended is not None
    today = call("GET", "/dmdc/Category/DonViHanhChinh", reader[1]).json()["data"]
    assert ended.code not in {row["ma"] for row in today if row["hieuLucTu"] == str(ended.valid_from)}
    history = call("GET", "/dmdc/Category/DonViHanhChinh?lichSu=1", reader[1]).json()["data"]
    row = next(r for r in history if r["ma"] == ended.code and r["hieuLucDen"] == ended.valid_to.isoformat())
    assert row["sapNhapVao"] == sorted(s.code for s in ended.successors.all())


def test_an_unknown_category_is_not_found(reader):
    answer = call("GET", "/dmdc/Category/KhongCo", reader[1])
    assert answer.status_code == 404 and answer.json()["status"] == 0


def test_adding_rows_refuses_duplicates_with_a_message_and_a_count(writer):
    client, token = writer
    before = call("GET", "/dmdc/Metadata/QuocTich", token).json()["version"]
    answer = call("POST", "/dmdc/Category/QuocTich", token, body={"data": [
        {"ma": "VN", "ten": "Việt Nam"}, {"ma": "ZA", "ten": "Nam Phi"}, {"ma": "ZA", "ten": "Nam Phi"},
        {"ma": "BR", "ten": "Bra-xin"}]}).json()
    assert answer["status"] == 1 and answer["added"] == 2 and answer["duplicates"] == 2
    assert answer["duplicateCodes"] == ["VN", "ZA"]
    assert "2" in answer["message"] and answer["version"] > before
    again = call("POST", "/dmdc/Category/QuocTich", token, body={"data": [{"ma": "BR", "ten": "Bra-xin"}]}).json()
    assert again["added"] == 0 and again["duplicates"] == 1
    assert CategoryRow.objects.filter(category="QuocTich", code="ZA", added_by=client).count() == 1


def test_an_added_row_is_audited_in_the_clients_name(writer):
    client, token = writer
    call("POST", "/dmdc/Category/TonGiao", token, body={"data": [{"ma": "T99", "ten": "Tôn giáo thử"}]})
    row = CategoryRow.objects.get(category="TonGiao", code="T99")
    entry = AuditEntry.objects.get(object_type="lgsp.categoryrow", object_id=str(row.pk), action="create")
    assert entry.actor_label == f"client:{client.client_id}"


@pytest.mark.parametrize("body", [{"data": [{"ma": "", "ten": "x"}]}, {"data": [{"ma": "a b", "ten": "x"}]},
                                  {"data": "x"}, {"rows": []}, {"data": [{"ma": "Q1", "ten": "ok"}, {"ma": "Q2"}]}])
def test_incorrect_data_adds_nothing_and_says_500(writer, body):
    answer = call("POST", "/dmdc/Category/QuocTich", writer[1], body=body)
    assert answer.status_code == 400 and answer.json()["errorCode"] == 500
    assert not CategoryRow.objects.filter(category="QuocTich", code="Q1").exists()


def test_a_category_kept_by_its_register_takes_no_rows(writer):
    answer = call("POST", "/dmdc/Category/CoQuan", writer[1], body={"data": [{"ma": "X", "ten": "Cơ quan giả"}]})
    assert answer.status_code == 400 and answer.json()["errorCode"] == 500


def test_a_change_in_the_directory_raises_the_categorys_version(reader):
    before = call("GET", "/dmdc/Metadata/DonViHanhChinh", reader[1]).json()["version"]
    unit = AdministrativeUnit.objects.filter(valid_to__isnull=True).first()
    unit.name += " (đổi tên thử)"
    unit.save()
    assert call("GET", "/dmdc/Metadata/DonViHanhChinh", reader[1]).json()["version"] == before + 1


def test_the_dmdc_openapi_document_names_every_category():
    from django.test import Client as Browser

    document = Browser().get("/dmdc/openapi.json").json()
    assert document["openapi"].startswith("3.")
    enum = document["paths"]["/dmdc/Category/{category}"]["get"]["parameters"][0]["schema"]["enum"]
    assert "DanToc" in enum and "DonViHanhChinh" in enum
