"""Every role, end to end, on the demo as a newcomer starts it (``egov demo --addr`` on a port that is
not the default one, nothing configured by hand), in headless Chromium:

the citizen applies starting logged out, pays and tracks the dossier; the desk accepts it; the
specialist prepares the result and hands it on; the leader approves and signs; the clerk issues it;
the desk returns it; the citizen downloads the result and verifies it, by upload and through the QR
code's link; the leader exports the statistics. axe-core (WCAG 2.1 A/AA, colour contrast included)
checks every page, the citizen's at 390 px wide; the workspace is used on a tablet too. A screenshot of each step is written to
``artifacts/screenshots/journey/`` (``EGOV_ARTIFACTS_DIR``), which CI keeps for people to look at."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest

from directory.demo import DEMO_PASSWORD
from dossiers.codes import CODE_RE
from tests import tools
from tests.browser import demo_server
from tests.browser.eform import fill_birth_registration

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 820, "height": 1180}
CITIZEN = "congdan@example.vn"
PROCEDURE = "1.001193"  # Thủ tục đăng ký khai sinh, in the demo catalog
AGENCY = "Ủy ban nhân dân phường Đức Xuân"
DESK, SPECIALIST, LEADER, CLERK = "motcua.ducxuan", "tuphap.ducxuan", "chutich.ducxuan", "vanthu.ducxuan"


def artifacts_dir() -> Path:
    base = Path(os.environ.get("EGOV_ARTIFACTS_DIR") or demo_server.ROOT / "artifacts")
    folder = base / "screenshots" / "journey"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tools.require("chromium", "softhsm2-util", "pdftotext")
    server = demo_server.start(tmp_path_factory.mktemp("egov-demo"))
    try:
        yield server
    finally:
        server.stop()


class Journey:
    """One role's browser tab: screenshots numbered across the whole journey, axe on each page."""

    shots = 0

    def __init__(self, browser, demo, check_a11y, folder: Path, viewport: dict):
        self.demo, self.check_a11y, self.folder = demo, check_a11y, folder
        self.context = browser.new_context(base_url=demo.url, locale="vi-VN", viewport=viewport)
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()

    def step(self, name: str) -> None:
        """The page is done loading: check it with axe and keep a picture of it."""
        self.page.wait_for_load_state("networkidle")
        Journey.shots += 1
        self.page.screenshot(path=str(self.folder / f"{Journey.shots:02d}-{name}.png"), full_page=True)
        self.check_a11y(self.page)

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()

    def sign_in(self, username: str, *, with_code: bool = False) -> None:
        page = self.page
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main form button[type='submit']").click()
        if with_code:
            page.wait_for_url(re.compile(r"/accounts/login/otp/"))
            self.step(f"{username}-one-time-code")
            page.fill("#id_otp_token", self.demo.code(username))
            page.locator("main form button[type='submit']").click()
        page.wait_for_load_state("networkidle")

    def official(self, username: str, *, with_code: bool = False) -> None:
        self.page.goto("/accounts/login/")
        self.sign_in(username, with_code=with_code)
        self.page.wait_for_url(re.compile(r"/workspace/$"))
        self.step(f"{username}-workspace")

    def open_from_queue(self, tab: str, code: str, name: str) -> None:
        self.page.goto(f"/workspace/dossiers/?tab={tab}")
        assert code in self.page.locator("main table").inner_text(), f"{code} not in the {tab} queue"
        self.step(f"{name}-queue-{tab}")
        self.page.locator("main table").get_by_role("link", name=code).click()
        self.page.wait_for_url(re.compile(r"/workspace/dossiers/\d+/$"))
        self.step(f"{name}-dossier")

    def act(self, action: str, fill=None) -> None:
        """Open the action's form on the dossier's page, fill it, submit, expect success."""
        form = self.page.locator(f"main form[action$='/{action}/']")
        details = self.page.locator("main details").filter(has=self.page.locator(f"form[action$='/{action}/']"))
        if details.count() and details.first.get_attribute("open") is None:
            details.first.locator("summary").click()
        if fill:
            fill(form)
        form.locator("button[type='submit']").click()
        self.page.wait_for_selector("main .alert-success, main .alert-danger")
        errors = self.page.locator("main .alert-danger")
        assert not errors.count(), errors.first.inner_text()
        self.step(f"{action}-done")

    def who_acts_next(self) -> str:
        return self.page.locator("#next-actor").inner_text()

    def close(self) -> None:
        self.context.close()


