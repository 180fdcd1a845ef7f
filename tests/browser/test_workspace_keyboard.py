"""The officials' workspace by keyboard in headless Chromium: "/" goes to the search box, "j"/"k"
move between the dossiers and Enter opens one; "select all" ticks the bulk form's boxes; a saved
filter comes back as a link; the dossier's papers are previewed in the page (a PDF framed from our
own site, an image). Every page passes axe-core's WCAG 2.1 A/AA rules."""

import re

import pytest

from tests.browser.test_office import office_demo, sign_in  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def _focused(page) -> dict:
    return page.evaluate("() => ({id: document.activeElement.id, row: document.activeElement.hasAttribute("
                         "'data-row-link'), text: document.activeElement.textContent})")


def test_the_queue_by_keyboard_and_a_saved_filter(office_demo, page, check_a11y):  # noqa: F811
    _demo, _procedure, dossier = office_demo
    sign_in(page, "motcua.ducxuan")
    page.goto("/workspace/dossiers/?tab=intake")
    page.keyboard.press("/")
    assert _focused(page)["id"] == "id_q"
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("j")
    assert _focused(page) == {"id": "", "row": True, "text": dossier.code}
    page.keyboard.press("k")  # already the first: stays there
    assert _focused(page)["text"] == dossier.code
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/workspace/dossiers/{dossier.pk}/$"))

    page.goto("/workspace/dossiers/?tab=intake&q=Hồng")
    page.locator("details.egov-save-filter summary").click()
    page.fill("#saved-filter-name", "Chị Hồng")
    page.locator("details.egov-save-filter button[type='submit']").click()
    page.wait_for_selector("main .alert-success")
    link = page.locator("#h-saved ~ ul a", has_text="Chị Hồng")
    assert link.get_attribute("aria-current") == "true"
    page.locator("details.egov-shortcuts summary").click()
    check_a11y(page)


def test_select_all_ticks_every_dossier_of_the_bulk_form(office_demo, page, check_a11y):  # noqa: F811
    from dossiers import workflow

    demo, _procedure, dossier = office_demo
    workflow.accept(dossier=dossier, acting_user=demo.users["motcua.ducxuan"],
                    unit=demo.units[("01840", "Tư pháp - Hộ tịch")])
    sign_in(page, "chutich.ducxuan")
    page.goto("/workspace/dossiers/?tab=assign")
    assert page.locator("#select-all").is_visible()  # revealed by the script; hidden without it
    page.locator("#select-all").check()
    assert page.locator(f"#pick-{dossier.pk}").is_checked()
    check_a11y(page)


def test_the_papers_are_previewed_in_the_page(office_demo, page, check_a11y):  # noqa: F811
    _demo, _procedure, dossier = office_demo
    pdf, png = dossier.files.get(extension="pdf"), dossier.files.get(extension="png")
    sign_in(page, "motcua.ducxuan")
    page.goto(f"/workspace/dossiers/{dossier.pk}/")
    for summary in page.locator("details.egov-preview summary").all():
        summary.click()
    image = page.locator(f"img[src='/workspace/dossiers/files/{png.pk}/']")
    image.wait_for()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    frame = page.locator(f"iframe[src='/workspace/dossiers/files/{pdf.pk}/']")
    frame.wait_for()
    framed = frame.element_handle().content_frame()
    framed.wait_for_load_state()
    assert framed.url.endswith(f"/workspace/dossiers/files/{pdf.pk}/"), framed.url  # not blocked from framing
    check_a11y(page)
