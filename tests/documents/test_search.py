"""Search: accents ignored, every word required, OCR text and abstract searched, and never a
document the reader may not read (classified, or another agency's)."""

import pytest

from documents.models import Direction
from documents.search import Filters, search
from documents.search_text import build

from .search_helpers import make_document

pytestmark = pytest.mark.django_db


def found(user, query, filters=None):
    return set(search(user, query, filters).values_list("pk", flat=True))


@pytest.fixture
def documents(demo):
    return {
        "ocr": make_document(demo, abstract="Về việc báo cáo định kỳ",
                             ocr_text="Kế hoạch phòng chống thiên tai và tìm kiếm cứu nạn năm 2026"),
        "abstract": make_document(demo, abstract="Quyết định về việc bổ nhiệm cán bộ", number_symbol="15/QĐ-UBND"),
        "classified": make_document(demo, abstract="Quyết định bổ nhiệm (mật)", classified=True,
                                    ocr_text="phòng chống thiên tai"),
        "other_agency": make_document(demo, "01840", abstract="Quyết định bổ nhiệm công chức xã",
                                      created_by="vanthu.ducxuan", ocr_text="phòng chống thiên tai"),
    }


def test_the_search_text_is_folded_words(demo, documents):
    text = build(documents["abstract"])
    assert "quyet dinh ve viec bo nhiem can bo" in text
    assert "15 qd ubnd" in text


def test_a_word_of_the_ocr_text_is_found_without_accents(demo, documents):
    clerk = demo.users["vanthu.stp"]
    assert documents["ocr"].pk in found(clerk, "thien tai")
    assert documents["ocr"].pk in found(clerk, "THIÊN TAI cứu nạn")


def test_a_word_of_the_abstract_is_found_with_or_without_accents(demo, documents):
    clerk = demo.users["vanthu.stp"]
    assert documents["abstract"].pk in found(clerk, "bổ nhiệm")
    assert documents["abstract"].pk in found(clerk, "bo nhiem can bo")
    assert documents["abstract"].pk in found(clerk, "15/QĐ-UBND")


def test_every_word_must_appear(demo, documents):
    clerk = demo.users["vanthu.stp"]
    assert documents["abstract"].pk not in found(clerk, "bo nhiem xyzkhongco")
    assert found(clerk, "thien tai bổ nhiệm") == {documents["classified"].pk}


def test_classified_documents_only_for_the_agency_leaders_and_clerks(demo, documents):
    assert documents["classified"].pk in found(demo.users["vanthu.stp"], "thien tai")
    assert documents["classified"].pk in found(demo.users["giamdoc.stp"], "thien tai")
    assert documents["classified"].pk not in found(demo.users["chuyenvien.stp"], "thien tai")
    assert documents["classified"].pk not in found(demo.users["truongphong.stp"], "bo nhiem")


def test_another_agencys_documents_are_never_found(demo, documents):
    assert found(demo.users["vanthu.ducxuan"], "bo nhiem") == {documents["other_agency"].pk}
    assert documents["other_agency"].pk not in found(demo.users["vanthu.stp"], "thien tai")
    assert documents["other_agency"].pk not in found(demo.users["giamdoc.stp"], "bo nhiem")


def test_filters_narrow_the_results(demo, documents):
    clerk = demo.users["vanthu.stp"]
    outgoing = make_document(demo, direction=Direction.OUTGOING, abstract="Công văn về bổ nhiệm")
    assert outgoing.pk in found(clerk, "bo nhiem")
    assert found(clerk, "bo nhiem", Filters(direction=Direction.OUTGOING)) == {outgoing.pk}
    assert outgoing.pk not in found(clerk, "bo nhiem", Filters(register_id=documents["abstract"].register_id))


def test_the_search_page_lists_only_what_the_reader_may_read(demo, documents, sign_in):
    page = sign_in("chuyenvien.stp").get("/workspace/documents/search/", {"q": "thien tai"})
    assert page.status_code == 200
    assert "Quyết định bổ nhiệm (mật)" not in page.content.decode()
    page = sign_in("vanthu.stp").get("/workspace/documents/search/", {"q": "thien tai"})
    html = page.content.decode()
    assert "Quyết định bổ nhiệm (mật)" in html and "Về việc báo cáo định kỳ" in html
    assert "Quyết định bổ nhiệm công chức xã" not in html


def test_the_search_page_without_a_query_shows_the_form(demo, sign_in):
    page = sign_in("vanthu.stp").get("/workspace/documents/search/")
    assert page.status_code == 200 and b'role="search"' in page.content
