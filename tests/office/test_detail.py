"""dossiers.office.detail: the dossier's page shows who acts next and offers exactly the
actions of dossiers.policy; another agency's dossier and its slips are 404."""

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
