"""Filling the demo catalog's birth-registration e-form (procedure 1.001193) as an applicant does."""

import re

from tests.factories import pdf_file, png_file


def fill_birth_registration(page, *, phone: str, requester_id: str, relationship: str, child: str,
                            birth_date: str, sex: str, place: str, copies: int) -> None:
    """Type the declaration (``birth_date`` as written, dd/mm/yyyy), attach the two papers and go on
    to the review page."""
    page.fill("#id_applicant_phone", phone)
    page.fill("#id_requester_id", requester_id)
    page.select_option("#id_relationship", relationship)
    page.fill("#id_child_name", child)
    page.fill("#id_birth_date", birth_date)
    page.select_option("#id_sex", sex)
    page.fill("#id_birth_place", place)
    page.fill("#id_copies", str(copies))
    files = page.locator("main input[type='file']")
    files.nth(0).set_input_files(files=[{"name": "to-khai.pdf", "mimeType": "application/pdf",
                                         "buffer": pdf_file().read()}])
    files.nth(1).set_input_files(files=[{"name": "giay-chung-sinh.png", "mimeType": "image/png",
                                         "buffer": png_file().read()}])
    page.get_by_role("button", name="Tiếp tục để kiểm tra").click()
    page.wait_for_url(re.compile(r"/review/$"))
