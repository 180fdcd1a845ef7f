"""The public lookup page's own markup (tra cứu hồ sơ): its two fields are written out in the template
rather than rendered by Django's widgets (the page is the busiest of the portal), so what the shared form
include gave them is checked here: labels, the required mark, errors announced and referenced by
aria-describedby, the secret never sent back; and the statuses in the reader's language."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import translation

from dossiers.models import Dossier, DossierEvent
from dossiers.states import Status
from egov.templatetags.egov import choice_label
from tests.factories import make_procedure, submit_birth

URL = "/dossiers/lookup/"


@pytest.fixture
def dossier(demo):
    return submit_birth(demo, make_procedure(agencies=[demo.agencies["01840"]]))


def _input(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def _attr(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else None


def _assert_described_errors(page: str, name: str, message: str) -> None:
    tag = _input(page, name)
    assert _attr(tag, "aria-invalid") == "true"
    described = _attr(tag, "aria-describedby")
    assert described and re.search(rf'<div[^>]*id="{described}"[^>]*role="alert"[^>]*>\s*<p[^>]*>{re.escape(message)}',
                                   page), f"aria-describedby={described!r} names no error message"


def test_each_field_has_its_label_and_the_code_its_required_mark(db):
    page = Client().get(URL).content.decode()
    for name in ("code", "secret"):
        tag = _input(page, name)
        assert re.search(rf'<label class="form-label" for="{_attr(tag, "id")}">', page)
        assert _attr(tag, "aria-invalid") is None and _attr(tag, "aria-describedby") is None
    assert " required " in _input(page, "code") and " required" not in _input(page, "secret")
    assert _attr(_input(page, "code"), "maxlength") == "40" and _attr(_input(page, "secret"), "maxlength") == "20"
    assert 'name="csrfmiddlewaretoken"' in page.split('action="/dossiers/lookup/"', 1)[1].split("</form>", 1)[0]


def test_a_missing_code_is_announced_next_to_its_field(db):
    page = Client().get(URL, {"code": ""}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    _assert_described_errors(page, "code", "This field is required.")


def test_a_wrong_answer_is_announced_and_the_secret_is_never_sent_back(dossier):
    page = Client().post(URL, {"code": dossier.code, "secret": "0999999999"}).content.decode()
    _assert_described_errors(page, "secret", "Thông tin không khớp với số điện thoại")
    tag = _input(page, "secret")
    assert _attr(tag, "type") == "password" and _attr(tag, "value") is None and "0999999999" not in page
    assert _attr(_input(page, "code"), "value") == dossier.code


def test_the_code_typed_comes_back_escaped(db):
    page = Client().get(URL, {"code": '"><script>x</script>'}).content.decode()
    assert "<script>x" not in page and 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in page


def test_the_status_and_timeline_read_in_the_readers_language(dossier):
    DossierEvent.objects.create(dossier=dossier, at=dossier.submitted_at + dt.timedelta(hours=1),
                                status=Status.IN_PROGRESS, from_status=Status.SUBMITTED)
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.IN_PROGRESS)
    english = Client().get(URL, {"code": dossier.code}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>being processed</strong>" in english
    timeline = re.findall(r"– (waiting for intake|being processed)</li>", english)
    assert timeline == ["waiting for intake", "being processed"]
    vietnamese = Client().get(URL, {"code": dossier.code}).content.decode()
    with translation.override("vi"):
        assert f"<strong>{Status.IN_PROGRESS.label}</strong>" in vietnamese


@pytest.mark.parametrize("language", ["vi", "en"])
def test_choice_label_says_what_get_display_says(language):
    with translation.override(language):
        for status in Status:
            event = DossierEvent(status=status)
            assert choice_label(event, "status") == event.get_status_display()
        assert choice_label(DossierEvent(status="unknown"), "status") == "unknown"
