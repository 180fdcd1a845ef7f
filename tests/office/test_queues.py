"""dossiers.office.queues: each role's work list, including the clerk's issuance step, every tab
with the count of its rows; another agency's dossiers are neither listed nor assignable."""

import datetime as dt
import re

from django.utils import timezone

from dossiers.models import Dossier
from dossiers.office import queues
from dossiers.office.queues import tab_queryset
from tests.dossier_scenarios import CLERK, DESK, LEADER, SCENARIOS, SPECIALIST

QUEUE = "/workspace/dossiers/"


def test_the_clerk_finds_the_signed_result_waiting_for_issuance(demo, procedure, sign_in, registered):
    signed = SCENARIOS["result signed"](demo, procedure)
    drafted = SCENARIOS["result drafted"](demo, procedure)
    clerk = sign_in(CLERK)
    listing = clerk.get(QUEUE).content.decode()
    assert 'href="?tab=issue"' in listing
    issue = clerk.get(QUEUE + "?tab=issue").content.decode()
    assert signed.code in issue and drafted.code not in issue  # not signed yet: the leader's turn
    assert 'href="?tab=issue"' not in sign_in(DESK).get(QUEUE).content.decode()
    # The desk returns only what can be returned: not a result still to sign or issue.
    results = sign_in(DESK).get(QUEUE + "?tab=results").content.decode()
    assert signed.code not in results and drafted.code not in results


def test_the_desk_lists_an_issued_result_to_return(demo, procedure, sign_in, registered):
    issued = SCENARIOS["result issued"](demo, procedure)
    assert issued.code in sign_in(DESK).get(QUEUE + "?tab=results").content.decode()
    # The clerk's list, read directly: signing in would use the one-time code issuing just used.
    assert not tab_queryset(demo.users[CLERK], "issue", timezone.now()).filter(pk=issued.pk).exists()


def test_another_agencys_dossier_is_neither_listed_nor_assignable(demo, procedure, sign_in):
    dossier = SCENARIOS["examining"](demo, procedure)
    other = sign_in("motcua.backan")
    assert dossier.code not in other.get(QUEUE + "?tab=all").content.decode()
    leader = sign_in(LEADER)
    assert dossier.code in leader.get(QUEUE + "?tab=assign").content.decode()
    other.post(QUEUE + "assign/", {"dossier": [dossier.pk], "assignee": demo.users["tuphap.ducxuan"].pk,
                                   f"revision-{dossier.pk}": dossier.revision})
    assert Dossier.objects.get(pk=dossier.pk).current_step.assignee_id is None


def _badges(page: str) -> dict[str, int]:
    return {name: int(count) for name, count in re.findall(r'data-count="(\w+)">(\d+)<', page)}


def test_every_tab_shows_a_count_equal_to_its_rows(demo, procedure, sign_in):
    for name in ("submitted", "examining", "examining, assigned", "supplement in processing", "paused",
                 "near due", "approving", "approved on paper", "refused at intake"):
        SCENARIOS[name](demo, procedure)
    overdue = SCENARIOS["examining"](demo, procedure)
    Dossier.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    for username in (DESK, SPECIALIST, LEADER, CLERK):
        official = sign_in(username)
        badges = _badges(official.get(QUEUE).content.decode())
        assert "all" in badges and len(badges) >= 5  # every tab the official has, not only the work tabs
        for tab, count in badges.items():
            page = official.get(f"{QUEUE}?tab={tab}").content.decode()
            assert page.count("data-row-link") == count, (username, tab)
    desk = _badges(sign_in(DESK).get(QUEUE).content.decode())
    assert desk["intake"] == 1 and desk["results"] == 1 and desk["waiting"] == 1 and desk["overdue"] == 1
    assert desk["all"] == 10


def test_the_leader_is_pointed_to_the_batch_signing_page_when_results_wait(demo, procedure, sign_in, registered):
    leader = sign_in(LEADER)
    assert 'id="to-sign"' not in leader.get(QUEUE).content.decode()
    SCENARIOS["result drafted"](demo, procedure)
    page = leader.get(QUEUE).content.decode()
    assert 'id="to-sign"' in page and 'href="/workspace/dossiers/to-sign/"' in page
    assert 'id="to-sign"' not in sign_in(DESK).get(QUEUE).content.decode()  # the desk does not sign


def test_the_queue_is_usable_by_keyboard_without_inline_script(demo, procedure, sign_in):
    SCENARIOS["examining"](demo, procedure)
    page = sign_in(LEADER).get(QUEUE + "?tab=assign").content.decode()
    assert 'data-select-all="dossier"' in page  # revealed by the script; the checkboxes work without it
    assert '<script src="/static/dossiers/queue.js"' in page and "<script>" not in page
    assert "Phím tắt" in page and "<kbd>/</kbd>" in page
    assert 'data-row-link' in page


def test_a_list_longer_than_its_cap_says_more_than_and_offers_no_page_past_it(demo, procedure, sign_in, monkeypatch):
    for name in ("submitted", "examining", "near due", "paused", "approving"):
        SCENARIOS[name](demo, procedure)
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    monkeypatch.setattr(queues, "LIST_CAP", 4)  # five dossiers in "All", counted up to four
    desk = sign_in(DESK)
    first = desk.get(QUEUE + "?tab=all").content.decode()
    assert "hơn 4 hồ sơ: hãy thu hẹp danh sách bằng bộ lọc" in first and "1 / 2+" in first
    last = desk.get(QUEUE + "?tab=all&page=2").content.decode()
    assert last.count("data-row-link") == 2 and "page=3" not in last  # no page past the cap
    monkeypatch.setattr(queues, "LIST_CAP", 5)  # exactly as many as the cap: the exact count
    exact = desk.get(QUEUE + "?tab=all").content.decode()
    assert "– 5 hồ sơ" in exact and "hơn" not in exact and "1 / 3<" in exact
