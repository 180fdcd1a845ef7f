"""More than one instance: two application servers (gunicorn) and two Celery workers against one
PostgreSQL, one Redis and one S3 bucket (bench/cluster.py), as docs/production.md describes.

Whatever one server does, the other sees: dossier codes stay unique when both take submissions at
the same moment, a file uploaded through one is read through the other, a session made on one is
valid on the other, the counters in the cache are shared. A task delivered twice (the outbox
delivers at least once) has its effect once.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from directory.demo import DEMO_PASSWORD

pytestmark = pytest.mark.production

CITIZEN = "congdan@example.vn"
PROCEDURE_SCRIPT = """
import json
from directory.demo import load_demo
from tests.factories import make_procedure
demo = load_demo()
procedure = make_procedure(agencies=[demo.agencies["01840"]], code="9.009002")
papers = [paper.pk for paper in procedure.current.papers.order_by("order")][:2]
print("@@" + json.dumps({"code": procedure.code, "agency": demo.agencies["01840"].pk, "papers": papers}))
"""
FORM = {"applicant_name": "Nguyễn Thị Hồng", "applicant_phone": "0912345678", "applicant_email": CITIZEN, "requester_name": "Nguyễn Thị Hồng",
        "child_name": "Nguyễn Minh An", "birth_date": "2026-11-20", "sex": "Nữ", "copies": "2", "review": "1"}


def _tools() -> None:
    from tests.exchange.installations import HarnessError, _pg_bin
    from tests.tools import require

    require("redis-server")
    try:
        _pg_bin()
    except HarnessError:
        pytest.skip("tool missing: initdb (Debian package postgresql)")


@pytest.fixture(scope="module")
def cluster():
    _tools()
    from bench.cluster import Cluster

    with Cluster(servers_wanted=2, workers_wanted=2, web_workers=1, with_simulators=False) as running:
        output = running.shell(PROCEDURE_SCRIPT)
        running.procedure = json.loads(output.split("@@", 1)[1])
        yield running


class Browser:
    """A citizen's browser on one server; the Secure cookies sent over the loopback's plain http."""

    def __init__(self, base: str, session: requests.Session | None = None):
        self.base = base
        self.session = session or requests.Session()

    def _plain(self, response: requests.Response) -> requests.Response:
        for cookie in self.session.cookies:
            cookie.secure = False
        return response

    def get(self, path: str) -> requests.Response:
        return self._plain(self.session.get(f"{self.base}{path}", allow_redirects=False, timeout=60))

    def post(self, path: str, **kwargs) -> requests.Response:
        headers = {"X-CSRFToken": self.session.cookies.get("csrftoken", "")}
        return self._plain(self.session.post(f"{self.base}{path}", headers=headers, allow_redirects=False, timeout=60,
                                             **kwargs))

    def on(self, base: str) -> Browser:
        """The same browser (its cookies) sent to another server, as a load balancer would."""
        return Browser(base, self.session)


def _signed_in(base: str) -> Browser:
    browser = Browser(base)
    browser.get("/accounts/login/")
    answer = browser.post("/accounts/login/", data={"username": CITIZEN, "password": DEMO_PASSWORD})
    assert answer.status_code == 302, answer.text[:500]
    return browser


def _submit(browser: Browser, procedure: dict, content: bytes) -> int:
    answer = browser.post(f"/dossiers/apply/{procedure['code']}/", data={"agency": procedure["agency"]})
    assert answer.status_code == 302 and "/edit/" in answer.headers["Location"], answer.text[:300]
    pk = int(re.search(r"/my/(\d+)/", answer.headers["Location"]).group(1))
    first, second = procedure["papers"]
    files = {f"paper-{first}": ("don.pdf", content, "application/pdf"), f"paper-{second}": ("anh.png", _png(), "image/png")}
    answer = browser.post(f"/dossiers/my/{pk}/edit/", data=FORM, files=files)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/review/"), answer.text[:300]
    answer = browser.post(f"/dossiers/my/{pk}/submit/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/receipt/")
    return pk


def _png() -> bytes:
    from tests.factories import png_file

    return png_file().read()


def _pdf(n: int) -> bytes:
    """A real PDF (papers are checked by content), a different one for each dossier."""
    from tests.factories import pdf_file

    return pdf_file().read().replace(b"%%EOF", f"% to khai {n}\n%%EOF".encode(), 1)


def _until(condition, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.3)
    pytest.fail(f"{what}: not within {timeout:.0f} s")


@pytest.fixture(scope="module")
def submitted(cluster):
    """Twelve dossiers submitted at the same moment, six through each server; (pk, server, content)."""
    servers = [server.url for server in cluster.servers]
    browsers = [_signed_in(servers[0]), _signed_in(servers[1])]

    def one(n: int) -> tuple[int, int, bytes]:
        content = _pdf(n)
        return _submit(browsers[n % 2], cluster.procedure, content), n % 2, content

    with ThreadPoolExecutor(6) as pool:
        return list(pool.map(one, range(12)))


def test_concurrent_submissions_through_both_servers_get_distinct_codes(cluster, submitted):
    with cluster.connect() as conn:
        rows = conn.execute("SELECT code, status FROM dossiers_dossier WHERE id = ANY(%s)",
                            [[pk for pk, _server, _content in submitted]]).fetchall()
    assert len(rows) == 12 and {status for _code, status in rows} == {"submitted"}
    assert len({code for code, _status in rows}) == 12 and all(code for code, _status in rows)


def test_an_upload_through_either_server_is_read_through_the_other(cluster, submitted):
    servers = [server.url for server in cluster.servers]
    with cluster.connect() as conn:
        files = conn.execute("SELECT id, dossier_id, file FROM dossiers_dossierfile WHERE dossier_id = ANY(%s) "
                             "AND requirement_id = %s AND NOT replaced", [[pk for pk, _s, _c in submitted],
                                                                          cluster.procedure["papers"][0]]).fetchall()
    by_dossier = {dossier: (pk, name) for pk, dossier, name in files}
    keys = {item["Key"] for item in cluster.s3().list_objects_v2(Bucket="egov-ho-so").get("Contents", [])}
    for pk, server, content in submitted:
        file_id, name = by_dossier[pk]
        assert name in keys  # in the one bucket, not on a server's disk
        other = _signed_in(servers[1 - server])  # a browser that never talked to the uploading server
        answer = other.get(f"/dossiers/files/{file_id}/")
        assert answer.status_code == 200
        assert answer.content == content


def test_a_session_made_on_one_server_is_valid_on_the_other(cluster):
    first, second = (server.url for server in cluster.servers)
    browser = _signed_in(first)
    mine = browser.on(second).get("/dossiers/my/")
    assert mine.status_code == 200 and "/accounts/login/" not in mine.headers.get("Location", "")
    assert Browser(second).get("/dossiers/my/").status_code == 302  # without the cookie: signed out
    browser.on(second).post("/accounts/logout/")
    assert browser.on(first).get("/dossiers/my/").status_code == 302  # signed out on both


def test_the_cache_is_shared_limits_on_guessing_count_across_servers(cluster, submitted):
    """The public lookup's limit on wrong answers (10 an hour per dossier and address) counts in
    Redis: five wrong answers through each server exhaust it on both."""
    servers = [server.url for server in cluster.servers]
    with cluster.connect() as conn:
        (code,) = conn.execute("SELECT code FROM dossiers_dossier WHERE id = %s", [submitted[0][0]]).fetchone()
    browsers = [Browser(url) for url in servers]
    for browser in browsers:
        browser.get("/dossiers/lookup/")
    for n in range(10):
        page = browsers[n % 2].post("/dossiers/lookup/", data={"code": code, "secret": f"09{n:08d}"})
        assert page.status_code == 200 and "Nhập sai quá nhiều lần" not in page.text
    for browser in browsers:
        page = browser.post("/dossiers/lookup/", data={"code": code, "secret": "0999999999"})
        assert "Nhập sai quá nhiều lần cho hồ sơ này" in page.text


def test_a_task_delivered_twice_has_its_effect_once(cluster, submitted):
    """The outbox delivers at least once: the applicant's notification of a submission, sent again
    to the workers twice (the same message, the same outbox row), changes nothing."""
    from celery import Celery

    pk = submitted[0][0]
    with cluster.connect() as conn:
        def done() -> list:
            return conn.execute(
                "SELECT id, task, args, kwargs, attempts FROM outbox_outboxmessage WHERE task IN "
                "('notifications.notify_event', 'dossiers.render_slip') AND done_at IS NOT NULL AND "
                "(args->>0)::bigint IN (SELECT id FROM dossiers_dossierevent WHERE dossier_id = %(pk)s "
                "UNION SELECT id FROM dossiers_slip WHERE dossier_id = %(pk)s)", {"pk": pk}).fetchall()

        rows = _until(lambda: (found := done()) and "notifications.notify_event" in {r[1] for r in found} and found,
                      "the first delivery")

        def effects() -> tuple:
            return conn.execute(
                "SELECT (SELECT count(*) FROM notifications_delivery d JOIN dossiers_dossierevent e "
                "ON e.id = d.event_id WHERE e.dossier_id = %(pk)s), (SELECT count(*) FROM "
                "notifications_notification WHERE dossier_id = %(pk)s), (SELECT array_agg(file ORDER BY id) "
                "FROM dossiers_slip WHERE dossier_id = %(pk)s)", {"pk": pk}).fetchone()

        (code,) = conn.execute("SELECT code FROM dossiers_dossier WHERE id = %s", [pk]).fetchone()

        def mails() -> int:
            return sum(code in str(message["Subject"]) for _to, message in list(cluster.messages))

        _until(mails, "the applicant's e-mail")
        before, mailed = effects(), mails()
        client = Celery("egov-multi-instance", broker=cluster.env["CELERY_BROKER_URL"])
        try:
            for row_id, task, args, kwargs, _attempts in rows:
                for _again in range(2):
                    client.send_task(task, args=args, kwargs=kwargs, headers={"outbox_id": row_id})
        finally:
            client.close()
        attempts = {row_id: tried for row_id, _t, _a, _k, tried in rows}

        def ran_again() -> bool:
            now = dict(conn.execute("SELECT id, attempts FROM outbox_outboxmessage WHERE id = ANY(%s)",
                                    [list(attempts)]).fetchall())
            return all(now[row_id] >= tried + 2 for row_id, tried in attempts.items())

        _until(ran_again, "both deliveries run again by the workers", timeout=60)
        time.sleep(1)
        assert effects() == before
        assert mails() == mailed  # no second e-mail either
        assert conn.execute("SELECT count(*) FROM outbox_outboxmessage WHERE id = ANY(%s) AND done_at IS NULL",
                            [list(attempts)]).fetchone() == (0,)

