"""The citizen's data store in headless Chromium: "Kho dữ liệu của tôi" lists the items with their validity,
the draft of a procedure asking for a birth certificate offers the stored one instead of an upload, and
choosing it attaches it; axe-core finds no WCAG 2.1 A/AA violation on either page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from directory.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

CITIZEN = "congdan@example.vn"


def test_the_citizen_reads_their_store_and_reuses_a_paper(live_demo, page, check_a11y):
    from datastore.catalog import load_kinds
    from datastore.models import PaperKind, Reuse
    from dossiers import services
    from tests.datastore.conftest import store_item
    from tests.factories import BIRTH_VALUES, make_procedure

    load_kinds(PaperKind)  # a flushed database (live server) lost what the migration loaded
    citizen = live_demo.users[CITIZEN]
    birth = store_item(citizen)
    store_item(citizen, kind="xac-nhan-tinh-trang-hon-nhan", issued_on=timezone.localdate() - dt.timedelta(days=300))
    procedure = make_procedure(agencies=[live_demo.agencies["01840"]], code="9.000801", name="Đăng ký kết hôn",
                               papers=[("Bản sao Giấy khai sinh", True, ["pdf"])])
    draft = services.start_draft(applicant=citizen, procedure=procedure, agency=live_demo.agencies["01840"])
    services.save_draft(dossier=draft, applicant=citizen, form_values=BIRTH_VALUES)

    page.goto("/accounts/login/")
    page.fill("#id_username", CITIZEN)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_load_state()
    page.goto("/data-store/")
    assert page.locator("h1").inner_text() == "Kho dữ liệu của tôi"
    table = page.locator("main table").inner_text()
    assert "Giấy khai sinh" in table and "không thời hạn" in table and "Hết hiệu lực" in table
    check_a11y(page)

    page.goto(f"/dossiers/my/{draft.pk}/edit/")
    paper = procedure.current.papers.get()
    page.locator(f"#reuse-{paper.pk}-{birth.pk}").check()
    check_a11y(page)
    page.locator("button[name='save']").click()
    page.wait_for_url(re.compile(rf"/dossiers/my/{draft.pk}/edit/$"))
    assert Reuse.objects.filter(dossier=draft, item=birth).exists()
    assert page.locator(f"#reuse-{paper.pk}-{birth.pk}").is_checked()  # the choice shown as kept
