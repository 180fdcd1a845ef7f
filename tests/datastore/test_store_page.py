"""The page "Kho dữ liệu của tôi": each item with its validity in words (never by colour alone), and the
demo's items."""

import datetime as dt

import pytest
from django.utils import timezone

from datastore.demo import load_demo
from datastore.models import StoredItem

from .conftest import client_of, store_item

pytestmark = pytest.mark.django_db


def test_the_store_page_says_whether_each_item_is_valid_expiring_or_expired(citizen):
    today = timezone.localdate()
    store_item(citizen, title="Giấy khai sinh")  # without limit
    store_item(citizen, kind="xac-nhan-tinh-trang-hon-nhan", title="Xác nhận A", issued_on=today - dt.timedelta(days=170))
    store_item(citizen, kind="xac-nhan-tinh-trang-hon-nhan", title="Xác nhận B", issued_on=today - dt.timedelta(days=200))
    page = client_of(citizen).get("/data-store/").content.decode()
    assert "Kho dữ liệu của tôi" in page
    assert page.count("Còn hiệu lực") == 1 and "không thời hạn" in page
    assert page.count("Sắp hết hiệu lực") == 1 and page.count("Hết hiệu lực") == 1


def test_the_demo_loader_fills_the_demo_citizens_store_once(demo, citizen):
    assert load_demo() == 2
    assert load_demo() == 0
    assert {item.source for item in StoredItem.objects.filter(owner=citizen)} == {"result", "digitised"}
    page = client_of(citizen).get("/data-store/").content.decode()
    assert "Giấy khai sinh" in page and "Hết hiệu lực" in page
