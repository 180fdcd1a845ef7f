"""The procedure catalog: versions, e-forms, fees, accent-insensitive search, import/export."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from dossiers import services as dossier_services
from procedures import eform, exchange, fees, selectors, services
from procedures.models import FrozenVersionError, Procedure, ProcedureVersion
from tests.factories import BIRTH_SCHEMA, BIRTH_VALUES, make_procedure, submit_birth


@pytest.fixture
def birth(demo):
    return make_procedure(agencies=[demo.agencies["01840"]])


@pytest.mark.parametrize("query", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai  sinh", "9.000001", "Đức Xuân"])
def test_search_finds_a_procedure_typed_with_or_without_accents(birth, query):
    assert list(selectors.search(q=query)) == [birth]


def test_search_filters_by_field_agency_and_kind(birth, demo):
    construction = make_procedure(agencies=[demo.agencies["SXD"]], code="9.000002", name="Cấp giấy phép xây dựng",
                                  kind="partial")
    assert list(selectors.search(kind="partial")) == [construction]
    assert list(selectors.search(agency=demo.agencies["01840"].pk)) == [birth]
    assert set(selectors.search(field="ho_tich")) == {birth, construction}
    assert not selectors.search(q="khai sinh", kind="partial").exists()


def test_catalog_page_search_works_over_http(birth, client):
    page = client.get("/procedures/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Thủ tục đăng ký khai sinh (thử nghiệm)" in page
    detail = client.get("/procedures/9.000001/").content.decode()
    assert "Giấy chứng sinh" in detail and "8.000 đ × số bản sao" in detail


def test_a_published_version_cannot_be_edited(birth):
    version = ProcedureVersion.objects.get(pk=birth.current_id)
    version.time_limit = 30
    with pytest.raises(FrozenVersionError):
        version.save()


def test_a_new_version_never_changes_dossiers_submitted_under_the_old_one(birth, demo):
    citizen = demo.users["congdan@example.vn"]
    old = submit_birth(demo, birth)
    v2 = services.new_version(procedure=birth)
    v2.time_limit = 3
    v2.fees = [{"name": "Lệ phí", "rule": {"type": "fixed", "amount": 20000}}]
    v2.save()
    services.publish(version=v2)
    birth.refresh_from_db()
    old.refresh_from_db()
    assert birth.current == v2 and v2.number == 2 and v2.papers.count() == 3
    assert old.procedure_version.number == 1 and old.procedure_version.time_limit == 1
    assert old.procedure_version.status == "retired" and old.fee_amount == 16000
    new = dossier_services.start_draft(applicant=citizen, procedure=birth, agency=demo.agencies["01840"])
    assert new.procedure_version == v2


@pytest.mark.parametrize("schema, message", [
    ({"type": "object", "properties": {"x": {"type": "file", "title": "X"}}}, "unknown type"),
    ({"type": "object", "properties": {"x": {"type": "string"}}}, "title"),
    ({"type": "object", "required": ["y"], "properties": {"x": {"type": "string", "title": "X"}}}, "required"),
    ({"type": "object", "properties": {"x": {"type": "string", "title": "X"}}, "x-prefill": {"x": "salary"}},
     "prefill"),
])
def test_a_faulty_eform_is_refused_naming_the_problem(schema, message):
    with pytest.raises(eform.SchemaError, match=message):
        eform.check_schema(schema)


def test_a_fee_rule_on_a_field_the_form_lacks_is_refused(birth):
    version = services.new_version(procedure=birth)
    version.fees = [{"name": "Phí", "rule": {"type": "per_unit", "field": "pages", "unit_amount": 2000}}]
    with pytest.raises(ValidationError, match="pages"):
        version.full_clean()


def test_fees_are_computed_from_the_form_values():
    rules = [
        {"name": "Lệ phí cấp phép", "rule": {"type": "table", "field": "works", "amounts": {"Nhà ở riêng lẻ": 75000,
                                                                                             "Công trình khác": 150000}}},
        {"name": "Phí bản sao", "rule": {"type": "per_unit", "field": "copies", "unit_amount": 8000, "base": 0}},
        {"name": "Phí thẩm định", "rule": {"type": "fixed", "amount": 50000}},
        {"name": "Lệ phí khai sinh", "rule": {"type": "free"}},
    ]
    assert fees.total(rules, {"works": "Nhà ở riêng lẻ", "copies": 3}) == 75000 + 24000 + 50000
    assert fees.total(rules, {"works": "Công trình khác", "copies": 0}) == 150000 + 50000


def test_eform_labels_follow_the_language_and_values_are_validated():
    with translation.override("vi"):
        form = eform.build_form(BIRTH_SCHEMA)
        assert form.fields["child_name"].label == "Họ, chữ đệm, tên của trẻ"
    with translation.override("en"):
        assert eform.build_form(BIRTH_SCHEMA).fields["child_name"].label == "Child's name"
    values, errors = eform.validate(BIRTH_SCHEMA, {**BIRTH_VALUES, "copies": "21"})
    assert "copies" in errors and not values
    values, errors = eform.validate(BIRTH_SCHEMA, BIRTH_VALUES)
    assert not errors and values["birth_date"] == "2026-11-20" and values["copies"] == 2


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_catalog_round_trips_and_an_unchanged_import_makes_no_new_version(birth, demo, tmp_path, fmt):
    path = tmp_path / f"catalog.{fmt}"
    call_command("catalog", "export", str(path))
    versions = ProcedureVersion.objects.count()
    call_command("catalog", "import", str(path))
    assert ProcedureVersion.objects.count() == versions
    items = (json.loads(path.read_text(encoding="utf-8")) if fmt == "json" else exchange.from_xlsx(path.read_bytes()))
    item = next(i for i in items if i["code"] == "9.000001")
    item["time_limit"] = 2
    agencies = {a.code: a for a in demo.agencies.values()}
    services.import_catalog([item], agencies_by_code=agencies)
    birth.refresh_from_db()
    assert birth.current.number == 2 and birth.current.time_limit == 2
    assert [p["name"] for p in item["papers"]] == list(birth.current.papers.values_list("name", flat=True))


def test_import_reports_unknown_agencies(tmp_path, birth):
    path = tmp_path / "catalog.json"
    call_command("catalog", "export", str(path))
    items = json.loads(path.read_text(encoding="utf-8"))
    items[0]["agencies"] = ["000.00.99.H99"]
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="000.00.99.H99"):
        call_command("catalog", "import", str(path))
    assert Procedure.objects.get(code=birth.code).current.number == 1


def test_the_demo_catalog_holds_real_procedures_that_citizens_can_find(demo):
    from procedures.demo import load_catalog

    catalog = load_catalog()
    assert len(catalog) >= 20
    kinds = {p.current.kind for p in catalog}
    assert kinds == {"full", "partial"}
    for procedure in catalog:
        procedure.current.full_clean()  # every e-form and fee rule is valid
        assert procedure.current.papers.exists() and procedure.current.agencies.exists()
    found = [p.code for p in selectors.search(q="dang ky khai sinh")]
    assert "1.001193" in found
    assert load_catalog() and ProcedureVersion.objects.filter(procedure__in=catalog).count() == len(catalog)
