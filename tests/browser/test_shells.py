"""End to end in headless Chromium: each kind of user signs in and sees their shell, in
Vietnamese, and every page on the way passes axe-core's WCAG 2.1 A/AA rules."""

import re

import pytest
from django.utils import timezone

from directory.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

WORKSPACE = "Không gian làm việc"  # "Officials' workspace"
MY_ACCOUNT = "Tài khoản của tôi"  # "My account"


def sign_in_from_home(page, check_a11y, username: str) -> None:
    """Home page → the header's sign-in link → the login form, with axe on both pages."""
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    check_a11y(page)
    page.locator("header a[href='/accounts/login/']").click()
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    assert page.locator("html").get_attribute("lang") == "vi"
    check_a11y(page)
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type='submit']").click()


def workspace_menu(page):
    return page.get_by_role("navigation").filter(has=page.locator("a[href='/workspace/directory/']"))


def test_desk_officer_lands_in_the_workspace(live_demo, page, check_a11y):
    sign_in_from_home(page, check_a11y, "motcua.stp")
    page.wait_for_url(re.compile(r"/workspace/$"))

    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Đàm Thị Thu" in page.locator("header").inner_text()
    menu = workspace_menu(page)
    assert menu.count() == 1
    assert menu.locator("a[href='/workspace/']").get_attribute("aria-current") == "page"
    places = page.locator("main table tbody").inner_text()
    assert "Sở Tư pháp" in places and "Văn phòng Sở" in places
    check_a11y(page)

    menu.locator("a[href='/workspace/directory/']").click()
    page.wait_for_url(re.compile(r"/workspace/directory/$"))
    assert menu.locator("a[href='/workspace/directory/']").get_attribute("aria-current") == "page"
    assert "Sở Tư pháp" in page.locator("main table").first.inner_text()
    check_a11y(page)

    with page.expect_navigation() as navigation:
        menu.locator("a[href='/workspace/calendar/']").click()
    assert navigation.value.ok, f"the working calendar answered {navigation.value.status}"
    assert str(timezone.localdate().year) in page.locator("main h1").inner_text()
    assert menu.locator("a[href='/workspace/calendar/']").get_attribute("aria-current") == "page"
    check_a11y(page)

    # Shell labels come from the translations; checked last so that axe has seen every page.
    assert WORKSPACE in page.locator("header").inner_text()
    assert WORKSPACE in page.title()


def test_citizen_lands_on_their_account(live_demo, page, check_a11y):
    sign_in_from_home(page, check_a11y, "congdan@example.vn")
    page.wait_for_url(re.compile(r"/account/$"))

    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Nguyễn Thị Hồng" in page.locator("main").inner_text()
    assert page.locator("header nav a[href='/account/']").count() == 1
    # The portal shell: no workspace menu, no link to the workspace in the header.
    assert workspace_menu(page).count() == 0
    assert page.locator("header a[href='/workspace/']").count() == 0
    check_a11y(page)

    page.locator("main a[href='/accounts/security/']").click()
    page.wait_for_url(re.compile(r"/accounts/security/$"))
    assert workspace_menu(page).count() == 0
    check_a11y(page)

    # Shell label from the translations; checked last so that axe has seen every page.
    assert page.locator("header nav a[href='/account/']").inner_text() == MY_ACCOUNT


def test_leader_signs_in_with_a_totp_code(live_demo, page, check_a11y):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import current_code

    sign_in_from_home(page, check_a11y, "giamdoc.stp")
    page.wait_for_url(re.compile(r"/accounts/login/otp/$"))
    assert page.locator("html").get_attribute("lang") == "vi"
    check_a11y(page)

    device = TOTPDevice.objects.get(user__username="giamdoc.stp", confirmed=True)
    page.fill("#id_otp_token", current_code(device))
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/workspace/$"))
    assert "Hà Văn Thắng" in page.locator("header").inner_text()
    assert "Sở Tư pháp" in page.locator("main table tbody").inner_text()
    assert workspace_menu(page).count() == 1
    check_a11y(page)
    assert WORKSPACE in page.locator("header").inner_text()

    # The leader's own pages: results waiting for a signature, and the statistics.
    page.locator("nav a[href='/workspace/dossiers/to-sign/']").click()
    page.wait_for_url(re.compile(r"/to-sign/$"))
    assert "Kết quả chờ ký số" in page.locator("main h1").inner_text()
    check_a11y(page)
    page.locator("nav a[href='/workspace/reports/']").click()
    page.wait_for_url(re.compile(r"/workspace/reports/$"))
    check_a11y(page)


