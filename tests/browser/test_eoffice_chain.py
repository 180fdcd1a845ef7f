"""The e-office's whole chain in headless Chromium, at the Department of Justice (Sở Tư pháp):

the clerk registers a scanned incoming letter, whose text the OCR reads and the search then finds
typed without accents; the director directs it to a specialist; the specialist drafts the answer
from it; the unit head returns the draft with a comment; the specialist revises it; the unit head
and the director approve; the director signs; the clerk issues it with the register's next number;
`pdfsig` finds both signatures valid; the incoming letter now reads "handled", answered by that
number. axe-core checks every page visited."""

from __future__ import annotations

import io
import re

import pytest

from directory.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.requires_tools("tesseract", "softhsm2-util", "pdfsig", "certutil")]

CLERK, DIRECTOR, HEAD, SPECIALIST = "vanthu.stp", "giamdoc.stp", "truongphong.stp", "chuyenvien.stp"
SCANNED = ["ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN", "Số: 88/UBND-KSTT", "V/v rà soát thủ tục hành chính",
           "đề nghị Sở Tư pháp báo cáo kết quả rà soát", "trước ngày 15 tháng 12 năm 2026."]


def scanned_letter() -> bytes:
    """A page as a scanner gives it: an image of printed Vietnamese text (the OCR has to read it)."""
    from PIL import Image, ImageDraw, ImageFont

    from signing.appearance import FONT

    image = Image.new("RGB", (1700, 900), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 44)
    for index, line in enumerate(SCANNED):
        draw.text((90, 80 + index * 110), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def stp(test_pki, transactional_db):
    """The demo directory, its registers and the test PKI's certificates, in the database the live
    server reads (flushed after the test)."""
    from directory.demo import load_demo
    from documents.demo import load_registers
    from signing import setup

    demo = load_demo()
    load_registers()
    setup.register_demo(test_pki[0])
    return demo


class Desk:
    """One official's browser tab."""

    def __init__(self, browser, live_server, check_a11y, username: str):
        self.context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                           viewport={"width": 1366, "height": 900})
        self.context.set_default_timeout(20_000)
        self.page, self.check, self.username = self.context.new_page(), check_a11y, username
        self._sign_in()

    def code(self, *, ahead: int = 0) -> str:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.test_signing_flow import next_code

        device = TOTPDevice.objects.get(user__username=self.username, confirmed=True)
        if ahead:
            return next_code(device)
        from tests.conftest import current_code

        return current_code(device)

    def _sign_in(self) -> None:
        page = self.page
        page.goto("/accounts/login/")
        page.fill("#id_username", self.username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main form button[type='submit']").click()
        page.wait_for_url(re.compile(r"/(workspace|accounts/login/otp)/$"))
        if page.url.endswith("/otp/"):
            page.fill("#id_otp_token", self.code())
            page.locator("main form button[type='submit']").click()
        page.wait_for_url(re.compile(r"/workspace/$"))

    def go(self, url: str) -> None:
        self.page.goto(url)
        self.check(self.page)

    def act(self, action: str, fill=None) -> None:
        """Open the action's form (in a <details> or a card), fill it, send it; the page says it worked."""
        form = self.page.locator(f"main form[action$='/{action}/']").first
        details = self.page.locator("main details").filter(has=self.page.locator(f"form[action$='/{action}/']"))
        if details.count() and details.first.get_attribute("open") is None:
            details.first.locator("summary").click()
        if fill:
            fill(form)
        form.locator("button[type='submit']").click()
        self.page.wait_for_load_state("networkidle")
        errors = self.page.locator("main .alert-danger, main .invalid-feedback, main .errorlist")
        assert not errors.count(), errors.first.inner_text()
        self.check(self.page)

    def close(self) -> None:
        self.context.close()


def test_an_incoming_letter_is_answered_through_the_whole_chain(stp, browser, live_server, check_a11y, nss_db,
                                                                tmp_path):
    from documents.models import Direction, Document, Status
    from tests.test_signing import assert_pdfsig_valid

    # 1. The clerk registers the scanned letter; the OCR reads it.
    clerk = Desk(browser, live_server, check_a11y, CLERK)
    page = clerk.page
    clerk.go("/workspace/documents/incoming/register/")
    page.locator("#id_register").select_option(label="Sổ đăng ký văn bản đến")
    page.locator("#id_document_type").select_option(label="Công văn")
    page.fill("#id_number_symbol", "88/UBND-KSTT")
    page.fill("#id_issuer_name", "Ủy ban nhân dân tỉnh Thái Nguyên")
    page.fill("#id_issued_on", "01/12/2026")
    page.fill("#id_abstract", "V/v rà soát thủ tục hành chính")
    page.set_input_files("main input[type='file']", files=[
        {"name": "cong-van-88.png", "mimeType": "image/png", "buffer": scanned_letter()}])
    page.locator("main form button[type='submit']").last.click()
    page.wait_for_url(re.compile(r"/incoming/\d+/$"))
    clerk.check(page)
    letter = Document.objects.get(direction=Direction.INCOMING, number_symbol="88/UBND-KSTT")
    assert letter.status == Status.REGISTERED and letter.register_number == 1
    assert "kết quả rà soát" in " ".join(letter.files.values_list("text", flat=True)).lower()

    # ... and the search finds a word only the scan holds, typed without accents.
    clerk.go("/workspace/documents/search/?q=ket+qua+ra+soat")
    assert "88/UBND-KSTT" in page.locator("main").inner_text()

    # 2. The director directs it to the specialist.
    director = Desk(browser, live_server, check_a11y, DIRECTOR)
    director.go(f"/workspace/documents/incoming/{letter.pk}/")
    director.act("direct", lambda form: (
        form.locator("select[name$='main']").select_option(_option(form, "main", SPECIALIST, stp)),
        form.locator("textarea[name$='note']").fill("Đ/c Sơn dự thảo văn bản trả lời, trình trước 10/12.")))
    letter.refresh_from_db()
    assert letter.status == Status.IN_HANDLING

    # 3. The specialist drafts the answer from the letter.
    specialist = Desk(browser, live_server, check_a11y, SPECIALIST)
    specialist.go(f"/workspace/documents/incoming/{letter.pk}/")
    specialist.page.get_by_role("link", name="Soạn văn bản trả lời").click()
    specialist.page.wait_for_url(re.compile(r"/outgoing/new/\?reply_to="))
    specialist.check(specialist.page)
    specialist.page.locator("#id_document_type").select_option(label="Công văn")
    specialist.page.fill("#id_body", "Sở Tư pháp đã rà soát 24 thủ tục hành chính.\nKết quả như phụ lục kèm theo.")
    specialist.page.locator("main form button[type='submit']").click()
    specialist.page.wait_for_url(re.compile(r"/outgoing/\d+/$"))
    specialist.check(specialist.page)
    answer = Document.objects.get(direction=Direction.OUTGOING, in_reply_to=letter)
    reviewers = [str(stp.users[HEAD].pk), str(stp.users[DIRECTOR].pk)]
    specialist.act("submit_review", lambda form: form.locator("select[name$='reviewers']").select_option(reviewers))

    # 4. The unit head returns it with a comment.
    head = Desk(browser, live_server, check_a11y, HEAD)
    head.go(f"/workspace/documents/outgoing/{answer.pk}/")
    head.act("review", lambda form: (form.locator("input[value='return']").check(),
                                     form.locator("textarea[name$='comment']").fill("Bổ sung số liệu từng lĩnh vực.")))
    answer.refresh_from_db()
    assert answer.status == Status.DRAFTING

    # 5. The specialist revises and sends it again.
    specialist.go(f"/workspace/documents/outgoing/{answer.pk}/")
    assert "Bổ sung số liệu từng lĩnh vực." in specialist.page.locator("main").inner_text()
    specialist.act("edit_draft", lambda form: form.locator("textarea[name$='body']").fill(
        "Sở Tư pháp đã rà soát 24 thủ tục hành chính: hộ tịch 12, chứng thực 7, lý lịch tư pháp 5.\n"
        "Kết quả như phụ lục kèm theo."))
    specialist.act("submit_review", lambda form: form.locator("select[name$='reviewers']").select_option(reviewers))

    # 6. The unit head and the director approve; the director signs.
    head.go(f"/workspace/documents/outgoing/{answer.pk}/")
    head.act("review", lambda form: form.locator("input[value='approve']").check())
    director.go(f"/workspace/documents/outgoing/{answer.pk}/")
    director.act("review", lambda form: form.locator("input[value='approve']").check())
    director.act("sign", lambda form: (form.locator("input[type='password']").fill(DEMO_PASSWORD),
                                       form.locator("input[name$='otp_token']").fill(director.code(ahead=1))))
    answer.refresh_from_db()
    assert answer.status == Status.SIGNED

    # 7. The clerk issues it with the register's next number.
    clerk.go(f"/workspace/documents/outgoing/{answer.pk}/")
    clerk.act("issue", lambda form: (form.locator("input[type='password']").fill(DEMO_PASSWORD),
                                     form.locator("input[name$='otp_token']").fill(clerk.code(ahead=1))))
    answer.refresh_from_db()
    assert answer.status == Status.ISSUED and re.fullmatch(r"01/STP(-\w+)?", answer.number_symbol)
    assert answer.number_symbol in clerk.page.locator("main").inner_text()
    issued = answer.files.get(kind="issued")
    with issued.file.open("rb") as handle:
        assert_pdfsig_valid(handle.read(), nss_db, tmp_path, 2)

    # 8. The letter is handled, answered by that number.
    clerk.go(f"/workspace/documents/incoming/{letter.pk}/")
    letter.refresh_from_db()
    assert (letter.status, letter.answered_by_id) == (Status.HANDLED, answer.pk)
    assert "đã xử lý" in clerk.page.locator("main").inner_text().lower()

    for desk in (clerk, director, specialist, head):
        desk.close()


def _option(form, field: str, username: str, demo) -> str:
    """The value of ``username``'s option in the form's ``field`` select."""
    user = demo.users[username]
    options = form.locator(f"select[name$='{field}'] option")
    for index in range(options.count()):
        option = options.nth(index)
        if user.get_full_name() in option.inner_text():
            return option.get_attribute("value")
    raise AssertionError(f"{username} is not offered in {field}")
