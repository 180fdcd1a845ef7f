"""Scenarios of the data store: a citizen with items of several kinds, a procedure that asks for one of
them, a second citizen; one line each."""

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from accounts.models import User
from datastore.models import PaperKind, StoredItem
from dossiers import services
from tests.factories import BIRTH_VALUES, make_procedure

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CITIZEN = "congdan@example.vn"


@pytest.fixture
def citizen(demo):
    return demo.users[CITIZEN]


@pytest.fixture
def other_citizen(db):
    return User.objects.create(username="congdan2@example.vn", email="congdan2@example.vn", full_name="Lý Văn Tùng",
                               kind=User.Kind.CITIZEN)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def store_item(owner, *, kind="giay-khai-sinh", issued_on=None, title=None, extension="pdf", body=PDF,
               **fields) -> StoredItem:
    """An item of ``owner``'s store, its file really stored; validity from its kind unless given."""
    from datastore.services import valid_until

    paper_kind = PaperKind.objects.filter(code=kind).first()
    issued_on = issued_on or timezone.localdate() - dt.timedelta(days=10)
    item = StoredItem(owner=owner, kind=paper_kind, title=title or (paper_kind.name if paper_kind else "Giấy tờ"),
                      source=fields.pop("source", "result"), extension=extension, content_type="application/pdf",
                      sha256=hashlib.sha256(body).hexdigest(), issued_on=issued_on,
                      valid_until=fields.pop("valid_until", valid_until(paper_kind, issued_on)), **fields)
    item.file.save(f"store-{owner.pk}.{extension}", ContentFile(body), save=False)
    item.save()
    return item


@pytest.fixture
def marriage_procedure(demo):
    """A procedure asking for a birth certificate and a marital-status certificate (both kinds of the store)."""
    return make_procedure(agencies=[demo.agencies["01840"]], code="9.000801", name="Đăng ký kết hôn (thử nghiệm)",
                          papers=[("Tờ khai đăng ký kết hôn", True, ["pdf"]),
                                  ("Bản sao Giấy khai sinh", True, ["pdf", "jpeg", "png"]),
                                  ("Giấy xác nhận tình trạng hôn nhân", False, ["pdf"])])


def paper(procedure, name_start: str):
    return procedure.current.papers.get(name__startswith=name_start)


@pytest.fixture
def draft(demo, citizen, marriage_procedure):
    dossier = services.start_draft(applicant=citizen, procedure=marriage_procedure, agency=demo.agencies["01840"])
    services.save_draft(dossier=dossier, applicant=citizen, form_values=BIRTH_VALUES)
    return dossier
