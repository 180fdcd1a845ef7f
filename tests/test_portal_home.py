"""The portal's home page as citizens know it from the National Public Service Portal: the search
first, popular procedures, procedures by life event and by agency, the province's figures of the
month from the live data, announcements, help, and the national identity button only when set up."""

import datetime as dt
import re
from itertools import count
from zoneinfo import ZoneInfo

import pytest
import time_machine

from directory.models import Agency
from dossiers.models import Dossier
from tests.factories import make_procedure

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_codes = count(1)


def local(year, month, day, hour=0, minute=0, second=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=VN)


# 15/03/2026 10:00 in Thái Nguyên: "this month" is March 2026, [01/03 00:00, 01/04 00:00) local.
NOW = local(2026, 3, 15, 10)


@pytest.fixture
def catalog(demo):
    stp = demo.agencies["STP"]
    return {
        "birth": make_procedure(agencies=[stp, demo.agencies["BK:STP"]], code="9.200001",
                                name="Đăng ký khai sinh (thử nghiệm)"),
        "marriage": make_procedure(agencies=[stp], code="9.200002", name="Đăng ký kết hôn (thử nghiệm)"),
        "death": make_procedure(agencies=[stp], code="9.200003", name="Đăng ký khai tử (thử nghiệm)"),
        "partial": make_procedure(agencies=[stp], code="9.200004", name="Đăng ký giám hộ (thử nghiệm)",
                                  kind="partial"),
    }


def dossier(demo, procedure, *, agency="STP", status="in_progress", channel="online", submitted=None,
            received=None, result=None, outcome="") -> Dossier:
    return Dossier.objects.create(
        code=f"HOME-{next(_codes):05d}", procedure_version=procedure.current, agency=demo.agencies[agency],
        applicant=demo.users["congdan@example.vn"], applicant_name="Nguyễn Thị Hồng", status=status,
        channel=channel, submitted_at=submitted or received, received_at=received, result_ready_at=result,
        outcome=outcome)


def figures(html: str) -> dict[str, str]:
    block = html.split('id="h-figures"', 1)[1].split("</dl>", 1)[0]
    return {term.strip(): value.strip() for term, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)}


