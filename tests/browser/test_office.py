"""The one-stop back office in headless Chromium: the desk officer's queue, a dossier's page with
its action forms, and counter intake; the leader's "to assign" tab with its bulk form. Every page
on the way passes axe-core's WCAG 2.1 A/AA rules, before and after an action, and with errors."""

import re
from decimal import Decimal

import pytest

from directory.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ASSETS = {
    "pdf": ("to-khai.pdf", "application/pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    "png": ("giay-chung-sinh.png", "image/png",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
            b"\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82"),
}


@pytest.fixture
def office_demo(live_demo):
    """A birth-registration procedure at Đức Xuân with its internal process, and one dossier
    waiting for intake."""
    from processes.models import ProcessDefinition, ProcessStep
    from processes.services import publish
    from tests.factories import make_procedure, submit_birth

    demo = live_demo
    procedure = make_procedure(agencies=[demo.agencies["01840"]], days=3)
    definition = ProcessDefinition.objects.create(procedure=procedure, agency=demo.agencies["01840"])
    ProcessStep.objects.create(definition=definition, order=1, name="Công chức tư pháp - hộ tịch thẩm định",
                               unit=demo.units[("01840", "Tư pháp - Hộ tịch")], role="specialist",
                               hours=Decimal("15"), actions=["forward", "supplement", "pause", "propose_refusal"])
    ProcessStep.objects.create(definition=definition, order=2, name="Chủ tịch phê duyệt", role="agency_leader",
                               hours=Decimal("7.5"), actions=["approve", "refuse", "return"])
    publish(definition=definition)
    return demo, procedure, submit_birth(demo, procedure)


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type='submit']").click()
    if username.startswith("chutich"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.conftest import current_code

        page.wait_for_url(re.compile(r"/accounts/login/otp/$"))
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("#id_otp_token", current_code(device))
        page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/workspace/$"))


def test_desk_officer_works_the_queue_the_dossier_page_and_the_counter(office_demo, page, check_a11y):
    demo, procedure, dossier = office_demo
    sign_in(page, "motcua.ducxuan")

    page.locator("nav a[href='/workspace/dossiers/']").first.click()
    page.wait_for_url(re.compile(r"/workspace/dossiers/$"))
    assert page.locator("nav a[aria-current='page'][href='?tab=intake']").count() == 1
    assert dossier.code in page.locator("main table").inner_text()
    check_a11y(page)

    page.locator("main table").get_by_role("link", name=dossier.code).click()
    page.wait_for_url(re.compile(rf"/workspace/dossiers/{dossier.pk}/$"))
    assert "Nguyễn Minh An" in page.locator("main").inner_text()
    check_a11y(page)

    accept = page.locator("details").filter(has=page.locator(f"form[action$='/{dossier.pk}/accept/']"))
    accept.locator("summary").click()
    unit = demo.units[("01840", "Tư pháp - Hộ tịch")]
    accept.locator("select[name='accept-unit']").select_option(str(unit.pk))
    accept.locator("button[type='submit']").click()
    page.wait_for_selector("main .alert-success")
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    assert page.locator("main a[href^='/workspace/dossiers/slips/']").count() >= 1  # Mẫu 01 as PDF
    check_a11y(page)

    # Counter intake: choose the procedure, then the applicant, the form and the scans.
    page.goto("/workspace/dossiers/counter/")
    check_a11y(page)
    page.select_option("#id_procedure", str(procedure.pk))
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/workspace/dossiers/counter/\d+/\d+/(\?centre=\d+)?$"))
    check_a11y(page)
    page.locator("main form button[type='submit']").click()  # nothing filled in: errors
    page.wait_for_selector("#id_applicant_name[aria-invalid='true']")
    check_a11y(page)

    page.fill("#id_applicant_name", "Lò Thị Mai")
    page.fill("#id_applicant_id_number", "006190009999")
    page.fill("#id_applicant_phone", "0987654321")
    page.fill("#id_applicant_address", "Tổ 5, phường Đức Xuân")
    page.fill("#id_eform-requester_name", "Lò Thị Mai")
    page.fill("#id_eform-child_name", "Lò Minh Khang")
    page.fill("#id_eform-birth_date", "20/11/2026")
    page.select_option("#id_eform-sex", "Nam")
    papers = list(procedure.current.papers.all())
    for paper, kind in ((papers[0], "pdf"), (papers[1], "png")):
        name, mime, body = ASSETS[kind]
        page.set_input_files(f"#id_paper_{paper.pk}", files=[{"name": name, "mimeType": mime, "buffer": body}])
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/workspace/dossiers/counter/done/\d+/$"))
    from dossiers.models import Dossier

    taken_in = Dossier.objects.get(applicant_name="Lò Thị Mai")
    assert taken_in.code in page.locator("main").inner_text() and taken_in.channel == "counter"
    assert page.locator("main a[href^='/workspace/dossiers/slips/']").count() == 1  # Mẫu 01, to print
    check_a11y(page)


def test_leader_sees_the_assign_tab_with_its_bulk_form(office_demo, page, check_a11y):
    from dossiers import workflow

    demo, _procedure, dossier = office_demo
    workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"])
    sign_in(page, "chutich.ducxuan")
    page.goto("/workspace/dossiers/?tab=assign")
    assert page.locator(f"#pick-{dossier.pk}").count() == 1
    check_a11y(page)
    page.locator(f"#pick-{dossier.pk}").check()
    page.select_option("#id_assignee", str(demo.users["tuphap.ducxuan"].pk))
    page.locator("main form[action='/workspace/dossiers/assign/'] button[type='submit']").click()
    page.wait_for_selector("main .alert-success")
    dossier.refresh_from_db()
    assert dossier.current_step.assignee == demo.users["tuphap.ducxuan"]
    check_a11y(page)
