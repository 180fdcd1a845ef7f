"""Files and archive (Decree 30/2020, Chapter IV): open a file, attach what one may read, close only
once every incoming document is handled, transfer with the description the archive needs."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import Direction, Status
from records import services
from records.models import FileStatus
from tests.documents.search_helpers import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_file(demo):
    return services.open_file(user=demo.users["chuyenvien.stp"], agency=demo.agencies["STP"], year=2026,
                              code="HCTP.01", title="Hồ sơ hướng dẫn nghiệp vụ hộ tịch năm 2026",
                              unit=demo.units[("STP", "Phòng Hành chính tư pháp")], retention_years=10)


def test_a_code_is_used_once_a_year(demo, case_file):
    with pytest.raises(ValidationError):
        services.open_file(user=demo.users["chuyenvien.stp"], agency=demo.agencies["STP"], year=2026,
                           code="HCTP.01", title="Khác")


def test_only_an_official_of_the_agency_opens_its_files(demo):
    with pytest.raises(PermissionDenied):
        services.open_file(user=demo.users["tuphap.ducxuan"], agency=demo.agencies["STP"], year=2026,
                           code="X.1", title="Không được")


def test_only_documents_the_keeper_may_read_are_attached(demo, case_file):
    secret = make_document(demo, abstract="Văn bản mật", classified=True)
    other = make_document(demo, "01840", abstract="Văn bản của xã", created_by="vanthu.ducxuan")
    for document in (secret, other):
        with pytest.raises(PermissionDenied):
            services.attach(user=demo.users["chuyenvien.stp"], case_file=case_file, document=document)
    # The clerk reads the classified one, and so may file it.
    services.attach(user=demo.users["vanthu.stp"], case_file=case_file, document=secret)
    assert case_file.items.count() == 1


def test_a_file_is_not_closed_while_an_incoming_document_is_unhandled(demo, case_file):
    clerk = demo.users["vanthu.stp"]
    waiting = make_document(demo, abstract="Đang xử lý", status=Status.IN_HANDLING)
    services.attach(user=clerk, case_file=case_file, document=waiting)
    with pytest.raises(PermissionDenied, match="chưa xử lý xong"):
        services.close(user=demo.users["chuyenvien.stp"], case_file=case_file)
    waiting.status = Status.HANDLED
    waiting.save()
    closed = services.close(user=demo.users["chuyenvien.stp"], case_file=case_file, closed_on=dt.date(2026, 3, 1))
    assert closed.status == FileStatus.CLOSED and closed.closed_on == dt.date(2026, 3, 1)
    with pytest.raises(PermissionDenied):
        services.attach(user=clerk, case_file=closed, document=make_document(demo))


def test_transfer_records_the_description_the_archive_needs(demo, case_file):
    clerk = demo.users["vanthu.stp"]
    for day, pages, direction, status in [(dt.date(2026, 2, 3), 4, Direction.INCOMING, Status.HANDLED),
                                          (dt.date(2026, 5, 20), 2, Direction.OUTGOING, Status.ISSUED)]:
        document = make_document(demo, direction=direction, status=status, page_count=pages,
                                 received_on=day if direction == Direction.INCOMING else None,
                                 issued_on=day if direction == Direction.OUTGOING else None)
        services.attach(user=clerk, case_file=case_file, document=document)
    with pytest.raises(PermissionDenied, match="đã kết thúc"):
        services.transfer(user=clerk, case_file=case_file)
    services.close(user=clerk, case_file=case_file)
    with pytest.raises(PermissionDenied, match="văn thư"):
        services.transfer(user=demo.users["chuyenvien.stp"], case_file=case_file)
    entry = services.transfer(user=clerk, case_file=case_file)
    assert (entry.code, entry.title, entry.retention) == ("HCTP.01", case_file.title, "10 năm")
    assert (entry.first_date, entry.last_date) == (dt.date(2026, 2, 3), dt.date(2026, 5, 20))
    assert (entry.document_count, entry.page_count) == (2, 6)
    assert entry.unit_name == "Phòng Hành chính tư pháp"
    case_file.refresh_from_db()
    assert case_file.status == FileStatus.TRANSFERRED and case_file.transferred_at is not None


def test_the_pages_list_open_close_and_refuse(demo, case_file, sign_in):
    clerk = sign_in("vanthu.stp")
    page = clerk.get("/workspace/records/", {"year": 2026})
    assert page.status_code == 200 and "HCTP.01" in page.content.decode()
    waiting = make_document(demo, abstract="Đang xử lý", status=Status.IN_HANDLING)
    response = clerk.post(f"/workspace/records/{case_file.pk}/attach/", {"document": waiting.pk})
    assert response.status_code == 302
    clerk.post(f"/workspace/records/{case_file.pk}/close/")
    page = clerk.get(f"/workspace/records/{case_file.pk}/")
    html = page.content.decode()
    assert "Đang xử lý" in html and "id=\"close-reason\"" in html
    case_file.refresh_from_db()
    assert case_file.status == FileStatus.OPEN
    # Another agency's official does not see the file at all.
    assert sign_in("vanthu.ducxuan").get(f"/workspace/records/{case_file.pk}/").status_code == 404


def test_an_official_opens_a_file_from_the_page(demo, sign_in):
    client = sign_in("chuyenvien.stp")
    response = client.post("/workspace/records/open/", {"code": "BTTP.02", "title": "Hồ sơ công chứng"})
    assert response.status_code == 302
    assert "BTTP.02" in client.get(response.url).content.decode()