def test_registration_page_and_switching_to_english(live_demo, page, check_a11y):
    page.goto("/accounts/register/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("main form input[type='email']").count() == 1
    check_a11y(page)

    # The same page with errors: each field says it is invalid and points at its messages.
    page.locator("main form button[type='submit']").click()
    page.wait_for_selector("#id_email[aria-invalid='true']")
    assert "id_email-errors" in page.locator("#id_email").get_attribute("aria-describedby")
    check_a11y(page)

    footer = page.locator("footer")
    footer.locator("select[name='language']").select_option("en")
    footer.locator("button[type='submit']").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.url.endswith("/accounts/register/")
    assert page.locator("h1").inner_text() == "Register an account"
    assert footer.locator("select[name='language']").input_value() == "en"
    check_a11y(page)


@pytest.mark.parametrize("path", ["/", "/accounts/register/"])
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(live_demo, page, path):
    page.goto(path)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["egov-skip", "#main"]
    assert page.locator("a.egov-skip").is_visible()  # visible while focused (WCAG 2.4.7)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"


def test_skip_link_in_the_workspace(live_demo, page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "motcua.stp")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/workspace/$"))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "egov-skip"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")


# What a person sees (text, controls, cards), not the layout boxes whose gutters overlap on purpose.
SEEN = "a, button, input, select, label, p, h1, h2, h3, li, dt, dd, img, .card, .navbar-brand"
OUTSIDE_THE_SCREEN = """(margin) => [...document.querySelectorAll('main :is(SEEN), header :is(SEEN)')]
  .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width > 0 && (box.left < margin || box.right > innerWidth - margin))
  .map(([el, box]) => `${el.tagName}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}`)""".replace(
    "SEEN", SEEN)


def test_home_page_on_a_phone_has_a_collapsible_menu_and_nothing_at_the_edges(live_demo, browser, live_server,
                                                                              check_a11y):
    from procedures.demo import load_catalog

    load_catalog()
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto("/")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        assert page.evaluate(OUTSIDE_THE_SCREEN, 8) == []  # at least 8 px from each edge
        assert page.locator("main form[role='search'] input[name='q']").is_visible()
        menu_link = page.locator("#portal-menu a[href='/procedures/']")
        assert not menu_link.is_visible()  # folded away behind the button
        check_a11y(page)
        toggler = page.locator("header button.navbar-toggler")
        toggler.click()
        menu_link.wait_for(state="visible")
        assert toggler.get_attribute("aria-expanded") == "true"
        assert page.evaluate(OUTSIDE_THE_SCREEN, 8) == []
        check_a11y(page)
        menu_link.click()
        page.wait_for_url(re.compile(r"/procedures/$"))
    finally:
        context.close()


def _one_row(page, selector: str) -> set[int]:
    """The distinct vertical centres of the visible items of a bar: one value when it does not wrap."""
    return set(page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter((el) => el.getClientRects().length)
             .map((el) => { const b = el.getBoundingClientRect(); return Math.round((b.top + b.bottom) / 2 / 8); })""",
        selector))


def test_navigation_does_not_wrap_on_a_1366_px_screen(live_demo, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", "motcua.stp")
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main form button[type='submit']").click()
        page.wait_for_url(re.compile(r"/workspace/$"))
        assert len(_one_row(page, "header .navbar-brand, header .nav-link, header button")) == 1
        page.goto("/")  # the portal's header for an official, with the link to the workspace
        assert len(_one_row(page, "header .navbar-brand, header .nav-link, header button")) == 1
    finally:
        context.close()
