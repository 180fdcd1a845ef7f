"""The evaluation pages of issue 14 in headless Chromium, as the province's chairman and as the
chairman of Đức Xuân: the Decision 766 indices with a drill-down to the dossiers behind a figure,
feedback (the queue, answering, the desk's tablet rating page, the public form) and e-agency
recognition (criteria, self-assessment, the officials' task-completion assessment). Each reader sees
only their scope (the ward's chairman gets 404 on the province and on another ward), and axe-core
finds no WCAG 2.1 A/AA violation on any page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.browser.test_incoming_documents import sign_in

pytestmark = pytest.mark.browser


def _returned_dossiers(demo, procedure, count: int = 3):
    """Dossiers of Đức Xuân received at the counter this month and returned on time today."""
    from django.utils import timezone

    from dossiers.models import Dossier
    from dossiers.states import Status

    now = timezone.now()
    received = now - dt.timedelta(hours=2) if now.day > 1 or now.hour > 3 else now
    return [Dossier.objects.create(
        code=f"HS-DG-{number}", procedure_version=procedure.current, agency=demo.agencies["01840"],
        applicant=demo.users["congdan@example.vn"], applicant_name="Nguyễn Văn An", applicant_phone="0912345678",
        status=Status.COMPLETED, channel="counter", submitted_at=received, received_at=received,
        due_at=now + dt.timedelta(days=2), result_ready_at=now, finished_at=now, outcome="on_time")
        for number in range(1, count + 1)]


def _load(demo):
    from dashboards.demo import load_demo as load_dashboards
    from feedback.demo import load_demo as load_feedback
    from indices.demo import load_demo as load_indices
    from recognition import services
    from recognition.demo import load_demo as load_recognition
    from recognition.models import PeriodKind, Rating
    from tests.dossier_scenarios import birth_procedure

    dossiers = _returned_dossiers(demo, birth_procedure(demo))
    load_feedback()
    load_indices()
    load_dashboards()
    load_recognition()
    clerk = demo.users["tuphap.ducxuan"]
    month = (dt.date.today().replace(day=1) - dt.timedelta(days=1))
    mine = services.open_own_assessment(official=clerk, agency=demo.agencies["01840"], period_kind=PeriodKind.MONTH,
                                        year=month.year, number=month.month)
    services.self_assess(acting_user=clerk, assessment=mine, rating=Rating.GOOD, comment="Hoàn thành nhiệm vụ.")
    return dossiers, mine


def _drill_down(page, check_a11y, code: str) -> None:
    """From the indices page, follow the received dossiers of indicator 1.2 to the list behind it."""
    row = page.locator("table tr", has_text="1.2")
    assert row.locator("a").count() == 2  # the numerator and the denominator, each a list of dossiers
    row.locator("a").last.click()
    page.wait_for_url(re.compile(r"/workspace/indices/dossiers/"))
    assert code in page.locator("main").inner_text()
    check_a11y(page)


def test_the_chairmen_read_the_evaluation_pages_of_their_scope(live_demo, page, check_a11y):
    from feedback.models import Rating
    from recognition.models import AgencyAssessment

    dossiers, clerks_assessment = _load(live_demo)
    bac_kan = live_demo.agencies["01837"]

    # The province's chairman: the province's indices and every commune's.
    sign_in(page, "chutich.tinh")
    page.goto("/workspace/indices/")
    assert page.locator("#id_scope").input_value() == "province"
    assert "Thiếu dữ liệu:" in page.locator("main").inner_text()  # 5.1: no rating yet, said rather than 0
    check_a11y(page)
    _drill_down(page, check_a11y, dossiers[0].code)
    page.goto("/workspace/recognition/")
    check_a11y(page)
    page.locator("main a[href*='/workspace/recognition/sets/']").first.click()
    page.wait_for_url(re.compile(r"/workspace/recognition/sets/\d+/$"))
    check_a11y(page)
    page.goto("/workspace/recognition/recognised/")
    page.locator("main a[href*='/workspace/recognition/assessments/']").first.click()
    page.wait_for_url(re.compile(r"/workspace/recognition/assessments/\d+/$"))
    assert "215/QĐ-UBND" in page.locator("main").inner_text()
    check_a11y(page)
    response = page.goto(f"/workspace/recognition/officials/{clerks_assessment.pk}/")
    assert response is not None and response.status == 404  # not his agency's official

    # The ward's chairman: his ward only.
    page.context.clear_cookies()
    sign_in(page, "chutich.ducxuan")
    page.goto("/workspace/indices/")
    ward = live_demo.agencies["01840"]
    assert page.locator("#id_scope option:checked").inner_text() == ward.administrative_unit.name
    assert not any(bac_kan.name in option for option in page.locator("#id_scope option").all_inner_texts())
    assert "province" not in [o.get_attribute("value") for o in page.locator("#id_scope option").all()]
    check_a11y(page)
    _drill_down(page, check_a11y, dossiers[0].code)
    response = page.goto("/workspace/indices/?scope=province")
    assert response is not None and response.status == 404
    response = page.goto(f"/workspace/indices/?scope=agency:{bac_kan.pk}")
    assert response is not None and response.status == 404

    page.goto("/workspace/feedback/")
    assert "Đề nghị bố trí thêm ghế chờ" in page.locator("main").inner_text()
    check_a11y(page)
    page.locator("main tr", has_text="Đề nghị bố trí thêm ghế chờ").locator("a").first.click()
    page.wait_for_url(re.compile(r"/workspace/feedback/\d+/$"))
    check_a11y(page)
    page.fill("#id_answer", "UBND phường sẽ bố trí thêm ghế chờ trong tháng này.")
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/workspace/feedback/\d+/$"))
    assert "UBND phường sẽ bố trí thêm ghế chờ" in page.locator("main").inner_text()
    check_a11y(page)
    page.goto("/workspace/feedback/statistics/")
    check_a11y(page)

    page.goto("/workspace/recognition/")
    check_a11y(page)
    page.locator("main form[action$='/assessments/open/'] button[type='submit']").first.click()
    page.wait_for_url(re.compile(r"/workspace/recognition/assessments/\d+/$"))
    assert live_demo.agencies["01840"].name in page.locator("main").inner_text()
    check_a11y(page)
    stp_draft = AgencyAssessment.objects.get(agency=live_demo.agencies["STP"], state="draft")
    response = page.goto(f"/workspace/recognition/assessments/{stp_draft.pk}/")
    assert response is not None and response.status == 404  # another agency's self-assessment
    page.goto(f"/workspace/recognition/officials/{clerks_assessment.pk}/")
    assert live_demo.users["tuphap.ducxuan"].full_name in page.locator("main").inner_text()
    check_a11y(page)
    with page.expect_download() as download:
        page.evaluate("url => { window.location.href = url; }", "/workspace/recognition/officials/export.xlsx?"
                      f"period_kind=month&year={clerks_assessment.year}&number={clerks_assessment.number}")
    assert download.value.suggested_filename.endswith(".xlsx")

    # The desk's tablet: the ward's desk officer opens it for a returned dossier; the applicant rates.
    page.context.clear_cookies()
    sign_in(page, "motcua.ducxuan")
    page.goto("/workspace/feedback/kiosk/")
    check_a11y(page)
    page.fill("#id_code", dossiers[1].code)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/feedback/kiosk/[^/]+/$"))
    check_a11y(page)
    for criterion in page.locator("main fieldset").all():
        criterion.locator("label").last.click()
    page.locator("main form button[type='submit']").click()
    page.wait_for_selector("main h1:has-text('Cảm ơn')")
    assert Rating.objects.get(dossier=dossiers[1]).channel == "kiosk"
    check_a11y(page)
    kiosk_page = page.url
    response = page.goto(kiosk_page)  # the link is used once
    assert response is not None and response.status == 404

    # The public form, without signing in.
    page.context.clear_cookies()
    page.goto("/feedback/")
    check_a11y(page)
    page.goto("/feedback/send/")
    check_a11y(page)