def pdf_text(pdf: bytes, folder: Path) -> str:
    path = folder / "result.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def test_every_role_on_the_demo_served_on_another_port(demo, browser, check_a11y, tmp_path):
    folder = artifacts_dir()
    Journey.shots = 0
    assert f"Mở / open {demo.url}/" in demo.output()  # the address printed is the one served
    assert ":8000" not in demo.url

    # 1. The citizen, on a phone, starts logged out from the home page's search.
    citizen = Journey(browser, demo, check_a11y, folder, PHONE)
    page = citizen.page
    page.goto("/")
    citizen.step("home")
    page.locator("main form[role='search'] input[type='search'], main form[role='search'] input[name='q']").first.fill(
        "khai sinh")
    page.locator("main form[role='search'] button[type='submit']").first.click()
    citizen.step("search")
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).first.click()
    page.wait_for_url(re.compile(rf"/procedures/{re.escape(PROCEDURE)}/$"))
    citizen.step("procedure")
    page.select_option("#agency", label=AGENCY)
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    citizen.step("login")
    citizen.sign_in(CITIZEN)
    page.wait_for_url(re.compile(rf"/procedures/{re.escape(PROCEDURE)}/$"))  # back where they were going
    page.select_option("#agency", label=AGENCY)
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r"/dossiers/my/\d+/edit/$"))
    citizen.step("e-form")

    fill_birth_registration(page, phone="0912345678", requester_id="006190001234", relationship="Mẹ",
                            child="Nguyễn Gia Bảo", birth_date="20/11/2026", sex="Nam",
                            place="Trung tâm Y tế phường Đức Xuân", copies=1)
    citizen.step("review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    citizen.step("receipt")
    found = re.search(CODE_RE.pattern.strip("^$"), citizen.main_text())
    assert found, citizen.main_text()
    code = found.group(0)

    # Pays through the payment simulator, reached at the address served (no setting).
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(re.compile(rf"^{re.escape(demo.url)}/paysim/pay"))
    citizen.step("payment-gateway")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    page.wait_for_url(re.compile(r"/payments/return"))
    citizen.step("payment-return")
    assert "8.000 đ" in citizen.main_text()  # one extract of the birth certificate

    # Tracks it: my dossiers, then its page.
    page.goto("/dossiers/my/")
    citizen.step("my-dossiers")
    page.get_by_role("link", name=code).first.click()
    page.wait_for_url(re.compile(r"/dossiers/my/\d+/$"))
    citizen.step("my-dossier-submitted")
    dossier_url = page.url

    # 2. The desk accepts it and sends it to the civil-status unit.
    desk = Journey(browser, demo, check_a11y, folder, DESKTOP)
    desk.official(DESK)
    desk.open_from_queue("intake", code, "desk")
    desk.act("accept", lambda form: form.locator("select[name='accept-unit']").select_option(
        label="Tư pháp - Hộ tịch"))
    assert "Nông Văn Khánh" in desk.who_acts_next() or "Tư pháp - Hộ tịch" in desk.who_acts_next()

    # 3. The specialist prepares the result and hands the dossier on to the leader.
    specialist = Journey(browser, demo, check_a11y, folder, DESKTOP)
    specialist.official(SPECIALIST)
    specialist.open_from_queue("mine", code, "specialist")
    specialist.act("prepare-result")
    specialist.act("forward")
    assert "Phùng Văn Minh" in specialist.who_acts_next() or "Lãnh đạo" in specialist.who_acts_next()

    # 4. The leader approves and signs (password and the next one-time code).
    leader = Journey(browser, demo, check_a11y, folder, DESKTOP)
    leader.official(LEADER, with_code=True)
    leader.open_from_queue("mine", code, "leader")
    leader.act("approve")
    leader.act("sign-result", lambda form: (form.locator("input[type='password']").fill(DEMO_PASSWORD),
                                            form.locator("input[name$='otp_token']").fill(demo.code(LEADER, step=1))))
    assert "Văn thư" in leader.who_acts_next()  # the clerk issues next, and everyone sees it

    # 5. The clerk finds it in the issuance queue and issues it.
    clerk = Journey(browser, demo, check_a11y, folder, DESKTOP)
    clerk.official(CLERK, with_code=True)
    clerk.open_from_queue("issue", code, "clerk")
    clerk.act("issue-result", lambda form: (form.locator("input[type='password']").fill(DEMO_PASSWORD),
                                            form.locator("input[name$='otp_token']").fill(demo.code(CLERK, step=1))))

    # 6. The desk returns it electronically.
    desk.open_from_queue("results", code, "desk-return")
    desk.act("return-result", lambda form: form.locator("input[value='online']").check())

    # The desk's colleague on a tablet: the queue and the dossier fit the screen (tables scroll inside).
    tablet = Journey(browser, demo, check_a11y, folder, TABLET)
    tablet.official(DESK)
    tablet.open_from_queue("all", code, "tablet")
    assert tablet.page.evaluate("() => document.documentElement.scrollWidth") <= TABLET["width"]

    # 7. The citizen downloads the result and verifies it.
    page.goto(dossier_url)
    citizen.step("my-dossier-completed")
    link = page.locator("main a[href^='/dossiers/files/']").filter(has_text=re.compile(r"ket-qua", re.I)).first
    response = citizen.context.request.get(link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    result = response.body()
    page.goto("/verify/")
    citizen.step("verify")
    page.set_input_files("main input[type='file']", files=[
        {"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": result}])
    page.locator("main form button[type='submit']").last.click()
    page.wait_for_selector("main .alert-success")
    citizen.step("verify-result")
    assert "hợp lệ" in citizen.main_text().lower()
    qr_link = re.search(r"/verify/\?h=([0-9a-f]{64})", pdf_text(result, tmp_path))
    assert qr_link, "the result carries the verification link"
    page.goto(f"/verify/?h={qr_link.group(1)}")
    citizen.step("verify-qr-link")
    assert code in citizen.main_text() or "Giấy khai sinh" in citizen.main_text()

    # 8. The leader exports the month's statistics.
    leader.page.goto("/workspace/reports/")
    leader.step("reports")
    with leader.page.expect_download() as download:
        leader.page.locator("main a[href*='settlement.xlsx']").click()
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = " ".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value)
    assert "Đức Xuân" in cells

    for journey in (citizen, desk, specialist, leader, clerk, tablet):
        journey.close()
    assert len(list(folder.glob("*.png"))) == Journey.shots >= 30