def test_the_search_box_comes_first_and_finds_procedures_without_accents(catalog, client):
    page = client.get("/").content.decode()
    main = page.split('<main', 1)[1]
    first_form = re.search(r"<form[^>]*>", main).group(0)
    assert 'role="search"' in first_form and 'action="/procedures/"' in first_form
    assert 'name="q"' in main.split("</form>", 1)[0]
    # Where the box sends its words: the catalog's accent-insensitive search.
    found = client.get("/procedures/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh (thử nghiệm)" in found and "Đăng ký kết hôn (thử nghiệm)" not in found


def test_figures_of_the_month_count_the_whole_province_as_the_statistics_do(catalog, demo, client):
    birth = catalog["birth"]
    # Received in March, every channel and two agencies: 3. Received 28/02 23:59:59: not this month.
    dossier(demo, birth, received=local(2026, 3, 1, 0, 0, 0))
    dossier(demo, birth, agency="SXD", channel="counter", received=local(2026, 3, 10, 9))
    dossier(demo, birth, channel="post", received=local(2026, 3, 14, 9))
    dossier(demo, birth, received=local(2026, 2, 28, 23, 59, 59))
    # Settled in March: early, on time, late (received in February) -> 3 settled, 2 in time = 66.7 %.
    dossier(demo, birth, status="result_ready", received=local(2026, 2, 2, 8), result=local(2026, 3, 2, 8),
            outcome="early")
    dossier(demo, birth, status="result_ready", received=local(2026, 2, 3, 8), result=local(2026, 3, 3, 8),
            outcome="on_time")
    dossier(demo, birth, agency="SXD", status="result_ready", received=local(2026, 2, 4, 8),
            result=local(2026, 3, 4, 8), outcome="late")
    # Settled on 28/02: last month. A draft and a dossier submitted but not yet received: never counted.
    dossier(demo, birth, status="result_ready", received=local(2026, 2, 5, 8), result=local(2026, 2, 28, 23),
            outcome="on_time")
    dossier(demo, birth, status="draft")
    dossier(demo, birth, status="submitted", submitted=local(2026, 3, 12, 9))

    with time_machine.travel(NOW, tick=False):
        page = client.get("/").content.decode()
    assert "Tháng 3 năm 2026" in page
    assert figures(page) == {"Số hồ sơ tiếp nhận": "3", "Số hồ sơ đã giải quyết": "3", "Tỷ lệ giải quyết đúng hạn": "66,7 %"}
    # Figures only: nobody's name and no dossier code reach the public page.
    assert "Nguyễn Thị Hồng" not in page and "HOME-" not in page


def test_figures_say_so_when_nothing_was_settled(catalog, client):
    with time_machine.travel(NOW, tick=False):
        page = client.get("/").content.decode()
    assert figures(page) == {"Số hồ sơ tiếp nhận": "0", "Số hồ sơ đã giải quyết": "0",
                             "Tỷ lệ giải quyết đúng hạn": "chưa có hồ sơ giải quyết"}


def test_figures_are_kept_five_minutes_then_recounted(catalog, demo, client):
    with time_machine.travel(NOW, tick=False):
        assert figures(client.get("/").content.decode())["Số hồ sơ tiếp nhận"] == "0"
    dossier(demo, catalog["birth"], received=local(2026, 3, 15, 9))
    with time_machine.travel(NOW + dt.timedelta(minutes=4, seconds=59), tick=False):
        assert figures(client.get("/").content.decode())["Số hồ sơ tiếp nhận"] == "0"  # still the cached count
    with time_machine.travel(NOW + dt.timedelta(minutes=5, seconds=1), tick=False):
        assert figures(client.get("/").content.decode())["Số hồ sơ tiếp nhận"] == "1"


def test_popular_procedures_rank_by_dossiers_of_the_last_90_days(catalog, demo, client):
    marriage, death = catalog["marriage"], catalog["death"]
    # Marriage: 2 dossiers submitted within 90 days; death: 1; birth: 3, but 91 days ago or drafts.
    dossier(demo, marriage, submitted=NOW - dt.timedelta(days=1))
    dossier(demo, marriage, submitted=NOW - dt.timedelta(days=89))
    dossier(demo, death, submitted=NOW - dt.timedelta(days=2))
    dossier(demo, catalog["birth"], submitted=NOW - dt.timedelta(days=91))
    dossier(demo, catalog["birth"], status="draft")
    dossier(demo, catalog["birth"], status="draft")
    with time_machine.travel(NOW, tick=False):
        page = client.get("/").content.decode()
    popular = page.split('id="h-popular"', 1)[1].split("</section>", 1)[0]
    names = re.findall(r'href="/procedures/([\d.]+)/"', popular)
    # Ranked first, then full-online procedures fill the list in code order; the partial one does not.
    assert names[:3] == ["9.200002", "9.200003", "9.200001"]
    assert "9.200004" not in names


def test_agencies_listed_are_those_in_force_today(catalog, demo, client):
    page = client.get("/").content.decode()
    agencies = page.split('id="h-agencies"', 1)[1].split("</section>", 1)[0]
    assert f"/procedures/?agency={demo.agencies['STP'].pk}" in agencies
    # Bắc Kạn's department of justice ended on 30/06/2025; it settles the birth procedure still on paper.
    ended = demo.agencies["BK:STP"]
    assert ended.valid_to is not None and f"?agency={ended.pk}\"" not in agencies
    # An agency that ends yesterday leaves the list today.
    Agency.objects.filter(pk=demo.agencies["STP"].pk).update(valid_to=dt.date.today() - dt.timedelta(days=1))
    again = client.get("/").content.decode().split('id="h-agencies"', 1)[1].split("</section>", 1)[0]
    assert f"?agency={demo.agencies['STP'].pk}\"" not in again


def test_life_events_lead_to_their_procedures(catalog, client):
    page = client.get("/").content.decode()
    events = page.split('id="h-events"', 1)[1].split("</section>", 1)[0]
    assert 'href="/life-events/family/"' in events and "Khai sinh, kết hôn, khai tử" in events
    assert "/life-events/business/" not in events  # no open procedure in its fields: not shown
    family = client.get("/life-events/family/").content.decode()
    assert all(f"/procedures/{code}/" in family for code in ("9.200001", "9.200002", "9.200003", "9.200004"))
    response = client.get("/life-events/no-such-event/")
    assert response.status_code == 404 and "Không tìm thấy trang nào" in response.content.decode()


def test_announcements_say_plainly_that_there_are_none_and_help_links_work(catalog, client):
    page = client.get("/").content.decode()
    assert "Hiện chưa có thông báo nào." in page
    help_box = page.split('id="h-help"', 1)[1].split("</section>", 1)[0]
    for link in re.findall(r'href="([^"]+)"', help_box):
        assert client.get(link).status_code == 200, link
    assert "/accounts/password-reset/" in help_box


@pytest.mark.parametrize("enabled", [False, True])
def test_the_national_identity_button_only_when_it_is_configured(db, client, settings, enabled):
    settings.OIDC_ENABLED = enabled
    for path in ("/", "/accounts/login/"):
        page = client.get(path).content.decode()
        assert ('href="/oidc/authenticate/"' in page) is enabled, path


def test_the_menu_collapses_behind_a_button_on_small_screens(db, client):
    page = client.get("/").content.decode()
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    toggler = re.search(r'<button class="navbar-toggler"[^>]*>', header).group(0)
    assert 'data-bs-target="#portal-menu"' in toggler and 'aria-expanded="false"' in toggler
    assert 'class="collapse navbar-collapse" id="portal-menu"' in header
    assert 'href="/procedures/"' in header.split('id="portal-menu"', 1)[1]  # the links sit inside the menu
    button = header.split(toggler, 1)[1].split("</button>", 1)[0]
    assert '<span class="visually-hidden">Trình đơn</span>' in button  # the button has a name


def test_the_favicon_is_served_by_the_platform(db, client):
    page = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/egov/favicon\.svg"', page)
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.url == "/static/egov/favicon.ico"
    icon = client.get(response.url)
    assert icon.status_code == 200 and b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header
