"""dossiers.office.detail: the dossier's page shows first who acts next and exactly the actions
of dossiers.policy, then the details, the papers previewed inline and the history as sentences;
another agency's dossier, its slips and its previews are 404."""

from audit.models import AuditEntry
from dossiers.models import Slip
from tests.dossier_scenarios import DESK, SCENARIOS, SPECIALIST

QUEUE = "/workspace/dossiers/"


def _next_actor(page: str) -> str:
    start = page.index('id="next-actor"')
    return page[start:page.index("</dd>", start)]


def test_the_page_names_who_acts_next(demo, procedure, sign_in):
    desk = sign_in(DESK)
    waiting = _next_actor(desk.get(f"{QUEUE}{SCENARIOS['submitted'](demo, procedure).pk}/").content.decode())
    assert "phường Đức Xuân" in waiting  # the receiving agency's desk
    examining = SCENARIOS["examining"](demo, procedure)
    text = _next_actor(desk.get(f"{QUEUE}{examining.pk}/").content.decode())
    assert "Tư pháp - Hộ tịch" in text  # the step's role in its unit, nobody named yet
    assigned = SCENARIOS["examining, assigned"](demo, procedure)
    assert "Nông Văn Khánh" in _next_actor(desk.get(f"{QUEUE}{assigned.pk}/").content.decode())


def test_the_page_offers_what_the_policy_allows(demo, procedure, sign_in):
    dossier = SCENARIOS["examining"](demo, procedure)
    url = f"{QUEUE}{dossier.pk}/"
    page = sign_in(SPECIALIST).get(url).content.decode()
    for action in ("forward", "supplement", "pause", "propose-refusal", "prepare-result"):
        assert f'action="{url}{action}/"' in page
    for action in ("approve", "refuse", "return", "assign", "accept", "return-result"):
        assert f'action="{url}{action}/"' not in page


def test_another_agencys_dossier_and_its_slips_are_404(demo, procedure, sign_in):
    dossier = SCENARIOS["examining"](demo, procedure)
    other = sign_in("motcua.backan")
    assert other.get(f"{QUEUE}{dossier.pk}/").status_code == 404
    assert other.post(f"{QUEUE}{dossier.pk}/control-slip/").status_code == 404
    receipt = dossier.slips.get(form=Slip.Form.RECEIPT)
    assert other.get(f"{QUEUE}slips/{receipt.pk}/").status_code == 404


def test_what_to_do_and_who_acts_next_come_before_the_details(demo, procedure, sign_in):
    dossier = SCENARIOS["examining"](demo, procedure)
    page = sign_in(SPECIALIST).get(f"{QUEUE}{dossier.pk}/").content.decode()
    order = [page.index(marker) for marker in ('id="h-next"', 'id="next-actor"', 'id="h-actions"',
                                                f'action="{QUEUE}{dossier.pk}/forward/"', 'id="h-glance"',
                                                'id="h-applicant"', 'id="h-papers"', 'id="h-story"')]
    assert order == sorted(order)


def test_the_papers_are_previewed_inline_and_still_downloadable(demo, procedure, sign_in):
    dossier = SCENARIOS["examining"](demo, procedure)
    pdf, png = dossier.files.get(extension="pdf"), dossier.files.get(extension="png")
    desk = sign_in(DESK)
    page = desk.get(f"{QUEUE}{dossier.pk}/").content.decode()
    assert f'<iframe class="egov-preview-frame mt-2" src="{QUEUE}files/{pdf.pk}/"' in page
    assert f'<img class="egov-preview-image mt-2" src="{QUEUE}files/{png.pk}/" alt="Giấy chứng sinh: ' in page
    assert f'href="/dossiers/files/{pdf.pk}/"' in page and f'href="/dossiers/files/{png.pk}/"' in page
    assert page.count('<details class="egov-preview') == 2  # collapsed: a long dossier stays readable
    shown = desk.get(f"{QUEUE}files/{pdf.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in shown["Content-Security-Policy"]
    assert b"".join(shown.streaming_content).startswith(b"%PDF-")
    image = desk.get(f"{QUEUE}files/{png.pk}/")
    assert image["Content-Type"] == "image/png" and image["Content-Disposition"].startswith("inline")
    assert AuditEntry.objects.filter(action="read", object_type="dossiers.dossierfile", object_id=str(pdf.pk),
                                     actor_label=DESK).exists()
    # The page framing them is still never framed by anyone.
    framing = desk.get(f"{QUEUE}{dossier.pk}/")
    assert framing["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in framing["Content-Security-Policy"]


def test_another_agencys_official_gets_404_on_the_preview(demo, procedure, sign_in):
    dossier = SCENARIOS["examining"](demo, procedure)
    pdf = dossier.files.get(extension="pdf")
    assert sign_in("motcua.backan").get(f"{QUEUE}files/{pdf.pk}/").status_code == 404
    assert sign_in("congdan@example.vn").get(f"{QUEUE}files/{pdf.pk}/").status_code in (302, 403, 404)


def test_the_history_reads_as_sentences(demo, procedure, sign_in):
    dossier = SCENARIOS["examining, assigned"](demo, procedure)
    page = sign_in(DESK).get(f"{QUEUE}{dossier.pk}/").content.decode()
    story = page[page.index('id="h-story"'):page.index('id="h-steps"')]
    assert "Hà Thị Phương (Bộ phận Một cửa, Ủy ban nhân dân phường Đức Xuân) tiếp nhận hồ sơ, chuyển Tư pháp - Hộ " \
           "tịch xử lý; hẹn trả" in story
    assert 'id="h-steps"' in page  # the process-control table stays
